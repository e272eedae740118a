import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateToken, sessionKey, userIndexKey } from "../lib/session";
import { describe, expect, inject, it } from "vitest";
import { findFreePort, startRedisServer } from "../scripts/lib/redis-server";
import { created, freshUserId, keyOf, newSession, owner, testRedis, testStore } from "./support/store";

describe("races that bring revoked sessions back in other libraries", () => {
  it("1,000 validations racing a revoke never re-create the session", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    const { token, session } = await created(store, newSession(userId));

    // 8 clients validate 125 times each; one of them fires the revoke midway, without
    // waiting for it, so validations keep arriving before, with and after it.
    let revoke: Promise<boolean> | undefined;
    const worker = async (w: number): Promise<string[]> => {
      const seen: string[] = [];
      for (let i = 0; i < 125; i++) {
        if (w === 0 && i === 50) revoke = store.revokeUserSession(owner(userId), session.id);
        seen.push((await store.validateSession(token)).status);
      }
      return seen;
    };
    const runs = await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));

    expect(await revoke).toBe(true);
    expect(runs[0].slice(50)).toEqual(Array(75).fill("invalid"));
    for (const seen of runs) {
      const firstInvalid = seen.includes("invalid") ? seen.indexOf("invalid") : seen.length;
      expect(seen.slice(firstInvalid)).not.toContain("valid"); // once gone, never back
    }
    expect(await client.exists(keyOf(session))).toBe(0);
    expect(await client.zscore(userIndexKey(owner(userId)), session.id)).toBeNull();
    expect((await store.validateSession(token)).status).toBe("invalid");
    expect(await store.listUserSessions(owner(userId))).toEqual([]);
  });

  it("two devices signing out all others at once leave a consistent state", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    const [a, b, ...rest] = await Promise.all([1, 2, 3, 4, 5].map(() => created(store, newSession(userId))));

    await Promise.all([store.revokeOtherSessions(owner(userId), a.session.id), store.revokeOtherSessions(owner(userId), b.session.id)]);

    for (const other of rest) expect((await store.validateSession(other.token)).status).toBe("invalid");
    const all = [a, b, ...rest].map((s) => s.session.id);
    const live = (await Promise.all(all.map((id) => client.exists(sessionKey(owner(userId).uid, id))))).flatMap((e, i) => (e ? [all[i]] : []));
    expect(live.length).toBeLessThanOrEqual(1); // each revoked the other: at most the one that ran second survives…
    expect((await client.zrange(userIndexKey(owner(userId)), "0", "-1")).sort()).toEqual(live.sort()); // …and the index agrees
  });
});

describe("faults", () => {
  it("sessions survive a Redis restart with AOF", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nrs-aof-"));
    const options = { binary: inject("redisServerBin"), port: await findFreePort(), dir, persistent: true };
    let redis = await startRedisServer(options);
    try {
      const url = `redis://127.0.0.1:${options.port}`;
      const { store } = testStore({}, testRedis(url));
      const { token } = await created(store, newSession(freshUserId()));
      await redis.stop();
      redis = await startRedisServer(options);
      const { store: afterRestart } = testStore({}, testRedis(url));
      expect((await afterRestart.validateSession(token)).status).toBe("valid");
    } finally {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("queues nothing while Redis is down, however many requests come", async () => {
    const client = testRedis(`redis://127.0.0.1:${await findFreePort()}`);
    const { store } = testStore({ readyTimeoutMs: 50 }, client);
    const results = await Promise.allSettled(
      Array.from({ length: 5000 }, () => store.validateSession(generateToken())),
    );
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    const queues = client as unknown as { offlineQueue: { length: number }; commandQueue: { length: number } };
    expect(queues.offlineQueue.length).toBe(0);
    expect(queues.commandQueue.length).toBe(0);
  });
});
