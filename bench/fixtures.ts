import type { Redis } from "ioredis";
import { parseConfig } from "../lib/runtime/config";
import { createRedisClient } from "../lib/redis/client";
import { parseDevice, type NewSession, createSessionStore, type SessionSettings, type SessionStore, sessionKey, type SessionOwner, sessionIdFromToken, tagOfToken } from "../lib/session";

// The sessions every benchmark works on are made by the product's own
// createSession(), through a client built exactly like the app's, with the app's
// default settings: what is measured is the code that runs in production.

/** A real browser user agent of 110 characters (Chrome on ChromeOS), the size the README talks about. */
export const BENCH_USER_AGENT =
  "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";

/** The users database the bench's sessions record (any id: the check compares it with the store's). */
const BENCH_USERS_DATABASE_ID = "be0c0000be0c0000";

/** The settings the app runs with when no variable is set (lib/runtime/config.ts defaults). */
export function defaultSettings(): SessionSettings {
  const config = parseConfig({});
  return {
    usersDatabaseId: BENCH_USERS_DATABASE_ID,
    idleTtlMs: config.idleTtlMs,
    absoluteTtlMs: config.absoluteTtlMs,
    lastSeenIntervalMs: config.lastSeenIntervalMs,
    maxSessionsPerUser: config.maxSessionsPerUser,
    // lib/root/build.ts waits twice the command timeout for a (re)connecting client.
    readyTimeoutMs: config.redisCommandTimeoutMs * 2,
  };
}

export type ProductStore = { client: Redis; store: SessionStore; settings: SessionSettings };

/** The app's client (lib/redis/client.ts: command timeout, no offline queue) and store, on the bench Redis. */
export function productStore(redisUrl: string): ProductStore {
  const client = createRedisClient(redisUrl, { commandTimeoutMs: parseConfig({}).redisCommandTimeoutMs });
  const settings = defaultSettings();
  return { client, store: createSessionStore(client, settings), settings };
}

/** A plausible public IPv4 address, different per session (7–15 characters, mostly 12–15). */
export function ipv4(i: number): string {
  const h = Math.imul(i + 1, 2654435761) >>> 0;
  return `${1 + (h % 223)}.${(h >>> 8) & 255}.${(h >>> 16) & 255}.${(h >>> 24) & 255}`;
}

const device = parseDevice(BENCH_USER_AGENT);

/** A bench user: its id, and a tag (uid) made from it, 32 hex characters like the app's. */
export function benchOwner(userId: number): SessionOwner {
  return { id: userId, uid: userId.toString(16).padStart(32, "0") };
}

/** The session hash a token points to. */
export function keyOfToken(token: string): string {
  return sessionKey(tagOfToken(token), sessionIdFromToken(token));
}

/** A session as a sign-in makes it: the user's id, tag, email (a typical 24 characters) and flag, the device. */
export function newSession(userId: number, i: number): NewSession {
  return { userId, userUid: benchOwner(userId).uid, email: `user${userId}@example.com`.padStart(24, "u"), isAdmin: false, sessionVersion: 1, ip: ipv4(i), device };
}

export type CreatedSessions = { tokens: string[]; ids: string[] };

/**
 * Creates `count` sessions, `perUser` per user, users numbered from `firstUserId`,
 * through createSession(), `parallel` at a time (sign-ins arrive in parallel).
 */
export async function createSessions(
  store: SessionStore,
  options: { count: number; perUser: number; firstUserId: number; parallel?: number },
): Promise<CreatedSessions> {
  const tokens = new Array<string>(options.count);
  const ids = new Array<string>(options.count);
  const createOne = async (i: number): Promise<void> => {
    const creation = await store.createSession(newSession(options.firstUserId + Math.floor(i / options.perUser), i));
    if (creation.status !== "created") throw new Error("createSession refused a bench session");
    tokens[i] = creation.token;
    ids[i] = creation.session.id;
  };
  // One alone first: it connects the client. Calls that wait for a connecting
  // client each add a "ready" listener (lib/redis/client.ts whenReady), and 64 at once
  // would trip Node's MaxListenersExceededWarning, noise unrelated to what is measured.
  if (options.count > 0) await createOne(0);
  let next = 1;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < options.count; i = next++) await createOne(i);
  };
  await Promise.all(Array.from({ length: options.parallel ?? 64 }, worker));
  return { tokens, ids };
}
