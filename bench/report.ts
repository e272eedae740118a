import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bytes, fixed, integer, millis, rate } from "./format";
import type { BenchResults, Ratios, TargetVerdict } from "./results";
import { commandsTable, cpuTable, httpTable, listingTable, markdownTable, memoryTable, targetsTable, usersDatabaseTable, validationTable } from "./tables";

// docs/benchmarks.md is bench/benchmarks.template.md with its {{placeholders}}
// filled from the results of the run, so the figures in the docs are always the
// last run's. The explanations are hand-written in the template; the verdicts and
// every number in them come from here.

const TEMPLATE = join(process.cwd(), "bench", "benchmarks.template.md");

const ratioOf = (results: BenchResults, concurrency: string, a: string, b: string): number => {
  const variants = results.validation[concurrency] as Record<string, { opsPerSec: { median: number } } | undefined>;
  return (variants[a]?.opsPerSec.median ?? Number.NaN) / (variants[b]?.opsPerSec.median ?? Number.NaN);
};

function verdictLine(t: TargetVerdict, results: BenchResults): string {
  const shown = t.ratio === "bytes_per_session" ? bytes(t.value) : fixed(t.value, Number.isInteger(t.value) ? 0 : 3);
  const range = results.ratioRanges[t.ratio];
  // A few runs are listed; many (the trace's paired runs) are given as their range.
  const runs = !range
    ? ""
    : range.runs.length > 6
      ? ` (the median of ${range.runs.length} paired runs, from ${fixed(range.min, 3)} to ${fixed(range.max, 3)})`
      : ` (the ${range.runs.length} runs: ${range.runs.map((r) => fixed(r, 3)).join(", ")})`;
  const sign = { ">=": "≥", "<=": "≤", "==": "=" }[t.comparison];
  return t.met ? `**Met**: ${shown} ${sign} ${t.target}${runs}.` : `**Missed** (${t.missedBy}): ${shown} against ${sign} ${t.target}${runs}.`;
}

