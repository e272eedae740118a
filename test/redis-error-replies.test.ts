import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { RedisUnavailableError } from "../lib/redis/client";
import { userIndexKey } from "../lib/session";
import { findFreePort, startRedisServer, type RunningRedis } from "../scripts/lib/redis-server";
import { created, freshUserId, newSession, owner, testRedis, testStore } from "./support/store";

// Error replies that mean "this Redis cannot serve you now" are outages, like a
// dropped connection: the store throws RedisUnavailableError (the app's 503), and
// works again by itself once Redis does. A redis-server of this file's own, since
// it is put in bad states the other files must not see.

let redis: RunningRedis;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nrs-replies-"));
  redis = await startRedisServer({ binary: inject("redisServerBin"), port: await findFreePort(), dir, persistent: false });
});

/** A plain client that queues until connected: it puts the server in bad states and back. */
function adminRedis(): Redis {
  const client = new Redis(redis.url);
  admins.push(client);
  return client;
}
const admins: Redis[] = [];

afterAll(async () => {
  for (const client of admins) client.disconnect();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("Redis error replies", () => {
  it("READONLY (a replica after a failover) is an outage, and the store recovers when Redis is writable again", async () => {
    const { store } = testStore({}, testRedis(redis.url));
    const admin = adminRedis();
    const userId = freshUserId();
    const existing = await created(store, newSession(userId));
    await admin.replicaof("127.0.0.1", await findFreePort()); // a master that does not exist
    try {
      await expect(created(store, newSession(userId))).rejects.toBeInstanceOf(RedisUnavailableError);
      await expect(store.validateSession(existing.token)).rejects.toBeInstanceOf(RedisUnavailableError);
      await expect(store.revokeAllUserSessions(owner(userId))).rejects.toBeInstanceOf(RedisUnavailableError);
    } finally {
      await admin.replicaof("NO", "ONE");
    }
    expect((await store.validateSession(existing.token)).status).toBe("valid");
    const fresh = await created(store, newSession(userId));
    expect((await store.validateSession(fresh.token)).status).toBe("valid");
  });

  it("OOM (maxmemory with noeviction) is an outage for sign-in, and the store recovers", async () => {
    const { store } = testStore({}, testRedis(redis.url));
    const admin = adminRedis();
    await admin.config("SET", "maxmemory-policy", "noeviction");
    await admin.config("SET", "maxmemory", "1");
    try {
      await expect(created(store, newSession(freshUserId()))).rejects.toBeInstanceOf(RedisUnavailableError);
    } finally {
      await admin.config("SET", "maxmemory", "0");
    }
    const fresh = await created(store, newSession(freshUserId()));
    expect((await store.validateSession(fresh.token)).status).toBe("valid");
  });

  it("a reply that names a bug (a wrong type) stays loud", async () => {
    const { store } = testStore({}, testRedis(redis.url));
    const userId = freshUserId();
    await adminRedis().set(userIndexKey(owner(userId)), "not a sorted set");
    const failure = store.listUserSessions(owner(userId));
    await expect(failure).rejects.not.toBeInstanceOf(RedisUnavailableError);
    await expect(failure).rejects.toThrow(/WRONGTYPE/);
  });
});
