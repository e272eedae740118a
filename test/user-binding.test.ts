import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, inject } from "vitest";
import { hashPassword } from "../lib/account/password";
import { signInWithPassword, startSession } from "../lib/account/sign-in";
import { deleteAccount, followChange, setAdminFlag, settlePendingEndings } from "../lib/account/user-changes";
import { parseConfig } from "../lib/runtime/config";
import { changeUser, createUser, findUserByEmail, listPendingSessionEndings, type User } from "../lib/db/users";
import { isRedisUnavailable } from "../lib/redis/client";
import type { Runtime } from "../lib/runtime";
import { buildRuntime } from "../lib/root/build";
import { FENCE_TTL_MS, fenceKey, sessionUser, userIndexKey } from "../lib/session";
import { findFreePort, startRedisServer, type RunningRedis } from "../scripts/lib/redis-server";
import { created, freshUserId, keyOf, newSession, owner, testRedis, testStore } from "./support/store";
import { DATABASE_KINDS, freshUsersDatabase, type DatabaseKind } from "./support/users-databases";

// A session carries its user (id, email, admin flag) so that no request reads the
// users database. These tests hold the two promises that makes necessary: a
// session is bound to its users database (another one's sessions are invalid),
// and to its user row (a change of the row ends its sessions, and no sign-in that
// read the row before the change can slip a session in after it), even when
// Redis fails between the database and Redis.

const CLIENT = { ip: "203.0.113.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" };

describe("a session is bound to its users database", () => {
  it("is invalid under another users database's id, without being touched, and reads as expired on /login", async () => {
    const client = testRedis();
    const mine = testStore({ usersDatabaseId: "a".repeat(16) }, client).store;
    const other = testStore({ usersDatabaseId: "b".repeat(16) }, client).store;
    const userId = freshUserId();
    const { token, session } = await created(mine, newSession(userId));

    expect((await other.validateSession(token)).status).toBe("invalid");
    expect(await other.endReason(token)).toBe("expired");
    expect(await other.peekExpiry(token)).toBeNull();
    // Left alone (two apps may share a Redis): still valid for its own database.
    expect(await client.exists(keyOf(session))).toBe(1);
    expect((await mine.validateSession(token)).status).toBe("valid");
    expect(await mine.endReason(token)).toBe("live");
  });
});

describe("the fence: no session for a user row older than the last change", () => {
  it("refuses a session made from an older session_version, and accepts the current one", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    await store.raiseFence(owner(userId), 3);
    expect(await store.createSession(newSession(userId, { sessionVersion: 2 }))).toEqual({ status: "stale" });
    expect((await store.createSession(newSession(userId, { sessionVersion: 3 }))).status).toBe("created");
    expect(await client.zcard(userIndexKey(owner(userId))), "the refused one was never indexed").toBe(1);
    const ttl = await client.pttl(fenceKey(owner(userId)));
    expect(ttl).toBeGreaterThan(FENCE_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(FENCE_TTL_MS);
  });

  it("is raised, never lowered (changes may reach Redis in either order), and 'deleted' is final", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    await store.raiseFence(owner(userId), 5);
    await store.raiseFence(owner(userId), 4);
    expect(await client.get(fenceKey(owner(userId)))).toBe("5");
    await store.raiseFence(owner(userId), "deleted");
    await store.raiseFence(owner(userId), 9);
    expect(await client.get(fenceKey(owner(userId)))).toBe("deleted");
    expect(await store.createSession(newSession(userId, { sessionVersion: 1_000_000 }))).toEqual({ status: "stale" });
  });
});

/** A runtime as the app builds it, on a users database of this kind and the given Redis. */
async function appRuntime(kind: DatabaseKind, redisUrl: string = inject("redisUrl")): Promise<Runtime> {
  const { db, target } = await freshUsersDatabase(kind);
  const url = target.kind === "sqlite" ? target.path : target.url;
  return buildRuntime(parseConfig({ REDIS_URL: redisUrl, DATABASE_URL: url, SHOW_REDIS_TRACE: "off" }), { users: db });
}

async function newUser(rt: Runtime, password = "correct horse battery"): Promise<User> {
  const result = await createUser(rt.users, { email: `u${freshUserId()}@example.com`, passwordHash: await hashPassword(password) });
  if (!result.ok) throw new Error("could not create the user");
  return result.user;
}

async function signedIn(rt: Runtime, user: User) {
  const creation = await startSession(rt, user, CLIENT);
  if (creation.status !== "created") throw new Error("could not sign in");
  return creation;
}

const runtimes: Runtime[] = [];
afterAll(async () => {
  for (const rt of runtimes.splice(0)) await rt.close();
});

