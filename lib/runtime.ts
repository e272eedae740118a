import { createLoginLimiter, type LoginLimiter } from "./auth/login-limiter";
import { createSignupLimiter, type SignupLimiter } from "./auth/signup-limiter";
import { config, type Config } from "./config";
import { openUsersDatabase, type UsersDatabase } from "./db/client";
import { readDatabaseInstanceId } from "./db/users";
import { createRedisClient, redis, traced, type RedisClient } from "./redis";
import { createSessionStore, type SessionStore } from "./session/store";

// The composition root: what the process runs on, built once from the config and
// handed to the proxy, pages, actions and route handlers (kept on globalThis:
// Next.js bundles each of them with its own copy of this module). Tests build the
// same thing with other settings (buildRuntime).
//
// The users database is opened here, and its instance id read once: every session
// records it and the per-request check compares it, so no request ever needs the
// database to know that its session belongs to this users database.

export type Runtime = {
  config: Config;
  users: UsersDatabase;
  /** The users database's own random id (its database_instance row). */
  usersDatabaseId: string;
  redis: RedisClient;
  sessions: SessionStore;
  loginLimiter: LoginLimiter;
  signupLimiter: SignupLimiter;
  /** Closes the connections (tests; the app's process just exits). */
  close: () => Promise<void>;
};

/** How long a call may wait for a (re)connecting Redis client before the caller answers 503. */
export const readyTimeoutMs = (settings: Config = config()): number => settings.redisCommandTimeoutMs * 2;

/**
 * Builds everything from `settings`: the users database (opened, its id read: a
 * query), a Redis client (or the one given), the session store and the limiters.
 */
export async function buildRuntime(settings: Config, parts: { users?: UsersDatabase; redis?: RedisClient } = {}): Promise<Runtime> {
  const users = parts.users ?? openUsersDatabase(settings.database);
  const usersDatabaseId = await readDatabaseInstanceId(users);
  const client = parts.redis ?? traced(createRedisClient(settings.redis, settings.redisCommandTimeoutMs), settings.showRedisTrace);
  const { idleTtlMs, absoluteTtlMs, lastSeenIntervalMs, maxSessionsPerUser, waitReplicas } = settings;
  // SESSION_WAIT_REPLICAS: sign-ins and revocations wait for replicas on a connection of their own (WAIT holds it).
  const writer = waitReplicas.count > 0 ? traced(createRedisClient(settings.redis, settings.redisCommandTimeoutMs + waitReplicas.timeoutMs), settings.showRedisTrace) : undefined;
  const sessions = createSessionStore(client, {
    usersDatabaseId,
    idleTtlMs,
    absoluteTtlMs,
    lastSeenIntervalMs,
    maxSessionsPerUser,
    waitReplicas: writer ? { ...waitReplicas, writer } : undefined,
    readyTimeoutMs: readyTimeoutMs(settings),
  });
  return {
    config: settings,
    users,
    usersDatabaseId,
    redis: client,
    sessions,
    loginLimiter: createLoginLimiter(client, settings.loginLimits, readyTimeoutMs(settings)),
    signupLimiter: createSignupLimiter(client, settings.signupLimit, readyTimeoutMs(settings)),
    close: async () => {
      client.disconnect();
      writer?.disconnect();
      await users.close();
    },
  };
}

const globalForRuntime = globalThis as typeof globalThis & { appUsersDatabase?: UsersDatabase; appRuntime?: Promise<Runtime> };

/** The users database of this process, opened on first use (no query yet). */
export function usersDatabase(): UsersDatabase {
  globalForRuntime.appUsersDatabase ??= openUsersDatabase(config().database);
  return globalForRuntime.appUsersDatabase;
}

/**
 * The process's runtime. The first call reads the users database's id (the one
 * query of a process's start); if the database cannot answer then, the call fails
 * as an outage (503) and the next one tries again.
 */
export function runtime(): Promise<Runtime> {
  globalForRuntime.appRuntime ??= buildRuntime(config(), { users: usersDatabase(), redis: redis() }).catch((error: unknown) => {
    globalForRuntime.appRuntime = undefined;
    throw error;
  });
  return globalForRuntime.appRuntime;
}
