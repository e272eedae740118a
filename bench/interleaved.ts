import { step } from "../scripts/lib/log";
import { cannon, type LoadRequest } from "./http";
import { summarize, type Summary } from "./stats";

// Two app servers compared on the same request, when the difference to find is a
// few percent. On this 2-core machine one server process can run several percent
// faster than another for its whole life (its JIT and heap end up different), and
// a run of a few seconds can land in a slow stretch of garbage collection. So the
// figure is made of many short runs interleaved in rotating order over several
// rounds of freshly started servers (most of the noise is between processes:
// more rounds of fewer runs each buy more than longer rounds), and a third
// server, a twin of the baseline, is the control: its ratio to the baseline shows
// how far apart two identical servers measure in the same run, the noise any
// figure of this kind carries. Used for the Redis trace's cost and for PostgreSQL
// against SQLite.

export type Variant = "baseline" | "candidate" | "control";
const VARIANTS: Variant[] = ["baseline", "candidate", "control"];

/** One app server of a round, and the request to load it with (a server may need a session of its own). */
export type StartedServer = { baseUrl: string; request: LoadRequest; stop: () => Promise<void> };
export type StartVariant = (variant: Variant, round: number) => Promise<StartedServer>;

export type InterleavedOptions = { connections: number; rounds: number; pairsPerRound: number; warmupSeconds: number; settleSeconds: number; runSeconds: number };

export type Comparison = {
  /** The baseline and its control, averaged run by run. */
  baseline: { reqPerSec: Summary };
  candidate: { reqPerSec: Summary };
  control: { reqPerSec: Summary };
  /** candidate / the mean of baseline and control, run i against runs i, over every round. */
  ratio: Summary;
  /** control / baseline, the same way: identical servers, so ideally 1. */
  controlRatio: Summary;
};

export async function compareInterleaved(label: string, start: StartVariant, options: InterleavedOptions): Promise<Comparison> {
  const { connections, rounds, pairsPerRound, warmupSeconds, settleSeconds, runSeconds } = options;
  const runs: Record<Variant, number[]> = { baseline: [], candidate: [], control: [] };
  for (let round = 0; round < rounds; round++) {
    const servers: Partial<Record<Variant, StartedServer>> = {};
    try {
      for (const variant of VARIANTS) servers[variant] = await start(variant, round);
      const load = async (variant: Variant, seconds: number): Promise<number> => {
        const server = servers[variant];
        if (!server) throw new Error(`${label}: no ${variant} server`);
        return (await cannon(server.baseUrl, server.request, connections, seconds)).reqPerSec;
      };
      // Fresh servers (JIT, caches): the same long warm-up for each.
      step(`${label} round ${round + 1}/${rounds}: warm-up of ${VARIANTS.length} fresh servers × ${warmupSeconds} s…`);
      for (const variant of VARIANTS) await load(variant, warmupSeconds);
      step(`${label} round ${round + 1}/${rounds}: ${pairsPerRound} × (${VARIANTS.join(", ")}) runs of ${runSeconds} s, rotating order…`);
      for (let pair = 0; pair < pairsPerRound; pair++) {
        const shift = pair % VARIANTS.length;
        for (const variant of [...VARIANTS.slice(shift), ...VARIANTS.slice(0, shift)]) {
          await load(variant, settleSeconds);
          runs[variant].push(await load(variant, runSeconds));
        }
      }
    } finally {
      for (const server of Object.values(servers)) await server?.stop();
    }
  }
  const bothBaselines = runs.baseline.map((value, i) => (value + runs.control[i]) / 2);
  return {
    baseline: { reqPerSec: summarize(bothBaselines) },
    candidate: { reqPerSec: summarize(runs.candidate) },
    control: { reqPerSec: summarize(runs.control) },
    ratio: summarize(runs.candidate.map((value, i) => value / bothBaselines[i])),
    controlRatio: summarize(runs.control.map((value, i) => value / runs.baseline[i])),
  };
}
