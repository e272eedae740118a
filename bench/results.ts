import type { CommandCount } from "./commands";
import type { HttpResults } from "./http";
import type { Machine } from "./machine";
import type { MemoryResults } from "./memory";
import type { LiveResults } from "./live";
import type { ScaleResults } from "./scale";
import type { TraceCostResults } from "./trace-cost";
import type { UsersDatabaseResults } from "./users-database";
import type { BenchMode } from "./options";
import { pairedRatio, type Summary } from "./stats";
import type { ValidationResults } from "./validation";
import type { VariantName } from "./variants";

// Everything one run measured, the ratios under the names the issue fixed, and
// the verdict on each target. bench/results.json is this object.

export type Ratios = {
  validate_vs_hgetall_c1: number;
  validate_vs_hgetall_c64: number;
  validate_vs_connect_redis_c1: number;
  validate_vs_connect_redis_c64: number;
  protected_vs_unprotected_page: number;
  listing_100k_vs_0: number;
  bytes_per_session: number;
  commands_per_api_request: number;
  commands_per_page_view: number;
  commands_per_malformed_request: number;
  cluster_vs_single_c64: number;
  failover_window_ms: number;
  sessions_per_gib: number;
  trace_on_vs_off_page: number;
  postgres_vs_sqlite_page: number;
  users_db_queries_per_page_view: number;
  users_db_queries_per_api_request: number;
};

export type TargetVerdict = { name: string; ratio: keyof Ratios; comparison: ">=" | "<=" | "=="; target: number; value: number; met: boolean; missedBy: string | null };

export type BenchResults = {
  meta: {
    date: string;
    mode: BenchMode;
    repetitions: number;
    durations: { validationWarmupMs: number; validationMs: number; httpInitialWarmupSeconds: number; httpWarmupSeconds: number; httpSeconds: number };
    sizes: { validationSessions: number; listingOtherSessions: number; memorySessions: number; listingIterations: number };
    machine: Machine;
    /** Cores kept busy by processes other than the bench's own, averaged over each phase (Linux only). */
    foreignCores: Record<string, number | null>;
    phaseSeconds: Record<string, number>;
    buildSeconds: number;
    wallSeconds: number;
  };
  validation: ValidationResults;
  http: HttpResults;
  /** Absent from results written before the trace existed. */
  traceCost?: TraceCostResults;
  /** SQLite against PostgreSQL, and the users-database queries per request (absent from results written before PostgreSQL). */
  usersDatabase?: UsersDatabaseResults;
  listing: { userSessions: number; withoutOthers: ListingFigures; withOthers: ListingFigures; fullScan: { ms: Summary; calls: number; keysMatched: number } };
  memory: MemoryResults;
  commands: { apiRequest: CommandCount; pageView: CommandCount; malformedRequest: CommandCount };
  scale: ScaleResults;
  /** Revoke → the revoked tab's navigation (absent in results from before it was measured). */
  live?: LiveResults;
  /** Each throughput ratio is the median of the per-repetition ratios (run i against run i). */
  ratioRanges: Partial<Record<keyof Ratios, Summary>>;
  ratios: Ratios;
  targets: TargetVerdict[];
};

export type ListingFigures = { otherSessions: number; p50Ms: Summary; p99Ms: Summary; meanMs: Summary };

type Measured = Omit<BenchResults, "ratios" | "ratioRanges" | "targets">;

function opsRuns(validation: ValidationResults, concurrency: string, variant: VariantName): number[] {
  const figures = validation[concurrency]?.[variant];
  if (!figures) throw new Error(`no validation figures for ${variant} at ${concurrency}`);
  return figures.opsPerSec.runs;
}

