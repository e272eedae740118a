import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { prepareDatabase } from "../scripts/lib/database";
import { runScale } from "./scale";
import { fail, step } from "../scripts/lib/log";
import { findFreePort, startRedisServer, type RunningRedis } from "../scripts/lib/redis-server";
import { ensureProgram } from "../scripts/lib/system-packages";
import { chartSvg } from "./chart";
import { countCommands } from "./commands";
import { httpTargets, runHttp } from "./http";
import { runListingAndMemory } from "./keyspace";
import { runRevokeLatency } from "./live";
import { cpuSnapshot, foreignCores, machineInfo } from "./machine";
import { countServerLog, ensureProductionBuild, signIn, startNext, type RunningNext } from "./next-server";
import { benchOptions } from "./options";
import { renderReport } from "./report";
import { computeRatios, evaluateTargets, type BenchResults } from "./results";
import { infoFields } from "./redis-info";
import { allTables, textTable } from "./tables";
import { runTraceCost } from "./trace-cost";
import { runUsersDatabase } from "./users-database";
import { runValidation } from "./validation";
import { startPostgresServer, type RunningPostgres } from "../scripts/lib/postgres-server";

// `npm run bench` (`-- --quick` for the CI smoke test): starts its own
// redis-server and the app (server.ts), measures, stops both by PID, then writes
// bench/results.json, docs/benchmarks.md and docs/benchmarks.svg. It fails only
// when something breaks (a live session judged invalid, an unexpected HTTP
// status, a command count that cannot be read), never because a figure is slow.

const ROOT = process.cwd();
// The production cookie name (lib/web/credential.ts: Secure cookies in production).
const COOKIE_NAME = "__Host-session";
/** Cores of other processes' load above which a phase's figures are flagged (of the 2 a machine of this kind has). */
const FOREIGN_LOAD_WARNING = 0.2;
const DEMO_USER = { email: "alice@example.com", password: "alice-demo-pass" };

const running: { redis?: RunningRedis; postgres?: RunningPostgres; next?: RunningNext; extra: Set<RunningNext> } = { extra: new Set() };

async function stopAll(): Promise<void> {
  if (running.next) await running.next.stop();
  for (const server of running.extra) await server.stop();
  running.extra.clear();
  if (running.redis) await running.redis.stop();
  if (running.postgres) await running.postgres.destroy();
  running.next = undefined;
  running.redis = undefined;
  running.postgres = undefined;
}

/**
 * Where a run writes: bench/results.json and docs/benchmarks.{md,svg}, or all three
 * into the folder given with `--out DIR` (npm test's smoke run, which must not
 * replace the published figures).
 */
function outputPaths(argv: string[]): { json: string; markdown: string; svg: string } {
  const at = argv.indexOf("--out");
  if (at >= 0 && argv[at + 1]) {
    const dir = argv[at + 1];
    return { json: join(dir, "results.json"), markdown: join(dir, "benchmarks.md"), svg: join(dir, "benchmarks.svg") };
  }
  return { json: join(ROOT, "bench", "results.json"), markdown: join(ROOT, "docs", "benchmarks.md"), svg: join(ROOT, "docs", "benchmarks.svg") };
}

