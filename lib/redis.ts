import { Redis } from "ioredis";
import { config } from "./config";

// The app's one Redis client, built to fail fast. A session check that waits for a
// dead Redis holds a request open forever, so every command has a timeout, nothing
// is queued while disconnected (no unbounded memory), and reconnection happens in
// the background so the app recovers by itself when Redis is back.

const RECONNECT_MAX_DELAY_MS = 1000;

export function createRedisClient(url: string, commandTimeoutMs: number): Redis {
  const client = new Redis(url, {
    commandTimeout: commandTimeoutMs,
    connectTimeout: commandTimeoutMs * 2,
    enableOfflineQueue: false,
    // Connect on first use: a build, or a process that only ever sees malformed
    // tokens, opens no connection at all.
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, RECONNECT_MAX_DELAY_MS),
  });
  let announced = false;
  // Without an "error" listener ioredis' errors would crash the process.
  client.on("error", (error: Error) => {
    if (announced) return;
    announced = true;
    console.error(JSON.stringify({ event: "redis_unavailable", message: error.message }));
  });
  client.on("ready", () => {
    if (announced) console.error(JSON.stringify({ event: "redis_recovered" }));
    announced = false;
  });
  return client;
}

/**
 * Resolves once the client can take commands, or rejects after `timeoutMs`.
 * Without an offline queue a command sent while (re)connecting would fail at once,
 * so a request that arrives during the first few milliseconds of the process, or
 * just as Redis comes back, waits briefly for the connection instead.
 */
export async function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === "ready") return;
  // A failed first connect leaves the client in "end" (lazyConnect does not retry it).
  if (client.status === "wait" || client.status === "end") client.connect().catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      reject(new Error(`Redis not ready after ${timeoutMs} ms (status: ${client.status})`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once("ready", onReady);
  });
}

const globalForRedis = globalThis as typeof globalThis & { appRedis?: Redis };

/** The process-wide client; cached on globalThis so dev hot reload does not leak connections. */
export function redis(): Redis {
  const { redisUrl, redisCommandTimeoutMs } = config();
  globalForRedis.appRedis ??= createRedisClient(redisUrl, redisCommandTimeoutMs);
  return globalForRedis.appRedis;
}