function placeholders(results: BenchResults): Record<string, string> {
  const { meta, memory, listing, http } = results;
  const m = meta.machine;
  const values: Record<string, string> = {
    date: meta.date.slice(0, 16).replace("T", " ") + " UTC",
    mode: meta.mode,
    mode_note:
      meta.mode === "quick"
        ? `> **This is a quick run** (\`npm run bench -- --quick\`, the CI smoke test): ${meta.durations.validationMs} ms per validation run, ${meta.durations.httpSeconds} s per HTTP run, ${integer(meta.sizes.memorySessions)} sessions instead of 100,000. Its figures are rough; the full run's are the ones to quote.\n`
        : "",
    machine: `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; Redis ${m.redis} (default configuration, no persistence)`,
    durations: `validation: ${meta.durations.validationWarmupMs} ms warm-up + ${meta.durations.validationMs} ms per run; HTTP: ${meta.durations.httpWarmupSeconds} s warm-up + ${meta.durations.httpSeconds} s per run (after ${meta.durations.httpInitialWarmupSeconds} s per target on the fresh server); ${meta.repetitions} repetitions; wall time by phase: ${Object.entries(meta.phaseSeconds).map(([phase, seconds]) => `${phase.replace("_", " and ")} ${Math.round(seconds)} s`).join(", ")}`,
    foreign_load: Object.entries(meta.foreignCores)
      .map(([phase, cores]) => `${phase.replace("_", " and ")} ${cores === null ? "n/a" : fixed(cores, 2)}`)
      .join(", "),
    wall_seconds: String(meta.wallSeconds),
    build_seconds: String(meta.buildSeconds),
    repetitions: String(meta.repetitions),
    connections: String(http.connections),
    validation_sessions: integer(meta.sizes.validationSessions),
    memory_sessions: integer(meta.sizes.memorySessions),
    listing_iterations: integer(meta.sizes.listingIterations),
    live_revokes: results.live ? integer(results.live.revokes) : "no",
    live_to_navigation: results.live ? `median ${fixed(results.live.toNavigationMs.median, 0)} ms, p99 ${fixed(results.live.toNavigationMs.p99, 0)} ms (max ${fixed(results.live.toNavigationMs.max, 0)} ms)` : "not measured in this run",
    live_to_login: results.live ? `median ${fixed(results.live.toLoginPageMs.median, 0)} ms, p99 ${fixed(results.live.toLoginPageMs.p99, 0)} ms (max ${fixed(results.live.toLoginPageMs.max, 0)} ms)` : "not measured in this run",
    table_validation: markdownTable(validationTable(results)),
    table_cpu: markdownTable(cpuTable(results)),
    table_http: markdownTable(httpTable(results)),
    table_listing: markdownTable(listingTable(results)),
    table_memory: markdownTable(memoryTable(results)),
    table_commands: markdownTable(commandsTable(results)),
    table_users_database: markdownTable(usersDatabaseTable(results)),
    users_database: usersDatabaseText(results),
    table_targets: markdownTable(targetsTable(results)),
    // Diagnostics that split the cost of validateSession() (see the template).
    script_vs_hgetall_c1: fixed(ratioOf(results, "c1", "script_only", "hgetall")),
    script_vs_hgetall_c64: fixed(ratioOf(results, "c64", "script_only", "hgetall")),
    validate_vs_script_c1: fixed(ratioOf(results, "c1", "validate", "script_only")),
    validate_vs_script_c64: fixed(ratioOf(results, "c64", "validate", "script_only")),
    app_client_vs_hgetall_c1: fixed(ratioOf(results, "c1", "hgetall_app_client", "hgetall")),
    app_client_vs_hgetall_c64: fixed(ratioOf(results, "c64", "hgetall_app_client", "hgetall")),
    validate_vs_naive_c1: fixed(ratioOf(results, "c1", "validate", "naive")),
    validate_vs_naive_c64: fixed(ratioOf(results, "c64", "validate", "naive")),
    hgetall_vs_get_c1: fixed(ratioOf(results, "c1", "hgetall", "get")),
    hgetall_vs_get_c64: fixed(ratioOf(results, "c64", "hgetall", "get")),
    scale_concurrency: String(results.scale.concurrency),
    scale_single_ops: rate(results.scale.opsPerSec.single),
    scale_cluster_ops: rate(results.scale.opsPerSec.cluster),
    cluster_vs_single_c64: fixed(results.ratios.cluster_vs_single_c64, 3),
    failover_recovered_ms: `${integer(results.scale.failover.recoveredAfterMs)} ms`,
    failover_unavailable_ms: `${integer(results.scale.failover.unavailableForMs)} ms`,
    failover_probe_ms: String(results.scale.failover.probeEveryMs),
    sessions_per_gib: integer(results.ratios.sessions_per_gib),
    listing_without: millis(listing.withoutOthers.p50Ms.median),
    listing_with: millis(listing.withOthers.p50Ms.median),
    listing_others: integer(listing.withOthers.otherSessions),
    scan_ms: millis(listing.fullScan.ms.median),
    cores: String(m.cores),
    page_cpu_ms: millis((m.cores * 1000) / http.targets.open.reqPerSec.median),
    // One validation's CPU (app side + Redis, at concurrency 64) added to an open page's share of the cores.
    ...(() => {
      const v = results.validation.c64?.validate;
      const extraMs = v ? (v.clientCpuUs.median + v.redisCpuUs.median) / 1000 : Number.NaN;
      const pageMs = (m.cores * 1000) / http.targets.open.reqPerSec.median;
      return { guard_cpu_ms: millis(extraMs), expected_page_ratio: fixed(pageMs / (pageMs + extraMs)) };
    })(),
    scan_vs_listing: integer(listing.fullScan.ms.median / listing.withOthers.p50Ms.median),
    session_encoding: memory.sessionHash.encoding,
    session_hash_bytes: bytes(memory.sessionHash.bytes),
    index_bytes_per_entry: bytes(memory.userIndex.bytes / memory.userIndex.entries),
    raw_ua_encoding: memory.withRawUserAgent.encoding,
    raw_ua_bytes: bytes(memory.withRawUserAgent.bytes),
    raw_ua_length: String(memory.withRawUserAgent.userAgentLength),
    bytes_per_session: bytes(memory.bytesPerSession),
  };
  // Per-variant and per-target figures, for the explanations: ops_validate_c64, cpu_redis_hgetall_c64, rps_guarded, …
  for (const [concurrency, variants] of Object.entries(results.validation)) {
    for (const [name, f] of Object.entries(variants)) {
      if (!f) continue;
      values[`ops_${name}_${concurrency}`] = integer(f.opsPerSec.median);
      values[`p50_${name}_${concurrency}`] = `${integer(f.p50Ms.median * 1000)} µs`;
      values[`cpu_client_${name}_${concurrency}`] = `${f.clientCpuUs.median.toFixed(1)} µs`;
      values[`cpu_redis_${name}_${concurrency}`] = `${f.redisCpuUs.median.toFixed(1)} µs`;
    }
  }
  for (const [name, t] of Object.entries(http.targets)) {
    values[`rps_${name}`] = integer(t.reqPerSec.median);
    values[`p50_${name}`] = millis(t.p50Ms.median);
  }
  const failures = Object.entries(http.targets).flatMap(([name, t]) =>
    Object.entries(t.failed).map(([status, count]) => `${count} × ${status} on ${name} (of ${integer(t.responses)})`),
  );
  values.http_failures = failures.length === 0 ? "none" : failures.join(", ");
  const log = http.serverLog;
  values.server_log = log
    ? `the app server logged ${log.commandTimeouts} × \`Command timed out\` and ${log.redisUnavailable} × \`RedisUnavailableError\` during the HTTP phase`
    : "the server log was not read in this run";
  for (const target of results.targets) values[`verdict_${target.ratio}`] = verdictLine(target, results);
  values.trace_cost = traceCostText(results);
  for (const [name, value] of Object.entries(results.ratios) as [keyof Ratios, number][]) {
    values[`ratio_${name}`] = name === "bytes_per_session" ? bytes(value) : fixed(value, Number.isInteger(value) ? 0 : 2);
  }
  return values;
}

