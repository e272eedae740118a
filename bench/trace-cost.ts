import type { HttpTarget } from "./http";
import { compareInterleaved } from "./interleaved";
import type { BenchOptions } from "./options";
import type { Summary } from "./stats";

// The cost of "Redis behind this page" (SHOW_REDIS_TRACE): the signed-in home
// page on fresh app servers of the same build, Redis and database, one with the
// trace on and two with it off (the second is the control), compared as
// bench/interleaved.ts explains.

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

export async function runTraceCost(start: StartServer, target: HttpTarget, options: BenchOptions): Promise<TraceCostResults> {
  const { connections } = options.http;
  const { rounds, pairsPerRound, runSeconds } = options.traceCost;
  const names = { baseline: "off", candidate: "on", control: "control" } as const;
  const compared = await compareInterleaved(
    "trace cost",
    async (variant, round) => ({ ...(await start(names[variant], round)), request: target }),
    { connections, ...options.traceCost },
  );
  return {
    connections,
    path: target.path,
    rounds,
    pairsPerRound,
    runSeconds,
    off: compared.baseline,
    on: compared.candidate,
    control: compared.control,
    ratio: compared.ratio,
    controlRatio: compared.controlRatio,
  };
}
