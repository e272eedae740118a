import { describe, expect, it } from "vitest";
import { whenReady } from "../lib/redis/client";
import { userIndexKey, generateToken, sessionIdFromToken } from "../lib/session";
import { commandsDuring } from "./support/command-count";
import { withOwnRedis } from "./support/own-redis";
import { created, freshUserId, keyOf, keyOfToken, newSession, owner, sleep, TEST_USERS_DATABASE_ID, testStore } from "./support/store";

describe("createSession", () => {
  it("stores a hash under the SHA-256 of the token, indexed for its user, both with a TTL", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    const { token, session } = await created(store, newSession(userId));

    expect(session.id).toBe(sessionIdFromToken(token));
    const hash = await client.hgetall(keyOf(session));
    expect(hash).toMatchObject({ user_id: String(userId), ip: "203.0.113.7", browser: "Chrome 142", os: "macOS 10.15.7", device: "desktop" });
    // What requests need of the user travels with the session: no request reads the users database.
    expect(hash).toMatchObject({ email: `user-${userId}@example.com`, users_db: TEST_USERS_DATABASE_ID });
    expect(hash.is_admin, "only an administrator's session carries the flag").toBeUndefined();
    expect(hash.uid, "the user's tag is in the key's name, not repeated in the hash").toBeUndefined();
    expect(session).toMatchObject({ userId, userUid: owner(userId).uid, email: `user-${userId}@example.com`, isAdmin: false });
    const admin = await created(store, newSession(freshUserId(), { isAdmin: true }));
    expect(await client.hget(keyOf(admin.session), "is_admin")).toBe("1");
    expect(admin.session.isAdmin).toBe(true);
    const validated = await store.validateSession(admin.token);
    expect(validated.status === "valid" && validated.session.isAdmin).toBe(true);
    expect((await store.listUserSessions(owner(userId)))[0]).toMatchObject({ id: session.id, userUid: owner(userId).uid, email: `user-${userId}@example.com` });
    expect(Number(hash.created_at)).toBe(session.createdAt);
    expect(await client.pttl(keyOf(session))).toBeGreaterThan(0);
    expect(await client.zrange(userIndexKey(owner(userId)), "0", "-1")).toEqual([session.id]);
    expect(await client.pttl(userIndexKey(owner(userId)))).toBeGreaterThan(0);
  });

  it("puts the raw token in no key and no value", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    const { token, session } = await created(store, newSession(userId));
    await store.validateSession(token);
    const keys = [keyOf(session), userIndexKey(owner(userId))];
    const stored = [
      ...keys,
      ...Object.entries(await client.hgetall(keys[0])).flat(),
      ...(await client.zrange(keys[1], "0", "-1")),
    ];
    expect(stored.join("\n")).not.toContain(token);
  });

  it("keeps every hash value short enough for the compact listpack encoding", async () => {
    const { store, client } = testStore();
    const { session } = await created(store, newSession(freshUserId()));
    expect(await client.object("ENCODING", keyOf(session))).toBe("listpack");
  });
});

