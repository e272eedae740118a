import { config } from "../config";
import { redis } from "../redis";
import { createSessionStore, type SessionStore } from "../session/store";

const globalForStore = globalThis as typeof globalThis & { appSessionStore?: SessionStore };

/** The app's session store: the shared Redis client with the configured timeouts. */
export function sessionStore(): SessionStore {
  const { idleTtlMs, absoluteTtlMs, lastSeenIntervalMs, redisCommandTimeoutMs } = config();
  globalForStore.appSessionStore ??= createSessionStore(redis(), {
    idleTtlMs,
    absoluteTtlMs,
    lastSeenIntervalMs,
    readyTimeoutMs: redisCommandTimeoutMs * 2,
  });
  return globalForStore.appSessionStore;
}
