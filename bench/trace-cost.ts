import { step } from "../scripts/lib/log";
import { cannon, type HttpTarget } from "./http";
import type { BenchOptions } from "./options";
import { summarize, type Summary } from "./stats";

// The cost of "Redis behind this page" (SHOW_REDIS_TRACE): the signed-in home
// page on fresh app servers of the same build, Redis and database, one with the
// trace on and two with it off. On this 2-core machine one server process can run
// several percent faster than another for its whole life (its JIT and heap end up
// different), and a run of a few seconds can land in a slow stretch of garbage
// collection; a 5% target needs better than either. So the figure is made of many
// short runs interleaved in rotating order (each run with the trace on is
// compared with the runs of both servers with it off, seconds apart), over several
// rounds of freshly started servers: most of the noise is between processes, so
// more rounds of fewer runs each buy more than longer rounds. The second server with the trace off is also
// the control: its ratio to the first shows how far apart two identical servers
// measure in the same run, the noise any trace figure carries.

export type TraceCostResults = {
  connections: number;
  path: string;
  rounds: number;
  pairsPerRound: number;
  runSeconds: number;
  /** Both servers with the trace off, averaged run by run. */
  off: { reqPerSec: Summary };
  on: { reqPerSec: Summary };
  control: { reqPerSec: Summary };
  /** on / the mean of the two servers off, run i against runs i, over every round. */
  ratio: Summary;
  /** control / off, the same way: identical servers, so ideally 1. */
  controlRatio: Summary;
};

type Variant = "off" | "on" | "control";
/** Starts one app server with the trace on or off; the caller stops it. */
export type StartServer = (variant: Variant, round: number) => Promise<{ baseUrl: string; stop: () => Promise<void> }>;

const VARIANTS: Variant[] = ["off", "on", "control"];

export async function runTraceCost(start: StartServer, target: HttpTarget, options: BenchOptions): Promise<TraceCostResults> {
  const { connections } = options.http;
  const { rounds, pairsPerRound, warmupSeconds, settleSeconds, runSeconds } = options.traceCost;
  const runs: Record<Variant, number[]> = { off: [], on: [], control: [] };
  for (let round = 0; round < rounds; round++) {
    const servers: Partial<Record<Variant, { baseUrl: string; stop: () => Promise<void> }>> = {};
    try {
      for (const variant of VARIANTS) servers[variant] = await start(variant, round);
      const url = (variant: Variant): string => servers[variant]?.baseUrl ?? "";
      // Fresh servers (JIT, caches): the same long warm-up for each.
      step(`trace cost round ${round + 1}/${rounds}: warm-up of ${VARIANTS.length} fresh servers × ${warmupSeconds} s…`);
      for (const variant of VARIANTS) await cannon(url(variant), target, connections, warmupSeconds);
      step(`trace cost round ${round + 1}/${rounds}: ${pairsPerRound} × (off, on, control) runs of ${runSeconds} s, rotating order…`);
      for (let pair = 0; pair < pairsPerRound; pair++) {
        const shift = pair % VARIANTS.length;
        for (const variant of [...VARIANTS.slice(shift), ...VARIANTS.slice(0, shift)]) {
          await cannon(url(variant), target, connections, settleSeconds);
          runs[variant].push((await cannon(url(variant), target, connections, runSeconds)).reqPerSec);
        }
      }
    } finally {
      for (const server of Object.values(servers)) await server?.stop();
    }
  }
  const bothOff = runs.off.map((value, i) => (value + runs.control[i]) / 2);
  return {
    connections,
    path: target.path,
    rounds,
    pairsPerRound,
    runSeconds,
    off: { reqPerSec: summarize(bothOff) },
    on: { reqPerSec: summarize(runs.on) },
    control: { reqPerSec: summarize(runs.control) },
    ratio: summarize(runs.on.map((value, i) => value / bothOff[i])),
    controlRatio: summarize(runs.control.map((value, i) => value / runs.off[i])),
  };
}
