// What one `npm run bench` run does: the full run (the figures in
// docs/benchmarks.md) or `--quick`, a CI smoke test that exercises every code path
// with short durations and a smaller data set, so it must finish in under two
// minutes on a 2-core machine. Both repeat each measurement three times.

export type BenchMode = "full" | "quick";

export type BenchOptions = {
  mode: BenchMode;
  repetitions: number;
  concurrencies: number[];
  validation: { warmupMs: number; durationMs: number; sessions: number };
  /** initialWarmupSeconds: once per target before the first repetition; warmupSeconds: before each run. */
  http: { initialWarmupSeconds: number; warmupSeconds: number; durationSeconds: number; connections: number };
  listing: { iterations: number; ownSessions: number; otherSessions: number; sessionsPerUser: number; scanLoops: number };
  /** Requests sent per kind when counting Redis commands (the count is divided by it). */
  commandSamples: number;
  /**
   * The trace's cost (bench/trace-cost.ts): rounds of fresh servers, each warmed
   * up, then pairs of short interleaved runs, each after a short settle run.
   */
  traceCost: { rounds: number; pairsPerRound: number; warmupSeconds: number; settleSeconds: number; runSeconds: number };
  /** Revokes of a tab open in Chromium, timed until that tab moves (bench/live.ts). */
  liveRevokes: number;
  /**
   * SQLite against PostgreSQL (bench/users-database.ts): sign-ins on each, then
   * rounds of fresh servers (SQLite, PostgreSQL, a SQLite control) with
   * interleaved page-view runs, as for the trace's cost.
   */
  usersDatabase: {
    rounds: number;
    pairsPerRound: number;
    warmupSeconds: number;
    settleSeconds: number;
    runSeconds: number;
    signInConnections: number;
    signInSeconds: number;
  };
};

export function benchOptions(argv: string[]): BenchOptions {
  const quick = argv.includes("--quick");
  return {
    mode: quick ? "quick" : "full",
    repetitions: 3,
    concurrencies: [1, 64],
    validation: quick
      ? { warmupMs: 150, durationMs: 600, sessions: 1000 }
      : { warmupMs: 1000, durationMs: 5000, sessions: 1000 },
    // Same connection count for every HTTP target, so their req/s compare directly.
    http: quick
      ? { initialWarmupSeconds: 1, warmupSeconds: 0.5, durationSeconds: 1.5, connections: 32 }
      : { initialWarmupSeconds: 5, warmupSeconds: 2, durationSeconds: 10, connections: 32 },
    listing: quick
      ? { iterations: 300, ownSessions: 5, otherSessions: 10_000, sessionsPerUser: 5, scanLoops: 3 }
      : { iterations: 2000, ownSessions: 5, otherSessions: 100_000, sessionsPerUser: 5, scanLoops: 5 },
    commandSamples: 10,
    traceCost: quick
      ? { rounds: 1, pairsPerRound: 3, warmupSeconds: 2, settleSeconds: 0.2, runSeconds: 0.8 }
      : { rounds: 5, pairsPerRound: 4, warmupSeconds: 6, settleSeconds: 0.3, runSeconds: 1.5 },
    liveRevokes: quick ? 5 : 100,
    usersDatabase: quick
      ? { rounds: 1, pairsPerRound: 2, warmupSeconds: 1, settleSeconds: 0.2, runSeconds: 0.8, signInConnections: 4, signInSeconds: 1 }
      : { rounds: 5, pairsPerRound: 4, warmupSeconds: 6, settleSeconds: 0.3, runSeconds: 1.5, signInConnections: 8, signInSeconds: 4 },
  };
}
