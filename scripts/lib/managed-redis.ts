import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { step } from "./log";
import { probeRedis, startRedisServer, type RunningRedis } from "./redis-server";
import { ensureProgram } from "./system-packages";

// The Redis that `npm start` uses when REDIS_URL is not set: 127.0.0.1:6380 with
// AOF in .data/redis, so sessions survive a Redis restart. Port 6380, not 6379,
// so it never touches a Redis the machine already runs for something else. It
// listens on loopback only and wants a password made at its first start, kept in
// .data/redis/password (mode 0600), so no other local program can read sessions.

export const MANAGED_REDIS_PORT = 6380;

export type RedisChoice = { url: string; started?: RunningRedis } | { error: string };

/** The managed Redis's password: made once, kept readable by its owner only. */
function managedPassword(dir: string): string {
  const file = join(dir, "password");
  mkdirSync(dir, { recursive: true });
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(24).toString("base64url")}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return readFileSync(file, "utf8").trim();
}

export async function chooseRedis(env: NodeJS.ProcessEnv, root: string, port = MANAGED_REDIS_PORT): Promise<RedisChoice | { topology: string }> {
  // A Cluster or a Sentinel set is the app's to reach (lib/runtime/config.ts); nothing to start here.
  if (env.REDIS_CLUSTER_NODES) {
    step("Redis: using the Redis Cluster of REDIS_CLUSTER_NODES");
    return { topology: "cluster" };
  }
  if (env.REDIS_SENTINELS) {
    step("Redis: using the Sentinel set of REDIS_SENTINELS");
    return { topology: "sentinel" };
  }
  if (env.REDIS_URL) {
    step(`Redis: using REDIS_URL (${new URL(env.REDIS_URL).host})`);
    return { url: env.REDIS_URL };
  }
  const dir = join(root, ".data", "redis");
  const password = managedPassword(dir);
  const url = `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const found = await probeRedis(port, password);
  if (found === "answers") {
    step(`Redis: reusing the one npm start made, already answering on 127.0.0.1:${port}`);
    return { url };
  }
  if (found !== "free") {
    const what = found === "other-redis" ? "a Redis that npm start did not make (it does not take the password in .data/redis/password)" : "something that is not Redis";
    return { error: `Port ${port} is taken by ${what}.\n  Stop it, or point the app at a Redis of yours: REDIS_URL=redis://host:port npm start` };
  }
  const program = ensureProgram("redis-server", "redis-server");
  if ("missing" in program) {
    return { error: `${program.missing}\n  Or point the app at a Redis you run: REDIS_URL=redis://host:port npm start` };
  }
  const started = await startRedisServer({ binary: program.path, port, dir, persistent: true, password });
  step(`Redis: started redis-server (pid ${started.pid}) on 127.0.0.1:${port}, data in .data/redis, AOF on, password in .data/redis/password`);
  return { url, started };
}