/** The trace-cost paragraph; results from before the trace existed say so instead of a figure. */
function traceCostText(results: BenchResults): string {
  const cost = results.traceCost;
  const target = results.targets.find((t) => t.ratio === "trace_on_vs_off_page");
  if (!cost || !target) return "Not measured in this run: its results predate the trace. The next `npm run bench` measures it.";
  const figures = `\`${cost.path}\` signed in: ${integer(cost.on.reqPerSec.median)} req/s with the trace on, ${integer(cost.off.reqPerSec.median)} req/s with it off (the two servers off, averaged) (${cost.connections} connections).`;
  const control = `The control, a second server with the trace off, measured ${fixed(cost.controlRatio.median, 3)} × the first (from ${fixed(cost.controlRatio.min, 3)} to ${fixed(cost.controlRatio.max, 3)}): the noise of this figure.`;
  return `${verdictLine(target, results)} ${figures} ${cost.rounds === 1 ? "1 round" : `${cost.rounds} rounds`} of fresh servers × ${cost.pairsPerRound} interleaved runs of ${cost.runSeconds} s each. ${control}`;
}

/** The users-database paragraph: the PostgreSQL/SQLite verdict with its runs, and what the sign-in figures mean. */
function usersDatabaseText(results: BenchResults): string {
  const u = results.usersDatabase;
  const target = results.targets.find((t) => t.ratio === "postgres_vs_sqlite_page");
  if (!u || !target) return "Not measured in this run: its results predate the PostgreSQL option. The next `npm run bench` measures it.";
  const control = `The control, a second server on SQLite, measured ${fixed(u.pageView.controlRatio.median, 3)} × the first (from ${fixed(u.pageView.controlRatio.min, 3)} to ${fixed(u.pageView.controlRatio.max, 3)}): the noise of this figure.`;
  return `${verdictLine(target, results)} ${u.rounds === 1 ? "1 round" : `${u.rounds} rounds`} of fresh servers (SQLite, PostgreSQL, a SQLite control) × ${u.pairsPerRound} interleaved runs of ${u.runSeconds} s each. ${control}`;
}

export function renderReport(results: BenchResults): string {
  const values = placeholders(results);
  const missing = new Set<string>();
  const text = readFileSync(TEMPLATE, "utf8").replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (name in values) return values[name];
    missing.add(name);
    return "";
  });
  if (missing.size > 0) throw new Error(`bench/benchmarks.template.md: unknown placeholders ${[...missing].join(", ")}`);
  return text;
}
