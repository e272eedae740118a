import { join } from "node:path";
import { step } from "./log";
import { pingRedis, startRedisServer, type RunningRedis } from "./redis-server";
import { ensureProgram } from "./system-packages";

// The Redis that `npm start` uses when REDIS_URL is not set: 127.0.0.1:6380 with
// AOF in .data/redis, so sessions survive a Redis restart. Port 6380, not 6379,
// so it never touches a Redis the machine already runs for something else.

export const MANAGED_REDIS_PORT = 6380;

export type RedisChoice = { url: string; started?: RunningRedis } | { error: string };

export async function chooseRedis(env: NodeJS.ProcessEnv, root: string): Promise<RedisChoice> {
  if (env.REDIS_URL) {
    step(`Redis: using REDIS_URL (${new URL(env.REDIS_URL).host})`);
    return { url: env.REDIS_URL };
  }
  const url = `redis://127.0.0.1:${MANAGED_REDIS_PORT}`;
  if (await pingRedis(MANAGED_REDIS_PORT)) {
    step(`Redis: reusing the one already answering on 127.0.0.1:${MANAGED_REDIS_PORT}`);
    return { url };
  }
  const program = ensureProgram("redis-server", "redis-server");
  if ("missing" in program) {
    return { error: `${program.missing}\n  Or point the app at a Redis you run: REDIS_URL=redis://host:port npm start` };
  }
  const dir = join(root, ".data", "redis");
  const started = await startRedisServer({ binary: program.path, port: MANAGED_REDIS_PORT, dir, persistent: true });
  step(`Redis: started redis-server (pid ${started.pid}) on 127.0.0.1:${MANAGED_REDIS_PORT}, data in .data/redis, AOF on`);
  return { url, started };
}
