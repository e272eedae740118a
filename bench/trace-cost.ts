import { step } from "../scripts/lib/log";
import { cannon, type HttpTarget } from "./http";
import type { BenchOptions } from "./options";
import { pairedRatio, summarize, type Summary } from "./stats";

// The cost of "Redis behind this page" (SHOW_REDIS_TRACE): the signed-in home
// page on two fresh app servers of the same build, Redis and database, one with
// the trace on and one with it off, measured interleaved in the same run (one run
// of each per repetition, the order alternating) so the ratio compares like with like.

export type TraceCostResults = {
  connections: number;
  path: string;
  off: { reqPerSec: Summary };
  on: { reqPerSec: Summary };
  /** on / off, run i against run i. */
  ratio: Summary;
};

export async function runTraceCost(servers: { off: string; on: string }, target: HttpTarget, options: BenchOptions): Promise<TraceCostResults> {
  const { connections, warmupSeconds, durationSeconds } = options.http;
  // Both servers are fresh (JIT, caches): a longer first warm-up than the other targets get, the same for each.
  const initialWarmupSeconds = Math.max(options.http.initialWarmupSeconds, 3);
  const order = [["off", servers.off], ["on", servers.on]] as const;
  step(`trace cost warm-up: ${target.path} on both servers × ${initialWarmupSeconds} s…`);
  for (const [, url] of order) await cannon(url, target, connections, initialWarmupSeconds);
  const runs = { off: [] as number[], on: [] as number[] };
  for (let rep = 0; rep < options.repetitions; rep++) {
    step(`trace cost run ${rep + 1}/${options.repetitions}: ${target.path} with the trace off and on…`);
    for (const [name, url] of rep % 2 === 0 ? order : [...order].reverse()) {
      await cannon(url, target, connections, warmupSeconds);
      runs[name].push((await cannon(url, target, connections, durationSeconds)).reqPerSec);
    }
  }
  return {
    connections,
    path: target.path,
    off: { reqPerSec: summarize(runs.off) },
    on: { reqPerSec: summarize(runs.on) },
    ratio: pairedRatio(runs.on, runs.off),
  };
}
