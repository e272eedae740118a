import { randomInt } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, inject } from "vitest";
import { createRedisClient, type CommandObserver } from "../../lib/redis/client";
import { parseDevice, type NewSession, sessionKey, type SessionOwner, createSessionStore, type SessionSettings, type SessionStore, sessionIdFromToken, tagOfToken } from "../../lib/session";

export const CHROME_ON_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";

const clients: Redis[] = [];
afterAll(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

/**
 * A client of the run's real redis-server, closed after the file's tests. Its
 * command timeout is generous: these tests are about sessions, not timeouts, and
 * the test files share two cores with Redis.
 */
export function testRedis(url: string = inject("redisUrl"), observers: CommandObserver[] = []): Redis {
  const client = createRedisClient(url, { commandTimeoutMs: 5000, observers });
  clients.push(client);
  return client;
}

/** The users database id the test stores record in their sessions (any string: the check compares it). */
export const TEST_USERS_DATABASE_ID = "0123456789abcdef";

export function testStore(settings: Partial<SessionSettings> = {}, client: Redis = testRedis()) {
  const store = createSessionStore(client, {
    usersDatabaseId: TEST_USERS_DATABASE_ID,
    idleTtlMs: 60_000,
    absoluteTtlMs: 600_000,
    lastSeenIntervalMs: 60_000,
    maxSessionsPerUser: 50,
    readyTimeoutMs: 1000,
    ...settings,
  });
  return { store, client };
}

/** A user id no other test uses, so files can share one Redis without flushing it. */
export function freshUserId(): number {
  return randomInt(1_000_000, 2 ** 31);
}

export function newSession(userId: number, overrides: Partial<NewSession> = {}): NewSession {
  return {
    userId,
    userUid: owner(userId).uid,
    email: `user-${userId}@example.com`,
    isAdmin: false,
    sessionVersion: 1,
    ip: "203.0.113.7",
    device: parseDevice(CHROME_ON_MAC),
    ...overrides,
  };
}

/** createSession, for tests that expect it to succeed: a "stale" answer fails the test. */
export async function created(store: SessionStore, input: NewSession, options?: { announce?: boolean }) {
  const creation = await store.createSession(input, options);
  if (creation.status !== "created") throw new Error(`createSession answered ${creation.status}`);
  return creation;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A test user as the store knows it: the id, and a tag (uid) made from it, 32 hex characters like the app's. */
export function owner(userId: number): SessionOwner {
  return { id: userId, uid: userId.toString(16).padStart(32, "0") };
}

/** The hash of a session record. */
export function keyOf(session: { id: string; userUid: string }): string {
  return sessionKey(session.userUid, session.id);
}

/** The hash a token points to (whether or not it exists). */
export function keyOfToken(token: string): string {
  return sessionKey(tagOfToken(token), sessionIdFromToken(token));
}
