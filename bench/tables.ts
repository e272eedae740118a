import { bytes, fixed, integer, micros, millis, rate } from "./format";
import type { HttpTargetName } from "./http";
import type { BenchResults } from "./results";
import type { VariantName } from "./variants";
import { QUERY_KINDS, type QueryKind } from "./users-database";

// The result tables, built once and printed two ways: aligned text on stdout,
// Markdown in docs/benchmarks.md.

export type Table = { title: string; headers: string[]; rows: string[][] };

const VARIANT_ORDER: VariantName[] = ["get", "hgetall", "validate", "connect_redis", "naive", "script_only", "hgetall_app_client"];
const HTTP_ORDER: HttpTargetName[] = ["guarded", "open", "api_me", "no_cookie"];

export function validationTable(results: BenchResults): Table {
  const [low, high] = Object.keys(results.validation);
  const rows = VARIANT_ORDER.flatMap((name) => {
    const a = results.validation[low]?.[name];
    const b = results.validation[high]?.[name];
    if (!a || !b) return [];
    return [[a.label, a.role, rate(a.opsPerSec), micros(a.p50Ms.median), micros(a.p99Ms.median), rate(b.opsPerSec), micros(b.p50Ms.median), micros(b.p99Ms.median)]];
  });
  return {
    title: `Session validation (one shared client per variant, ${integer(results.meta.sizes.validationSessions)} sessions cycled)`,
    headers: ["variant", "role", `${low} ops/s`, `${low} p50`, `${low} p99`, `${high} ops/s`, `${high} p50`, `${high} p99`],
    rows,
  };
}

export function cpuTable(results: BenchResults): Table {
  const concurrencies = Object.keys(results.validation);
  const cpu = (us: number): string => `${us.toFixed(1)} µs`;
  return {
    title: "CPU time per validation (bench process = client library + code around the call; redis-server)",
    headers: ["variant", ...concurrencies.flatMap((c) => [`${c} client`, `${c} Redis`])],
    rows: VARIANT_ORDER.flatMap((name) => {
      const figures = concurrencies.flatMap((c) => {
        const f = results.validation[c]?.[name];
        return f ? [f] : [];
      });
      if (figures.length !== concurrencies.length) return [];
      return [[figures[0].label, ...figures.flatMap((f) => [cpu(f.clientCpuUs.median), cpu(f.redisCpuUs.median)])]];
    }),
  };
}

export function httpTable(results: BenchResults): Table {
  return {
    title: `HTTP against the production server (autocannon, ${results.http.connections} connections)`,
    headers: ["request", "status", "req/s", "p50", "p99", "failed"],
    rows: HTTP_ORDER.map((name) => {
      const t = results.http.targets[name];
      const failed = Object.values(t.failed).reduce((a, b) => a + b, 0);
      return [t.label, String(t.status), rate(t.reqPerSec), millis(t.p50Ms.median), millis(t.p99Ms.median), `${failed} of ${integer(t.responses)}`];
    }),
  };
}

export function listingTable(results: BenchResults): Table {
  const { listing } = results;
  const row = (label: string, f: BenchResults["listing"]["withOthers"]): string[] => [label, millis(f.p50Ms.median), millis(f.p99Ms.median)];
  return {
    title: `Devices listing: listUserSessions() of a user with ${listing.userSessions} sessions (sequential calls)`,
    headers: ["Redis holds", "p50", "p99"],
    rows: [
      row("no other session", listing.withoutOthers),
      row(`${integer(listing.withOthers.otherSessions)} other users' sessions`, listing.withOthers),
      [
        `contrast: one full SCAN MATCH session:{*}:token:* COUNT 1000 loop (${listing.fullScan.calls} calls, ${integer(listing.fullScan.keysMatched)} keys)`,
        millis(listing.fullScan.ms.median),
        "",
      ],
    ],
  };
}

export function memoryTable(results: BenchResults): Table {
  const m = results.memory;
  return {
    title: `Redis memory (default configuration, ${integer(m.sessions)} sessions, ${m.sessionsPerUser} per user)`,
    headers: ["what", "value"],
    rows: [
      ["used_memory per session, index included", bytes(m.bytesPerSession)],
      ["one session hash: encoding, MEMORY USAGE", `${m.sessionHash.encoding}, ${bytes(m.sessionHash.bytes)} (${m.sessionHash.fields} fields)`],
      [`one user's index (${m.userIndex.entries} entries): encoding, MEMORY USAGE`, `${m.userIndex.encoding}, ${bytes(m.userIndex.bytes)}`],
      [`contrast: the same hash plus the raw ${m.withRawUserAgent.userAgentLength}-character user agent`, `${m.withRawUserAgent.encoding}, ${bytes(m.withRawUserAgent.bytes)}`],
      ...(m.activityLog
        ? [[`apart: one user's activity log (a stream of ${m.activityLog.entriesPerUser} sign-in lines; at most 50)`, `${bytes(m.activityLog.bytesPerUser)} per user`]]
        : []),
    ],
  };
}