describe.each(DATABASE_KINDS)("a change of the user row on %s", (kind) => {
  it("carries the user's email and admin flag in the session, read without a query", async () => {
    const rt = await appRuntime(kind);
    runtimes.push(rt);
    const user = await newUser(rt);
    const { token } = await signedIn(rt, user);
    const before = rt.users.queryCount();
    const validation = await rt.sessions.validateSession(token);
    if (validation.status !== "valid") throw new Error("the session should be valid");
    expect(sessionUser(validation.session)).toEqual({ id: user.id, uid: user.uid, email: user.email, isAdmin: false });
    expect(rt.users.queryCount() - before).toBe(0);
  });

  it("an admin flag change ends the user's sessions, and a sign-in that read the old row starts none", async () => {
    const rt = await appRuntime(kind);
    runtimes.push(rt);
    const user = await newUser(rt);
    const { token } = await signedIn(rt, user);
    const readBeforeTheChange = user; // as a sign-in in flight holds it

    const change = await setAdminFlag(rt, user.id, true);
    expect(change).toMatchObject({ status: "changed", sessionsEnded: 1 });
    expect((await rt.sessions.validateSession(token)).status).toBe("invalid");
    expect(await rt.sessions.endReason(token)).toBe("admin");
    expect(await startSession(rt, readBeforeTheChange, CLIENT)).toEqual({ status: "stale" });
    expect(await listPendingSessionEndings(rt.users)).toEqual([]);

    // The next sign-in carries the new flag.
    const result = await signInWithPassword(rt, user.email, "correct horse battery", CLIENT, { via: "api" });
    if (result.status !== "signed_in") throw new Error(`sign-in: ${result.status}`);
    expect(result.session.isAdmin).toBe(true);
  });

  it("a sign-in whose row changed meanwhile is made from the row as it is now; with a new password it fails", async () => {
    const rt = await appRuntime(kind);
    runtimes.push(rt);
    const user = await newUser(rt);
    const stale = { ...user };
    await setAdminFlag(rt, user.id, true);
    // The path signInWithPassword takes when createSession says "stale": read again, sign in with the row as it is.
    expect((await startSession(rt, stale, CLIENT)).status).toBe("stale");
    const now = await findUserByEmail(rt.users, user.email);
    expect((await startSession(rt, now!, CLIENT)).status).toBe("created");

    const changed = await changeUser(rt.users, user.id, { passwordHash: await hashPassword("a new password here") });
    await followChange(rt, changed!, (sessions) => sessions.revokeAllUserSessions(changed!.user, { reason: "revoked" }));
    expect((await signInWithPassword(rt, user.email, "correct horse battery", CLIENT, { via: "api" })).status).toBe("invalid_credentials");
    expect((await signInWithPassword(rt, user.email, "a new password here", CLIENT, { via: "api" })).status).toBe("signed_in");
  });

  it("a deleted account: every session, the index and the log gone; the fence says 'deleted'", async () => {
    const rt = await appRuntime(kind);
    runtimes.push(rt);
    const user = await newUser(rt);
    const one = await signedIn(rt, user);
    const two = await signedIn(rt, user);
    expect(await deleteAccount(rt, { session: one.session, user: sessionUser(one.session) })).toBe(2);
    for (const { token } of [one, two]) expect((await rt.sessions.validateSession(token)).status).toBe("invalid");
    expect(await rt.redis.exists(userIndexKey(owner(user.id)))).toBe(0);
    expect(await rt.redis.get(fenceKey(user))).toBe("deleted");
    expect(await startSession(rt, user, CLIENT)).toEqual({ status: "stale" });
  });
});

describe.each(DATABASE_KINDS)("Redis failing between the database and Redis, on %s", (kind) => {
  const dir = mkdtempSync(join(tmpdir(), "nrs-binding-redis-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("leaves the ending pending, then ends every session of the user (not updates them) once Redis is back", async () => {
    const port = await findFreePort();
    const start = (): Promise<RunningRedis> => startRedisServer({ binary: inject("redisServerBin"), port, dir, persistent: true });
    let redis = await start();
    const rt = await appRuntime(kind, redis.url);
    runtimes.push(rt);
    try {
      const user = await newUser(rt);
      const { token } = await signedIn(rt, user);

      // The database changes; then Redis is gone before the sessions could follow.
      const change = await changeUser(rt.users, user.id, { isAdmin: true });
      await redis.stop();
      const outcome = await followChange(rt, change!, (sessions) => sessions.revokeAllUserSessions(change!.user, { reason: "admin" }));
      expect(outcome).toBe("pending");
      expect(await listPendingSessionEndings(rt.users)).toEqual([{ id: change!.pendingId, userId: user.id, userUid: user.uid }]);
      await expect(settlePendingEndings(rt)).rejects.toSatisfy(isRedisUnavailable);

      redis = await start(); // the same data (AOF): the session is still there, with its old flag
      await rt.sessions.validateSession(token).catch(() => undefined); // the client reconnects
      expect(await settlePendingEndings(rt)).toBe(1);
      expect((await rt.sessions.validateSession(token)).status).toBe("invalid");
      expect(await rt.sessions.endReason(token)).toBe("revoked");
      expect(await listPendingSessionEndings(rt.users)).toEqual([]);
      expect(await startSession(rt, user, CLIENT), "the fence was raised too").toEqual({ status: "stale" });
    } finally {
      await rt.close();
      runtimes.splice(runtimes.indexOf(rt), 1);
      await redis.stop();
    }
  });
});