export function computeRatios(measured: Measured): Pick<BenchResults, "ratios" | "ratioRanges"> {
  const { validation, http, listing, memory, commands, scale } = measured;
  const ratioRanges: BenchResults["ratioRanges"] = {
    validate_vs_hgetall_c1: pairedRatio(opsRuns(validation, "c1", "validate"), opsRuns(validation, "c1", "hgetall")),
    validate_vs_hgetall_c64: pairedRatio(opsRuns(validation, "c64", "validate"), opsRuns(validation, "c64", "hgetall")),
    validate_vs_connect_redis_c1: pairedRatio(opsRuns(validation, "c1", "validate"), opsRuns(validation, "c1", "connect_redis")),
    validate_vs_connect_redis_c64: pairedRatio(opsRuns(validation, "c64", "validate"), opsRuns(validation, "c64", "connect_redis")),
    protected_vs_unprotected_page: pairedRatio(http.targets.guarded.reqPerSec.runs, http.targets.open.reqPerSec.runs),
    cluster_vs_single_c64: pairedRatio(scale.opsPerSec.cluster.runs, scale.opsPerSec.single.runs),
    ...(measured.traceCost ? { trace_on_vs_off_page: measured.traceCost.ratio } : {}),
    ...(measured.usersDatabase ? { postgres_vs_sqlite_page: measured.usersDatabase.pageView.ratio } : {}),
  };
  const median = (name: keyof Ratios): number => ratioRanges[name]?.median ?? Number.NaN;
  return {
    ratioRanges,
    ratios: {
      validate_vs_hgetall_c1: median("validate_vs_hgetall_c1"),
      validate_vs_hgetall_c64: median("validate_vs_hgetall_c64"),
      validate_vs_connect_redis_c1: median("validate_vs_connect_redis_c1"),
      validate_vs_connect_redis_c64: median("validate_vs_connect_redis_c64"),
      protected_vs_unprotected_page: median("protected_vs_unprotected_page"),
      listing_100k_vs_0: listing.withOthers.p50Ms.median / listing.withoutOthers.p50Ms.median,
      bytes_per_session: memory.bytesPerSession,
      commands_per_api_request: commands.apiRequest.sentPerRequest,
      commands_per_page_view: commands.pageView.sentPerRequest,
      commands_per_malformed_request: commands.malformedRequest.sentPerRequest,
      cluster_vs_single_c64: median("cluster_vs_single_c64"),
      failover_window_ms: scale.failover.recoveredAfterMs,
      sessions_per_gib: Math.floor(2 ** 30 / memory.bytesPerSession),
      trace_on_vs_off_page: median("trace_on_vs_off_page"),
      postgres_vs_sqlite_page: median("postgres_vs_sqlite_page"),
      // The worse of the two databases: both must send none.
      users_db_queries_per_page_view: Math.max(...Object.values(measured.usersDatabase?.queriesPerRequest ?? {}).map((q) => q.pageView)),
      users_db_queries_per_api_request: Math.max(...Object.values(measured.usersDatabase?.queriesPerRequest ?? {}).map((q) => q.apiMe)),
    },
  };
}

const TARGETS: Omit<TargetVerdict, "value" | "met" | "missedBy">[] = [
  { name: "validate ≥ 0.85 × raw HGETALL, concurrency 1", ratio: "validate_vs_hgetall_c1", comparison: ">=", target: 0.85 },
  { name: "validate ≥ 0.85 × raw HGETALL, concurrency 64", ratio: "validate_vs_hgetall_c64", comparison: ">=", target: 0.85 },
  { name: "validate ≥ 1.7 × connect-redis get+touch, concurrency 1", ratio: "validate_vs_connect_redis_c1", comparison: ">=", target: 1.7 },
  { name: "signed-in home page ≥ 0.95 × the sign-in page", ratio: "protected_vs_unprotected_page", comparison: ">=", target: 0.95 },
  { name: "signed-in home page with the Redis trace on ≥ 0.95 × off", ratio: "trace_on_vs_off_page", comparison: ">=", target: 0.95 },
  { name: "listing with 100k others ≤ 1.2 × listing with none", ratio: "listing_100k_vs_0", comparison: "<=", target: 1.2 },
  { name: "≤ 600 bytes of Redis memory per session, index included", ratio: "bytes_per_session", comparison: "<=", target: 600 },
  { name: "1 command per API request", ratio: "commands_per_api_request", comparison: "==", target: 1 },
  { name: "1 command per page view", ratio: "commands_per_page_view", comparison: "==", target: 1 },
  { name: "0 commands per malformed token", ratio: "commands_per_malformed_request", comparison: "==", target: 0 },
  { name: "signed-in home page on PostgreSQL ≥ 0.95 × on SQLite", ratio: "postgres_vs_sqlite_page", comparison: ">=", target: 0.95 },
  { name: "0 users-database queries per page view (SQLite and PostgreSQL)", ratio: "users_db_queries_per_page_view", comparison: "==", target: 0 },
  { name: "0 users-database queries per API request (SQLite and PostgreSQL)", ratio: "users_db_queries_per_api_request", comparison: "==", target: 0 },
];

function verdict(value: number, target: TargetVerdict["target"], comparison: TargetVerdict["comparison"]): { met: boolean; missedBy: string | null } {
  if (comparison === "==") return value === target ? { met: true, missedBy: null } : { met: false, missedBy: `${value} instead of ${target}` };
  const met = comparison === ">=" ? value >= target : value <= target;
  if (met) return { met, missedBy: null };
  const percent = (Math.abs(value - target) / target) * 100;
  return { met, missedBy: `${percent.toFixed(1)}% ${comparison === ">=" ? "below" : "above"} the target` };
}

export function evaluateTargets(ratios: Ratios): TargetVerdict[] {
  return TARGETS.map((t) => ({ ...t, value: ratios[t.ratio], ...verdict(ratios[t.ratio], t.target, t.comparison) }));
}