describe("validateSession", () => {
  it("returns the session for its token", async () => {
    const { store } = testStore();
    const userId = freshUserId();
    const { token, session } = await created(store, newSession(userId));
    const result = await store.validateSession(token);
    expect(result.status).toBe("valid");
    if (result.status !== "valid") return;
    expect(result.session).toMatchObject({ id: session.id, userId, browser: "Chrome 142" });
    expect(result.session.expiresAt).toBeGreaterThan(Date.now());
  });

  it("treats unknown and malformed tokens alike: invalid, at one command and at none", async () => {
    await withOwnRedis(async (client) => {
      const { store } = testStore({}, client);
      // The first call on a fresh server also sends the script (EVALSHA answers
      // NOSCRIPT, then EVAL); the one after it is what every request costs.
      await store.validateSession(generateToken());

      // Well-formed, never stored: one command sent, the EVALSHA, whose script reads
      // the one key and stops. Redis counts that HMGET too, hence a total of 2.
      const unknown = await commandsDuring(client, () => store.validateSession(generateToken()));
      expect(unknown.result).toEqual({ status: "invalid" });
      expect(unknown.commands).toEqual({ total: 2, byName: { evalsha: 1, hmget: 1 } });

      // Right length and alphabet but a last character 32 bytes cannot end with; no
      // string at all; spaces and the wrong length; standard base64's "+" and "/".
      for (const token of ["x".repeat(43), undefined, "not a token", `${"A".repeat(41)}+/`]) {
        const malformed = await commandsDuring(client, () => store.validateSession(token));
        expect(malformed.result, String(token)).toEqual({ status: "invalid" });
        expect(malformed.commands, String(token)).toEqual({ total: 0, byName: {} });
      }
    });
  });

  it("sends no Redis command for a malformed token", async () => {
    const { store, client } = testStore();
    await whenReady(client, 1000); // connected, so a command would really be sent
    let sent = 0;
    const original = client.sendCommand.bind(client);
    client.sendCommand = ((...args: Parameters<typeof original>) => {
      sent += 1;
      return original(...args);
    }) as typeof client.sendCommand;
    for (const bad of ["", "short", "a".repeat(10_000), "*", "session:token:*", "' or 1=1 --", `${"a".repeat(42)}\n`]) {
      expect(await store.validateSession(bad)).toEqual({ status: "invalid" });
    }
    expect(sent).toBe(0);
  });

  it("slides the idle expiry while the session is used", async () => {
    const { store } = testStore({ idleTtlMs: 800 });
    const { token } = await created(store, newSession(freshUserId()));
    for (let i = 0; i < 4; i++) {
      await sleep(400); // 1.6 s in all: twice the idle timeout, never idle for longer than it
      expect((await store.validateSession(token)).status).toBe("valid");
    }
    await sleep(1000);
    expect((await store.validateSession(token)).status).toBe("invalid");
  });

  it("never extends a session past its absolute lifetime", async () => {
    const { store, client } = testStore({ idleTtlMs: 5000, absoluteTtlMs: 1200 });
    const { token, session } = await created(store, newSession(freshUserId()));
    const first = await store.validateSession(token);
    expect(first.status === "valid" && first.session.expiresAt).toBe(session.createdAt + 1200);
    expect(await client.pexpiretime(keyOf(session))).toBe(session.createdAt + 1200);
    await sleep(600);
    expect((await store.validateSession(token)).status).toBe("valid");
    await sleep(800);
    expect((await store.validateSession(token)).status).toBe("invalid");
  });

  it("writes last_seen_at at most once per interval", async () => {
    const { store, client } = testStore({ lastSeenIntervalMs: 60_000 });
    const { token, session } = await created(store, newSession(freshUserId()));
    await sleep(20);
    await store.validateSession(token);
    expect(Number(await client.hget(keyOf(session), "last_seen_at"))).toBe(session.createdAt);

    const eager = testStore({ lastSeenIntervalMs: 10 }).store;
    await sleep(20);
    const result = await eager.validateSession(token);
    const stored = Number(await client.hget(keyOf(session), "last_seen_at"));
    expect(stored).toBeGreaterThan(session.createdAt);
    expect(result.status === "valid" && result.session.lastSeenAt).toBe(stored);
  });

  it("treats a hash it did not write (no created_at) as ended, without an error", async () => {
    const { store, client } = testStore();
    const token = generateToken();
    await whenReady(client, 1000);
    await client.hset(keyOfToken(token), "user_id", "1");
    expect((await store.validateSession(token)).status).toBe("invalid");
    expect(await client.exists(keyOfToken(token))).toBe(0);
  });

  it("lets a burst of requests wait for the first connection with one listener", async () => {
    const { store } = testStore();
    const { token } = await created(store, newSession(freshUserId()));
    const { store: cold, client: fresh } = testStore();
    const burst = Array.from({ length: 64 }, () => cold.validateSession(token));
    expect(fresh.listenerCount("ready")).toBeLessThanOrEqual(2);
    expect((await Promise.all(burst)).every((r) => r.status === "valid")).toBe(true);
  });

  it("does not bring back a session deleted between requests", async () => {
    const { store, client } = testStore();
    const { token, session } = await created(store, newSession(freshUserId()));
    await client.del(keyOf(session));
    expect((await store.validateSession(token)).status).toBe("invalid");
    expect(await client.exists(keyOf(session))).toBe(0);
  });
});
