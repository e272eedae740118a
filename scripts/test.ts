import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { prepareDatabase } from "./lib/database";
import { fail, step } from "./lib/log";
import { buildIsStale, buildProductionBundle } from "./lib/next-build";
import { startRedisCluster } from "./lib/redis-cluster";
import { findFreePort, startRedisServer, type RunningRedis } from "./lib/redis-server";
import { startRedisSentinel } from "./lib/redis-sentinel";
import { ensurePostgres, startPostgresServer } from "./lib/postgres-server";
import { ensureProgram } from "./lib/system-packages";

// `npm test`: typecheck, lint, unit and integration tests (Vitest, against a
// redis-server of their own), then the Playwright suite against a production
// build, with its own redis-server on a free port and its own SQLite file.
// Nothing here touches the Redis on 6379/6380 or the app's .data/.

const RUN_DIR = join(process.cwd(), ".test-runs");
const started: Pick<RunningRedis, "stop">[] = [];

function run(title: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  step(title);
  const result = spawnSync(command, args, { stdio: "inherit", env });
  return result.status === 0;
}

function countsFrom(file: string, read: (json: Record<string, unknown>) => [number, number]): [number, number] {
  if (!existsSync(file)) return [0, 0];
  return read(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>);
}

async function main(): Promise<boolean> {
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });

  const redisServer = ensureProgram("redis-server", "redis-server");
  if ("missing" in redisServer) fail(redisServer.missing);
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_SERVER_BIN: redisServer.path };
  // PostgreSQL, for the users-database tests on both kinds (or TEST_DATABASE_URL's server).
  const postgres = process.env.TEST_DATABASE_URL ? undefined : ensurePostgres();
  if (postgres && "missing" in postgres) fail(postgres.missing);
  if (!existsSync(chromium.executablePath()) && !env.CHROMIUM_PATH) {
    const system = ensureProgram("chromium", "chromium");
    if ("missing" in system) fail(`${system.missing}\n  Or point CHROMIUM_PATH at a Chromium or Chrome binary.`);
    env.CHROMIUM_PATH = system.path;
  }

  const npx = (bin: string): string => join("node_modules", ".bin", bin);
  // --e2e-only skips straight to the browser suite (handy while working on it).
  const e2eOnly = process.argv.includes("--e2e-only");
  if (!e2eOnly && !run("Typecheck (tsc --noEmit)", npx("tsc"), ["--noEmit"], env)) return false;
  if (!e2eOnly && !run("Lint (eslint)", npx("eslint"), ["."], env)) return false;
  const layers = ["--config", ".dependency-cruiser.cjs", "app", "lib", "proxy.ts", "server.ts"];
  if (!e2eOnly && !run("Dependency rules (dependency-cruiser: folders depend one way)", npx("depcruise"), layers, env)) return false;
  const vitestJson = join(RUN_DIR, "vitest.json");
  const unitOk = e2eOnly || run("Unit and integration tests (vitest, real redis-server)", npx("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`], env);
  const unit = countsFrom(vitestJson, (j) => [Number(j.numPassedTests), Number(j.numFailedTests)]);
  if (!unitOk) return summary(unit, [0, 0]);

  if (buildIsStale()) {
    step("Building the production bundle (next build)…");
    if (!buildProductionBundle(env)) return false;
  } else {
    step("Production bundle is up to date");
  }

  const redis = await startRedisServer({ binary: redisServer.path, port: await findFreePort(), dir: join(RUN_DIR, "redis"), persistent: false });
  started.push(redis);
  step(`redis-server for e2e: pid ${redis.pid}, port ${redis.port}`);
  // The scale stage: the app on a Redis Cluster (3 masters + 3 replicas) and on
  // Sentinel (a master, a replica, 3 sentinels), two app instances each. The specs
  // kill masters by PID, so the PIDs and ports go to a file they read.
  const cluster = await startRedisCluster({ binary: redisServer.path, dir: join(RUN_DIR, "cluster"), masters: 3, replicasPerMaster: 1 });
  started.push(cluster);
  const sentinel = await startRedisSentinel({ binary: redisServer.path, dir: join(RUN_DIR, "sentinel"), masterName: "sessions" });
  started.push(sentinel);
  step(`Redis Cluster on ${cluster.seeds.join(",")}; Sentinel set on ${sentinel.sentinels.join(",")}`);
  writeFileSync(
    join(RUN_DIR, "topologies.json"),
    JSON.stringify({ cluster: { seeds: cluster.seeds, nodes: cluster.nodes }, sentinel: { sentinels: sentinel.sentinels, name: sentinel.masterName, nodes: sentinel.nodes } }),
  );
  const databasePath = join(RUN_DIR, "e2e.db");
  await prepareDatabase({ kind: "sqlite", path: databasePath });
  // The same suite's core specs run again against an app on PostgreSQL (playwright.config.ts, project "postgres").
  const pgServer = await startPostgresServer({ port: await findFreePort(), bin: postgres && "bin" in postgres ? postgres.bin : undefined });
  started.push({ stop: pgServer.destroy });
  await pgServer.createDatabase("e2e");
  await prepareDatabase({ kind: "postgres", url: pgServer.urlOf("e2e"), poolMax: 10, statementTimeoutMs: 5000 });
  step(`PostgreSQL for e2e: ${pgServer.pid === undefined ? "TEST_DATABASE_URL's server" : `pid ${pgServer.pid}`}, database e2e`);

  const e2eEnv: NodeJS.ProcessEnv = {
    ...env,
    E2E_REDIS_URL: redis.url,
    E2E_DATABASE_URL: databasePath,
    E2E_POSTGRES_URL: pgServer.urlOf("e2e"),
    E2E_POSTGRES_ADMIN_URL: pgServer.urlOf("postgres"),
    E2E_POSTGRES_PORT: String(await findFreePort()),
    E2E_PORT: String(await findFreePort()),
    E2E_SHORT_IDLE_PORT: String(await findFreePort()),
    E2E_FAULT_PORT: String(await findFreePort()),
    E2E_FAULT_REDIS_PORT: String(await findFreePort()),
    E2E_ATTACK_PORT: String(await findFreePort()),
    E2E_PROXIED_PORT: String(await findFreePort()),
    E2E_CLUSTER_NODES: cluster.seeds.join(","),
    E2E_SENTINELS: sentinel.sentinels.join(","),
    E2E_SENTINEL_NAME: sentinel.masterName,
    E2E_CLUSTER_A_PORT: String(await findFreePort()),
    E2E_CLUSTER_B_PORT: String(await findFreePort()),
    E2E_SENTINEL_A_PORT: String(await findFreePort()),
    E2E_SENTINEL_B_PORT: String(await findFreePort()),
    E2E_RUN_DIR: RUN_DIR,
  };
  const extra = process.argv.slice(2).filter((arg) => arg !== "--e2e-only");
  const e2eOk = run("End-to-end tests (Playwright, production build, real Chromium)", npx("playwright"), ["test", ...extra], e2eEnv);
  const e2e = countsFrom(join(RUN_DIR, "playwright.json"), (j) => {
    const stats = j.stats as { expected: number; unexpected: number; flaky: number };
    return [stats.expected, stats.unexpected + stats.flaky];
  });
  const passed = summary(unit, e2e) && unitOk && e2eOk;
  if (!passed || e2eOnly) return passed;
  // The benchmark as a smoke test: every code path of `npm run bench`, short runs,
  // no figure judged; its output stays in .test-runs/, not in docs/.
  return run("Benchmark smoke test (npm run bench -- --quick)", npx("tsx"), ["bench/run.ts", "--quick", "--out", join(RUN_DIR, "bench")], env);
}

function summary(unit: [number, number], e2e: [number, number]): boolean {
  console.log(`\nvitest: ${unit[0]} passed, ${unit[1]} failed; playwright: ${e2e[0]} passed, ${e2e[1]} failed`);
  console.log(`${unit[0] + e2e[0]} passed, ${unit[1] + e2e[1]} failed`);
  return unit[1] + e2e[1] === 0;
}

/** Stops every server this run started, each by its PID; one that fails to stop (a node a test killed already) stops none of the others from stopping. */
async function stopAll(): Promise<void> {
  const results = await Promise.allSettled(started.splice(0).map((server) => server.stop()));
  for (const result of results) if (result.status === "rejected") console.error(`could not stop a server: ${String(result.reason)}`);
}

process.on("SIGINT", () => void stopAll().then(() => process.exit(130)));
main()
  .then(async (ok) => {
    await stopAll();
    process.exit(ok ? 0 : 1);
  })
  .catch(async (error: unknown) => {
    await stopAll();
    fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
  });
