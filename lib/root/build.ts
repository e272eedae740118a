import { AsyncLocalStorage } from "node:async_hooks";
import type { ServerResponse } from "node:http";
import { watchPendingEndings } from "../account/user-changes";
import { isDatabaseUnavailable, openUsersDatabase, type UsersDatabase } from "../db/client";
import { readDatabaseInstanceId } from "../db/users";
import { createLoginLimiter } from "../limits/login";
import { createSignupLimiter } from "../limits/signup";
import { createHub } from "../live/hub";
import { createRedisClient, type CommandObserver } from "../redis/client";
import { createSessionStore } from "../session";
import { newStampSecret } from "../web/stamp";
import { installRuntime, logEvent, type Runtime } from "../runtime";
import type { Config } from "../runtime/config";

// THE COMPOSITION ROOT: everything the process runs on, built once from the
// config, in this order: the users database (its id read: the one query of a
// start), the Redis clients, the session store, the rate limits, the live hub.
// server.ts calls startRuntime; the proxy, pages, actions and route handlers reach
// the result through runtime() (lib/runtime). Nothing else in lib/ imports this file. Tests and the bench call buildRuntime
// with settings of their own. Layers that attach at start (the teaching layer)
// bring command observers and keep their state under `extensions`.

export type Attachments = {
  /** An already open users database (tests); otherwise one is opened from the config. */
  users?: UsersDatabase;
  /** Told of every command the app's Redis clients send (the teaching layer's trace). */
  observers?: CommandObserver[];
  extensions?: Record<string, unknown>;
  /** The process's stamp secret, when the caller stamps headers before the runtime is built (server.ts). */
  stampSecret?: Buffer;
  /** Where the front door (server.ts) keeps the response of the request being served; otherwise a new one. */
  currentResponse?: AsyncLocalStorage<ServerResponse>;
  /**
   * Start connecting every Redis client now, in the background (server.ts), rather
   * than on first use: a Cluster client's first connection (slots, then a
   * connection per node) can take longer than a request may wait, and the first
   * sign-ins after a start would answer 503. Nothing waits for it: Redis down at
   * start is an outage like any other.
   */
  connectNow?: boolean;
};

export async function buildRuntime(config: Config, attachments: Attachments = {}): Promise<Runtime> {
  const users = attachments.users ?? openUsersDatabase(config.database);
  const usersDatabaseId = await readDatabaseInstanceId(users);
  const observers = attachments.observers ?? [];
  const readyTimeoutMs = config.redisCommandTimeoutMs * 2;
  const redis = createRedisClient(config.redis, { commandTimeoutMs: config.redisCommandTimeoutMs, observers });
  const { idleTtlMs, absoluteTtlMs, lastSeenIntervalMs, maxSessionsPerUser, waitReplicas, retention, remember, deviceBound } = config;
  // SESSION_WAIT_REPLICAS: sign-ins and revocations wait for replicas on a connection of their own (WAIT holds it).
  const writer =
    waitReplicas.count > 0 ? createRedisClient(config.redis, { commandTimeoutMs: config.redisCommandTimeoutMs + waitReplicas.timeoutMs, observers }) : undefined;
  const subscriber = createRedisClient(config.redis, { commandTimeoutMs: config.redisCommandTimeoutMs, role: "subscriber" });
  if (attachments.connectNow) for (const client of [redis, writer, subscriber]) client?.connect().catch(() => undefined);
  return {
    config,
    users,
    usersDatabaseId,
    redis,
    sessions: createSessionStore(redis, {
      usersDatabaseId,
      idleTtlMs,
      absoluteTtlMs,
      remember,
      boundCookieTtlMs: deviceBound.cookieTtlMs,
      lastSeenIntervalMs,
      maxSessionsPerUser,
      waitReplicas: writer ? { ...waitReplicas, writer } : undefined,
      readyTimeoutMs,
      log: logEvent,
      retention,
    }),
    loginLimiter: createLoginLimiter(redis, config.loginLimits, readyTimeoutMs),
    signupLimiter: createSignupLimiter(redis, config.signupLimit, readyTimeoutMs),
    hub: createHub(subscriber, logEvent),
    stampSecret: attachments.stampSecret ?? newStampSecret(),
    currentResponse: attachments.currentResponse ?? new AsyncLocalStorage<ServerResponse>(),
    pendingEndings: { retrying: false },
    extensions: attachments.extensions ?? {},
    close: async () => {
      for (const client of [redis, writer, subscriber]) client?.disconnect();
      await users.close();
    },
  };
}

const RETRY_EVERY_MS = 1000;

/**
 * For server.ts: builds the process's runtime and installs it, then ends the
 * sessions a Redis failure left pending (lib/account/user-changes.ts). A users
 * database that cannot answer yet is no reason not to start: requests answer 503
 * while the build is tried again every second. Anything else stops the process.
 */
export async function startRuntime(config: Config, attachments: Attachments = {}): Promise<void> {
  const users = attachments.users ?? openUsersDatabase(config.database);
  try {
    const built = await buildRuntime(config, { connectNow: true, ...attachments, users });
    installRuntime(built);
    watchPendingEndings(built);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    logEvent("database_unavailable_at_start", { message: error instanceof Error ? error.message : String(error) });
    setTimeout(() => void startRuntime(config, { ...attachments, users }).catch((again: unknown) => console.error(again)), RETRY_EVERY_MS).unref();
  }
}
