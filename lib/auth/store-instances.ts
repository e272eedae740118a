import { config } from "../config";
import { createRedisClient, redis, traced, type RedisClient } from "../redis";
import { createSessionStore, type SessionStore } from "../session/store";
import { createLoginLimiter, type LoginLimiter } from "./login-limiter";
import { createSignupLimiter, type SignupLimiter } from "./signup-limiter";

// The app's instances of the Redis-backed pieces, built once from the config and
// cached on globalThis (shared by the proxy, pages and route handlers).

const globalForStore = globalThis as typeof globalThis & {
  appSessionStore?: SessionStore;
  appLoginLimiter?: LoginLimiter;
  appSignupLimiter?: SignupLimiter;
  appReplicatedWriter?: RedisClient;
};

/** SESSION_WAIT_REPLICAS: the connection that sign-ins and revocations wait for replicas on (WAIT holds it). */
function replicatedWriter(): RedisClient {
  globalForStore.appReplicatedWriter ??= traced(createRedisClient(config().redis, config().redisCommandTimeoutMs + config().waitReplicas.timeoutMs));
  return globalForStore.appReplicatedWriter;
}

/** How long a call may wait for a (re)connecting client before the caller answers 503. */
export const readyTimeoutMs = (): number => config().redisCommandTimeoutMs * 2;

export function sessionStore(): SessionStore {
  const { idleTtlMs, absoluteTtlMs, lastSeenIntervalMs, maxSessionsPerUser, waitReplicas } = config();
  globalForStore.appSessionStore ??= createSessionStore(redis(), {
    idleTtlMs,
    absoluteTtlMs,
    lastSeenIntervalMs,
    maxSessionsPerUser,
    waitReplicas: waitReplicas.count > 0 ? { ...waitReplicas, writer: replicatedWriter() } : undefined,
    readyTimeoutMs: readyTimeoutMs(),
  });
  return globalForStore.appSessionStore;
}

export function loginLimiter(): LoginLimiter {
  globalForStore.appLoginLimiter ??= createLoginLimiter(redis(), config().loginLimits, readyTimeoutMs());
  return globalForStore.appLoginLimiter;
}

export function signupLimiter(): SignupLimiter {
  globalForStore.appSignupLimiter ??= createSignupLimiter(redis(), config().signupLimit, readyTimeoutMs());
  return globalForStore.appSignupLimiter;
}
