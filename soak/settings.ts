import { join } from "node:path";

// `npm run soak [-- --minutes N] [--rate R] [--short] [--out DIR]`: the run's shape.
// The app runs with short lifetimes so that idle expiry, the end markers, the
// activity logs and the rate-limit windows all come and go within the run, and the
// drain at the end can wait for every key to expire.

export type SoakSettings = {
  /** Traffic time, in minutes (the drain and the end checks come after). */
  minutes: number;
  /**
   * Virtual-user actions started per second, whatever the answers take (open loop).
   * The default keeps a 2-core machine that also runs six Redis nodes, PostgreSQL
   * and Chromium short of saturation: past it, the app's own event loop stalls
   * longer than the 500 ms command timeout and it answers 503 with no fault at all.
   */
  rate: number;
  /** The npm test version: a minute, short lifetimes, the same faults and invariants. */
  short: boolean;
  /** Where soak.md and soak.svg go; the README's quote is rewritten only for docs/. */
  out: string;
  users: number;
  idleTtlSeconds: number;
  absoluteTtlSeconds: number;
  /** End markers, activity logs, fences and rate-limit windows. */
  retentionSeconds: number;
  maxSessionsPerUser: number;
  processStatsSeconds: number;
  /** The warm-up before the baseline (the same traffic, no faults, then everything signed out). */
  warmupMs: number;
  /** Latency and memory are charted in buckets of this length. */
  bucketMs: number;
  /** A 503 is allowed from a fault's start to this long after its end (reconnecting, a new topology learned). */
  graceMs: number;
  /** What separates a session that must be live from one that must be dead: clocks, a slide lost in a failover. */
  marginMs: number;
  /** Fault schedule: the first this long after the start, then one every `faultEveryMs`. */
  firstFaultMs: number;
  faultEveryMs: number;
  /**
   * The app's REDIS_COMMAND_TIMEOUT_MS and SESSION_WAIT_TIMEOUT_MS in the run. A
   * 2-core machine that runs two instances, six Redis nodes, PostgreSQL and
   * Chromium stalls processes now and then for more than the 500 ms and 250 ms
   * defaults (an instance's event loop was seen to stall 679 ms): the settings of
   * a crowded host, so that a 503 means a fault, not a busy CPU.
   */
  commandTimeoutMs: number;
  waitTimeoutMs: number;
  /** DATABASE_STATEMENT_TIMEOUT_MS (a query, or a new connection's handshake): 2 s rather than 1 s, for the same reason. */
  databaseTimeoutMs: number;
  /** The Cluster's node timeout: how long a master may be silent before its replica takes over. */
  nodeTimeoutMs: number;
  /** A Redis master is paused (SIGSTOP) this long: over the command timeout, under the node timeout. */
  pauseMs: number;
  /** A request without an answer by then counts as a hang. */
  requestTimeoutMs: number;
};

function number(argv: string[], name: string): number | undefined {
  const index = argv.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = Number(argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

function text(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index < 0 ? undefined : argv[index + 1];
}

export function soakSettings(argv: string[]): SoakSettings {
  const short = argv.includes("--short");
  const shared = { graceMs: 5000, marginMs: 2000, commandTimeoutMs: 1000, waitTimeoutMs: 1000, databaseTimeoutMs: 2000, nodeTimeoutMs: 3000, pauseMs: 1500, requestTimeoutMs: 10_000 };
  const shape = short
    ? { minutes: 1, rate: 8, users: 12, idleTtlSeconds: 12, absoluteTtlSeconds: 30, retentionSeconds: 15, maxSessionsPerUser: 5, processStatsSeconds: 2, warmupMs: 8000, bucketMs: 5000, firstFaultMs: 6000, faultEveryMs: 10_000 }
    : { minutes: 10, rate: 12, users: 40, idleTtlSeconds: 20, absoluteTtlSeconds: 60, retentionSeconds: 30, maxSessionsPerUser: 5, processStatsSeconds: 5, warmupMs: 30_000, bucketMs: 10_000, firstFaultMs: 45_000, faultEveryMs: 60_000 };
  const minutes = number(argv, "minutes") ?? shape.minutes;
  return {
    ...shared,
    ...shape,
    minutes,
    rate: number(argv, "rate") ?? shape.rate,
    short,
    out: text(argv, "out") ?? join(process.cwd(), "docs"),
  };
}
