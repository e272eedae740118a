import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { hashPassword } from "../lib/account/password";
import { openUsersDatabase } from "../lib/db/client";
import { createUser } from "../lib/db/users";
import { prepareDatabase } from "../scripts/lib/database";
import { startPostgresServer, type RunningPostgres } from "../scripts/lib/postgres-server";
import { startRedisCluster, type RunningCluster } from "../scripts/lib/redis-cluster";
import { exited, findFreePort } from "../scripts/lib/redis-server";
import type { SoakSettings } from "./settings";

// What the soak runs against, all on loopback and all its own: a Redis Cluster
// (3 masters + 3 replicas), a PostgreSQL server (initdb + pg_ctl), and two app
// instances serving the production build through server.ts, as `npm start` does,
// sharing both. Every process is stopped by its PID.

export type ProcessSample = { at: number; rssBytes: number; eventLoopDelayP99Ms: number };

export type Instance = {
  name: "A" | "B";
  url: string;
  /** The current process (a restart makes a new one). */
  pid: () => number;
  /** The "process" lines the instance logged (PROCESS_STATS_INTERVAL), with the PID that wrote them. */
  samples: (ProcessSample & { pid: number })[];
  /** Lines the instance logged with a level or event that tells of trouble (for the report). */
  problems: string[];
  restart: () => Promise<void>;
  stop: () => Promise<void>;
};

export type Stack = {
  cluster: RunningCluster;
  postgres: RunningPostgres;
  instances: [Instance, Instance];
  stop: () => Promise<void>;
};

/** The users every virtual user starts from (sign-ups add more as the run goes). */
export type SeedUser = { email: string; password: string };

export async function startStack(settings: SoakSettings, dir: string, redisBinary: string, postgresBin: string | undefined, seedUsers: SeedUser[]): Promise<Stack> {
  mkdirSync(dir, { recursive: true });
  const stoppers: (() => Promise<void>)[] = [];
  try {
    const cluster = await startRedisCluster({ binary: redisBinary, dir: join(dir, "cluster"), masters: 3, replicasPerMaster: 1, nodeTimeoutMs: settings.nodeTimeoutMs });
    stoppers.push(cluster.stop);
    const postgres = await startPostgresServer({ port: await findFreePort(), bin: postgresBin });
    stoppers.push(postgres.destroy);
    await postgres.createDatabase("soak");
    const databaseUrl = postgres.urlOf("soak");
    const target = { kind: "postgres" as const, url: databaseUrl, poolMax: 4, statementTimeoutMs: 5000 };
    await prepareDatabase(target, { demoUsers: false });
    const db = openUsersDatabase(target);
    try {
      for (const user of seedUsers) await createUser(db, { email: user.email, passwordHash: await hashPassword(user.password) });
    } finally {
      await db.close();
    }
    const env = appEnvironment(settings, cluster.seeds.join(","), databaseUrl);
    const instances = [await startInstance("A", env, dir), await startInstance("B", env, dir)] as [Instance, Instance];
    stoppers.push(...instances.map((instance) => instance.stop));
    return { cluster, postgres, instances, stop: () => stopAll(stoppers) };
  } catch (error) {
    await stopAll(stoppers);
    throw error;
  }
}

async function stopAll(stoppers: (() => Promise<void>)[]): Promise<void> {
  const results = await Promise.allSettled(stoppers.splice(0).reverse().map((stop) => stop()));
  for (const result of results) if (result.status === "rejected") console.error(`could not stop a soak process: ${String(result.reason)}`);
}

/** The app's settings in the soak: short lifetimes, so that expiry and retention happen within the run. */
function appEnvironment(settings: SoakSettings, clusterNodes: string, databaseUrl: string): Record<string, string> {
  const many = "1000000"; // every virtual user signs in from 127.0.0.1: the limits must not be what is measured
  return {
    NODE_ENV: "production",
    REDIS_CLUSTER_NODES: clusterNodes,
    SESSION_WAIT_REPLICAS: "1",
    SESSION_WAIT_TIMEOUT_MS: String(settings.waitTimeoutMs),
    REDIS_COMMAND_TIMEOUT_MS: String(settings.commandTimeoutMs),
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: "4",
    DATABASE_STATEMENT_TIMEOUT_MS: String(settings.databaseTimeoutMs),
    DEMO_USERS: "off",
    SHOW_REDIS_TRACE: "off",
    SESSION_IDLE_TTL: String(settings.idleTtlSeconds),
    SESSION_ABSOLUTE_TTL: String(settings.absoluteTtlSeconds),
    SESSION_LAST_SEEN_INTERVAL: "5",
    SESSION_MAX_PER_USER: String(settings.maxSessionsPerUser),
    SESSION_END_REASON_TTL: String(settings.retentionSeconds),
    ACTIVITY_LOG_TTL: String(settings.retentionSeconds),
    SESSION_FENCE_TTL: String(settings.retentionSeconds),
    LOGIN_FAILURE_WINDOW: String(settings.retentionSeconds),
    SIGNUP_WINDOW: String(settings.retentionSeconds),
    SIGNUP_MAX_PER_IP: many,
    LOGIN_MAX_FAILURES_PER_IP: many,
    LOGIN_MAX_FAILURES_PER_ACCOUNT: many,
    LOGIN_MAX_FAILURES_ACROSS_IPS: many,
    PROCESS_STATS_INTERVAL: String(settings.processStatsSeconds),
  };
}

async function startInstance(name: "A" | "B", env: Record<string, string>, dir: string): Promise<Instance> {
  const port = await findFreePort();
  const url = `http://localhost:${port}`;
  const log = createWriteStream(join(dir, `app-${name}.log`), { flags: "a" });
  let child: ChildProcess | undefined;
  const instance: Instance = {
    name,
    url,
    pid: () => child?.pid ?? 0,
    samples: [],
    problems: [],
    restart: async () => {
      await instance.stop();
      child = await launch();
    },
    stop: async () => {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      running.kill("SIGTERM");
      await exited(running);
    },
  };
  const launch = async (): Promise<ChildProcess> => {
    const started = spawn(process.execPath, ["--import", "tsx", "server.ts", "--hostname", "127.0.0.1", "--port", String(port)], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pid = started.pid;
    if (pid === undefined) throw new Error(`could not start app instance ${name}`);
    let pending = "";
    const read = (chunk: Buffer): void => {
      log.write(chunk);
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) readLine(instance, pid, line);
    };
    started.stdout?.on("data", read);
    started.stderr?.on("data", read);
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`app instance ${name} exited (${started.exitCode}); see ${join(dir, `app-${name}.log`)}`);
      const status = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) }).then((response) => response.status, () => 0);
      if (status === 200) return started;
      if (Date.now() > deadline) {
        started.kill("SIGTERM");
        await exited(started);
        throw new Error(`app instance ${name} did not answer /api/health within 90 s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  child = await launch();
  return instance;
}

/** A JSON log line of the app: a "process" sample, or an event worth a line in the report. */
function readLine(instance: Instance, pid: number, line: string): void {
  if (!line.startsWith("{")) return;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  if (entry.event === "process") {
    instance.samples.push({ pid, at: Date.now(), rssBytes: Number(entry.rssBytes), eventLoopDelayP99Ms: Number(entry.eventLoopDelayP99Ms) });
  } else if (typeof entry.event === "string") {
    instance.problems.push(String(entry.event));
  }
}
