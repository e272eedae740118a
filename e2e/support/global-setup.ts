import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { statusOf } from "./app-server";
import { prepareDatabase } from "../../scripts/lib/database";
import { step } from "../../scripts/lib/log";
import { buildIsStale, buildProductionBundle } from "../../scripts/lib/next-build";
import { ensurePostgres, startPostgresServer } from "../../scripts/lib/postgres-server";
import { startRedisCluster } from "../../scripts/lib/redis-cluster";
import { exited, findFreePort, startRedisServer } from "../../scripts/lib/redis-server";
import { startRedisSentinel } from "../../scripts/lib/redis-sentinel";
import { ensureProgram } from "../../scripts/lib/system-packages";
import { APP_SERVERS, E2E_DIR } from "./servers";
import { makeLocalhostCertificate } from "./tls";

// Playwright's global setup: everything the e2e suite runs against, started here
// on free ports, so that `npx playwright test e2e/<one>.spec.ts` works on a fresh
// checkout as `npm test` does. A production build (made if stale), a
// redis-server, a Redis Cluster (3 masters + 3 replicas), a Sentinel set, a
// PostgreSQL server (initdb + pg_ctl), a SQLite file, then the app servers of
// e2e/support/servers.ts. Their addresses go to process.env, which the workers
// inherit (playwright.config.ts and e2e/support/env.ts read them there). The
// teardown it returns stops each, by its PID.

type Stoppable = { stop: () => Promise<void> };

export default async function globalSetup(): Promise<() => Promise<void>> {
  const started: Stoppable[] = [];
  const teardown = async (): Promise<void> => {
    const results = await Promise.allSettled(started.splice(0).reverse().map((server) => server.stop()));
    for (const result of results) if (result.status === "rejected") console.error(`could not stop a server: ${String(result.reason)}`);
  };
  try {
    await startEverything(started);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

function need(found: { path: string } | { missing: string }): string {
  if ("missing" in found) throw new Error(found.missing);
  return found.path;
}

async function startEverything(started: Stoppable[]): Promise<void> {
  rmSync(E2E_DIR, { recursive: true, force: true });
  mkdirSync(E2E_DIR, { recursive: true });
  const env = process.env;
  env.REDIS_SERVER_BIN ??= need(ensureProgram("redis-server", "redis-server"));
  if (!existsSync(chromium.executablePath()) && !env.CHROMIUM_PATH) env.CHROMIUM_PATH = need(ensureProgram("chromium", "chromium"));
  const postgres = env.TEST_DATABASE_URL ? undefined : ensurePostgres();
  if (postgres && "missing" in postgres) throw new Error(postgres.missing);

  if (buildIsStale()) {
    step("Building the production bundle (next build)…");
    if (!buildProductionBundle()) throw new Error("next build failed");
  }

  const binary = env.REDIS_SERVER_BIN;
  const redis = await startRedisServer({ binary, port: await findFreePort(), dir: join(E2E_DIR, "redis"), persistent: false });
  started.push(redis);
  // The scale specs kill masters by PID: the PIDs and ports go to a file they read (e2e/support/topologies.ts).
  const cluster = await startRedisCluster({ binary, dir: join(E2E_DIR, "cluster"), masters: 3, replicasPerMaster: 1 });
  started.push(cluster);
  const sentinel = await startRedisSentinel({ binary, dir: join(E2E_DIR, "sentinel"), masterName: "sessions" });
  started.push(sentinel);
  writeFileSync(
    join(E2E_DIR, "topologies.json"),
    JSON.stringify({ cluster: { seeds: cluster.seeds, nodes: cluster.nodes }, sentinel: { sentinels: sentinel.sentinels, name: sentinel.masterName, nodes: sentinel.nodes } }),
  );

  const databasePath = join(E2E_DIR, "e2e.db");
  await prepareDatabase({ kind: "sqlite", path: databasePath });
  const pgServer = await startPostgresServer({ port: await findFreePort(), bin: postgres && "bin" in postgres ? postgres.bin : undefined });
  started.push({ stop: pgServer.destroy });
  await pgServer.createDatabase("e2e");
  await prepareDatabase({ kind: "postgres", url: pgServer.urlOf("e2e"), poolMax: 10, statementTimeoutMs: 5000 });
  step(`e2e: redis-server pid ${redis.pid}; Cluster ${cluster.seeds.join(",")}; Sentinel ${sentinel.sentinels.join(",")}; PostgreSQL ${pgServer.pid ?? "of TEST_DATABASE_URL"}`);

  const certificate = makeLocalhostCertificate(join(E2E_DIR, "tls"));
  Object.assign(env, {
    E2E_TLS_CERT_FILE: certificate.certFile,
    E2E_TLS_KEY_FILE: certificate.keyFile,
    E2E_TLS_SPKI_HASH: certificate.spkiHash,
    E2E_RUN_DIR: E2E_DIR,
    E2E_REDIS_URL: redis.url,
    E2E_DATABASE_URL: databasePath,
    E2E_POSTGRES_URL: pgServer.urlOf("e2e"),
    E2E_POSTGRES_ADMIN_URL: pgServer.urlOf("postgres"),
    E2E_FAULT_REDIS_PORT: String(await findFreePort()),
    E2E_CLUSTER_NODES: cluster.seeds.join(","),
    E2E_SENTINELS: sentinel.sentinels.join(","),
    E2E_SENTINEL_NAME: sentinel.masterName,
  });
  for (const server of APP_SERVERS) env[server.portVariable] = String(await findFreePort());
  // All at once: each takes a few seconds to start, mostly waiting.
  const servers = await Promise.all(APP_SERVERS.map((server) => startAppServer(server.name, Number(env[server.portVariable]), server.env(), server.tls)));
  started.push(...servers);
  step(`e2e: ${servers.length} app servers answering`);
}

const SHOW_LOGS = Boolean(process.env.E2E_SERVER_LOGS);

/** server.ts as `npm start` runs it on the production build; ready once /login answers 200. */
async function startAppServer(name: string, port: number, env: Record<string, string>, tls?: true): Promise<Stoppable> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts", "--hostname", "127.0.0.1", "--port", String(port)], {
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", SHOW_LOGS ? "inherit" : "pipe", SHOW_LOGS ? "inherit" : "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await exited(child);
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ${name} app server exited (${child.exitCode}):\n${output}`);
    const status = await statusOf(`${tls ? "https" : "http"}://127.0.0.1:${port}/login`);
    if (status === 200) return { stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the ${name} app server did not answer on port ${port} within 90 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