const breakdown = (counts: Record<string, number>, requests: number): string =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([name, calls]) => `${name.toUpperCase()} ×${fixed(calls / requests, calls % requests === 0 ? 0 : 2)}`)
    .join(", ") || "none";

const perRequest = (value: number | undefined): string => (value === undefined ? "n/a" : fixed(value, Number.isInteger(value) ? 0 : 2));

export function commandsTable(results: BenchResults): Table {
  // The users database's side of the same requests, counted by the app's driver hook (SQLite / PostgreSQL).
  const queries = (kind: QueryKind | undefined): string => {
    const counted = results.usersDatabase?.queriesPerRequest;
    if (!counted) return "n/a";
    return kind === undefined ? "0 / 0" : `${perRequest(counted.sqlite[kind])} / ${perRequest(counted.postgres[kind])}`;
  };
  const row = (label: string, c: BenchResults["commands"]["apiRequest"], kind: QueryKind | undefined): string[] => [
    label,
    fixed(c.sentPerRequest, Number.isInteger(c.sentPerRequest) ? 0 : 2),
    queries(kind),
    breakdown(c.sent, c.requests),
    breakdown(c.inScripts, c.requests),
  ];
  return {
    title: "Redis commands and users-database queries per request (INFO commandstats split by MONITOR; the app's driver hook)",
    headers: ["request", "Redis commands sent", "users-database queries (SQLite / PostgreSQL)", "sent", "run inside the scripts"],
    rows: [
      row("GET /api/me (bearer)", results.commands.apiRequest, "apiMe"),
      row("page view of / signed in (cookie)", results.commands.pageView, "pageView"),
      // A malformed cookie is answered before anything is asked of either store.
      row("malformed cookie", results.commands.malformedRequest, undefined),
    ],
  };
}

export function usersDatabaseTable(results: BenchResults): Table {
  const u = results.usersDatabase;
  if (!u) return { title: "Users database: not measured in this run", headers: ["what"], rows: [] };
  return {
    title: `Users database: the same build on SQLite and on PostgreSQL (autocannon; page views ${u.connections} connections, sign-ins ${u.signIn.connections})`,
    headers: ["what", "SQLite", "PostgreSQL"],
    rows: [
      ["signed-in home page, req/s", rate(u.pageView.sqlite.reqPerSec), rate(u.pageView.postgres.reqPerSec)],
      ["sign-in (POST /api/auth/login), req/s", rate(u.signIn.sqlite.reqPerSec), rate(u.signIn.postgres.reqPerSec)],
      ["sign-in p50", millis(u.signIn.sqlite.p50Ms.median), millis(u.signIn.postgres.p50Ms.median)],
      ...(Object.entries(QUERY_KINDS) as [QueryKind, string][]).map(([kind, label]) => [
        `users-database queries: ${label}`,
        perRequest(u.queriesPerRequest.sqlite[kind]),
        perRequest(u.queriesPerRequest.postgres[kind]),
      ]),
    ],
  };
}

export function targetsTable(results: BenchResults): Table {
  return {
    title: "Targets",
    headers: ["target", "measured", "verdict"],
    rows: results.targets.map((t) => {
      const range = results.ratioRanges[t.ratio];
      // Three decimals: 0.848 must not read as a missed 0.85.
      const value = t.ratio === "bytes_per_session" ? bytes(t.value) : fixed(t.value, Number.isInteger(t.value) ? 0 : 3);
      const runs = range ? ` (runs ${fixed(range.min, 3)}–${fixed(range.max, 3)})` : "";
      return [t.name, `${value}${runs}`, t.met ? "met" : `MISSED: ${t.missedBy}`];
    }),
  };
}

export function allTables(results: BenchResults): Table[] {
  return [validationTable(results), cpuTable(results), httpTable(results), usersDatabaseTable(results), listingTable(results), memoryTable(results), commandsTable(results), targetsTable(results)];
}

/** Aligned plain text for the terminal. */
export function textTable(table: Table): string {
  const widths = table.headers.map((header, i) => Math.max(header.length, ...table.rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [table.title, line(table.headers), widths.map((w) => "─".repeat(w)).join("  "), ...table.rows.map(line)].join("\n");
}

export function markdownTable(table: Table): string {
  const escape = (cell: string): string => cell.replace(/\|/g, "\\|");
  return [
    `| ${table.headers.map(escape).join(" | ")} |`,
    `| ${table.headers.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}