/** Writes the three outputs of a run. */
function writeOutputs(results: BenchResults): string {
  const paths = outputPaths(process.argv);
  for (const path of Object.values(paths)) mkdirSync(dirname(path), { recursive: true });
  writeFileSync(paths.json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(paths.markdown, renderReport(results));
  writeFileSync(paths.svg, chartSvg(results));
  return Object.values(paths).map((path) => relative(ROOT, path)).join(", ");
}

async function main(): Promise<void> {
  // --report-only: re-render the docs and the chart from bench/results.json after
  // editing bench/benchmarks.template.md, without measuring again.
  if (process.argv.includes("--report-only")) {
    const results = JSON.parse(readFileSync(join(ROOT, "bench", "results.json"), "utf8")) as BenchResults;
    writeFileSync(join(ROOT, "docs", "benchmarks.md"), renderReport(results));
    writeFileSync(join(ROOT, "docs", "benchmarks.svg"), chartSvg(results));
    step("re-rendered docs/benchmarks.md and docs/benchmarks.svg from bench/results.json");
    return;
  }
  const started = performance.now();
  const options = benchOptions(process.argv.slice(2));
  step(
    options.mode === "quick"
      ? `bench --quick: short runs and ${options.listing.otherSessions.toLocaleString("en-US")} sessions instead of 100,000 (a smoke test; figures are rough)`
      : "bench: full run",
  );
  const redisServer = ensureProgram("redis-server", "redis-server");
  if ("missing" in redisServer) fail(redisServer.missing);
  // Before anything is measured: a build running alongside would take the CPU.
  const buildSeconds = ensureProductionBuild();

  const workDir = mkdtempSync(join(tmpdir(), "nrs-bench-"));
  // No memory option of any kind: the memory figure is for Redis's defaults.
  running.redis = await startRedisServer({ binary: redisServer.path, port: await findFreePort(), dir: join(workDir, "redis"), persistent: false });
  const redisUrl = running.redis.url;
  step(`redis-server: pid ${running.redis.pid}, port ${running.redis.port}`);
  const admin = new Redis(redisUrl);
  let keepWorkDir = false;
  const foreign: Record<string, number | null> = {};
  const phaseSeconds: Record<string, number> = {};
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const before = cpuSnapshot();
    const phaseStart = performance.now();
    const result = await work();
    phaseSeconds[name] = Math.round((performance.now() - phaseStart) / 100) / 10;
    foreign[name] = foreignCores(before, cpuSnapshot());
    return result;
  };

  try {
    const redisVersion = (await infoFields(admin, "server")).redis_version ?? "unknown";

    await admin.flushall();
    const validation = await phase("validation", () => runValidation(redisUrl, options));

    await admin.flushall();
    const { listing, memory } = await phase("listing_memory", () => runListingAndMemory(redisUrl, admin, options));

    await admin.flushall();
    const databasePath = join(workDir, "app.db");
    await prepareDatabase({ kind: "sqlite", path: databasePath });
    // The figures are the app's own: the learning aid (SHOW_REDIS_TRACE, on in demo mode) is measured apart, below.
    const next = await startNext({ redisUrl, databaseUrl: databasePath, logPath: join(workDir, "next.log"), env: { SHOW_REDIS_TRACE: "off" } });
    running.next = next;
    step(`app server: pid ${next.pid}, ${next.baseUrl}`);
    const token = await signIn(next.baseUrl, DEMO_USER.email, DEMO_USER.password);
    const targets = httpTargets(token, COOKIE_NAME);
    const commands = await phase("commands", async () => {
      const { baseUrl } = next;
      const get = async (path: string, headers: Record<string, string>, status: number): Promise<void> => {
        const response = await fetch(`${baseUrl}${path}`, { headers, redirect: "manual" });
        await response.arrayBuffer();
        if (response.status !== status) throw new Error(`GET ${path}: ${response.status}, expected ${status}`);
      };
      const [guarded, , apiMe] = targets;
      // Warm-up: the app's client connects and loads its scripts on first use, which must not be counted.
      for (let i = 0; i < 3; i++) await get(apiMe.path, apiMe.headers, 200);
      step("commands per request: GET /api/me, a page view, a malformed cookie…");
      const n = options.commandSamples;
      return {
        apiRequest: await countCommands(redisUrl, n, () => get(apiMe.path, apiMe.headers, 200)),
        pageView: await countCommands(redisUrl, n, () => get(guarded.path, guarded.headers, 200)),
        malformedRequest: await countCommands(redisUrl, n, () => get(guarded.path, { cookie: `${COOKIE_NAME}=not-a-token` }, 303)),
      };
    });
    const http = await phase("http", () => runHttp(next.baseUrl, targets, options));
    step(`live updates: ${options.liveRevokes} revokes of a tab open in Chromium, timed until it moves…`);
    const live = await phase("live", () => runRevokeLatency(next.baseUrl, DEMO_USER, options.liveRevokes));
    http.serverLog = countServerLog(join(workDir, "next.log"));
    // Fresh servers for the trace's cost (the one above is warmer than a new one would be, which would bias the ratio).
    await next.stop();
    running.next = undefined;
    const traceCost = await phase("trace", () =>
      runTraceCost(
        async (variant, round) => {
          const server = await startNext({
            redisUrl,
            databaseUrl: databasePath,
            logPath: join(workDir, `next-trace-${variant}.log`),
            env: { SHOW_REDIS_TRACE: variant === "on" ? "on" : "off" },
          });
          running.extra.add(server);
          step(`round ${round + 1}: app server with the trace ${variant === "control" ? "off (control)" : variant}: pid ${server.pid}, ${server.baseUrl}`);
          return {
            baseUrl: server.baseUrl,
            stop: async () => {
              await server.stop();
              running.extra.delete(server);
            },
          };
        },
        targets[0],
        options,
      ),
    );
    // The users database on PostgreSQL: a server of the bench's own, the same demo users as the SQLite file.
    running.postgres = await startPostgresServer({ port: await findFreePort() });
    await running.postgres.createDatabase("bench");
    const postgresUrl = running.postgres.urlOf("bench");
    await prepareDatabase({ kind: "postgres", url: postgresUrl, poolMax: 10, statementTimeoutMs: 5000 });
    step(`PostgreSQL: pid ${running.postgres.pid ?? "(TEST_DATABASE_URL's server)"}`);
    const usersDatabase = await phase("users_database", () =>
      runUsersDatabase(
        async (kind, round) => {
          const server = await startNext({
            redisUrl,
            databaseUrl: kind === "sqlite" ? databasePath : postgresUrl,
            logPath: join(workDir, `next-${kind}.log`),
            // Sign-in throughput piles sessions on one user: the cap (and its evictions) must not be what is measured.
            env: { SHOW_REDIS_TRACE: "off", SESSION_MAX_PER_USER: "1000000" },
          });
          running.extra.add(server);
          step(`round ${round + 1}: app server on ${kind === "sqlite" ? "SQLite" : "PostgreSQL"}: pid ${server.pid}, ${server.baseUrl}`);
          return {
            baseUrl: server.baseUrl,
            stop: async () => {
              await server.stop();
              running.extra.delete(server);
            },
          };
        },
        DEMO_USER,
        COOKIE_NAME,
        options,
      ),
    );
    await stopAll();
    step("scale: validations on one Redis and on a 3-master Cluster at concurrency 64, then a failover…");
    const scale = await phase("scale", () => runScale(redisServer.path, workDir, options));

    const measured = {
      meta: {
        date: new Date().toISOString(),
        mode: options.mode,
        repetitions: options.repetitions,
        durations: {
          validationWarmupMs: options.validation.warmupMs,
          validationMs: options.validation.durationMs,
          httpInitialWarmupSeconds: options.http.initialWarmupSeconds,
          httpWarmupSeconds: options.http.warmupSeconds,
          httpSeconds: options.http.durationSeconds,
        },
        sizes: {
          validationSessions: options.validation.sessions,
          listingOtherSessions: options.listing.otherSessions,
          memorySessions: options.listing.otherSessions,
          listingIterations: options.listing.iterations,
        },
        machine: machineInfo(redisVersion),
        foreignCores: foreign,
        phaseSeconds,
        buildSeconds: Math.round(buildSeconds),
        wallSeconds: Math.round((performance.now() - started) / 1000),
      },
      validation,
      http,
      traceCost,
      usersDatabase,
      listing,
      memory,
      commands,
      scale,
      live,
    };
    const { ratios, ratioRanges } = computeRatios(measured);
    const results: BenchResults = { ...measured, ratioRanges, ratios, targets: evaluateTargets(ratios) };

    console.log("");
    for (const table of allTables(results)) console.log(`${textTable(table)}\n`);
    const written = writeOutputs(results);
    for (const [name, cores] of Object.entries(foreign)) {
      if (cores !== null && cores > FOREIGN_LOAD_WARNING) {
        step(`warning: other processes kept ${cores.toFixed(2)} cores busy during ${name.replace("_", " and ")}: its figures are less reliable than on a quiet machine`);
      }
    }
    const missed = results.targets.filter((t) => !t.met).length;
    step(`wrote ${written} in ${results.meta.wallSeconds} s; targets met: ${results.targets.length - missed}/${results.targets.length}`);
  } catch (error) {
    // Keep the logs of what broke: Next.js' and Redis' output stay in the work directory.
    const nextLog = join(workDir, "next.log");
    if (existsSync(nextLog)) console.error(`--- last lines of ${nextLog} ---\n${readFileSync(nextLog, "utf8").split("\n").slice(-40).join("\n")}`);
    keepWorkDir = true;
    throw error;
  } finally {
    admin.disconnect();
    await stopAll();
    if (keepWorkDir) console.error(`logs kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stopAll().then(() => process.exit(130)));
main().catch(async (error: unknown) => {
  await stopAll();
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
});
