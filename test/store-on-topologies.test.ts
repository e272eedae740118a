import { randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createLoginLimiter } from "../lib/limits/login";
import type { RedisTarget } from "../lib/redis/client";
import { createRedisClient, isRedisUnavailable, type RedisClient } from "../lib/redis/client";
import { sessionKey, userIndexKey, type SessionOwner, createSessionStore, type SessionSettings, newUserTag } from "../lib/session";
import { startRedisCluster, type RunningCluster } from "../scripts/lib/redis-cluster";
import { startRedisSentinel, type RunningSentinel } from "../scripts/lib/redis-sentinel";
import { created, newSession, sleep, TEST_USERS_DATABASE_ID } from "./support/store";

// The same store, through the app's one client factory, on a Redis Cluster (3
// masters + 3 replicas) and on Sentinel (a master, a replica, 3 sentinels): the
// core operations, one slot per user, the index equal to the live hashes after a
// cap eviction and "all other devices", and a failover: kill -9 the master that
// holds a user's slot while 200 sign-ins run with SESSION_WAIT_REPLICAS=1, and no
// acknowledged sign-in is lost; during the window only outages, never other errors.

const root = mkdtempSync(join(tmpdir(), "nrs-store-topologies-"));
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

const SETTINGS: Omit<SessionSettings, "waitReplicas"> = {
  usersDatabaseId: TEST_USERS_DATABASE_ID,
  idleTtlMs: 600_000,
  absoluteTtlMs: 3_600_000,
  lastSeenIntervalMs: 60_000,
  maxSessionsPerUser: 1000,
  readyTimeoutMs: 2000,
};

/** SESSION_WAIT_REPLICAS=1 with its own connection, as the app builds it. */
function storeOn(target: RedisTarget, overrides: Partial<SessionSettings> = {}) {
  const client = connect(target);
  const writer = connect(target, 1500);
  return { client, store: createSessionStore(client, { ...SETTINGS, waitReplicas: { count: 1, timeoutMs: 250, writer }, ...overrides }) };
}

function freshOwner(): SessionOwner {
  return { id: randomInt(1, 2 ** 31), uid: newUserTag() };
}

function connect(target: RedisTarget, commandTimeoutMs = 1000): RedisClient {
  const client = createRedisClient(target, { commandTimeoutMs });
  stops.push(async () => client.disconnect());
  return client;
}

/** Live session hashes of a user, as the index lists them, against the index itself. */
async function indexAgreesWithHashes(client: RedisClient, owner: SessionOwner): Promise<void> {
  const ids = await client.zrange(userIndexKey(owner), "0", "-1");
  const live = await Promise.all(ids.map((id) => client.exists(sessionKey(owner.uid, id))));
  expect(live.every((exists) => exists === 1), "every indexed id has its hash").toBe(true);
}

async function coreFlows(target: RedisTarget): Promise<void> {
  const { client, store } = storeOn(target);
  const owner = freshOwner();
  const made = await Promise.all([1, 2, 3].map(() => created(store, { ...newSession(owner.id), userUid: owner.uid })));
  for (const { token } of made) expect((await store.validateSession(token)).status).toBe("valid");
  expect(await store.listUserSessions(owner)).toHaveLength(3);

  // One slot for every key of the user, as the Cluster computes it.
  const keys = [userIndexKey(owner), ...made.map(({ session }) => sessionKey(owner.uid, session.id))];
  const slots = await Promise.all(keys.map((key) => client.call("CLUSTER", "KEYSLOT", key).catch(() => "no cluster")));
  expect(new Set(slots).size).toBe(1);

  expect(await store.revokeOtherSessions(owner, made[0].session.id)).toBe(2);
  expect(await store.listUserSessions(owner)).toHaveLength(1);
  await indexAgreesWithHashes(client, owner);

  const { store: capped } = storeOn(target, { maxSessionsPerUser: 2 });
  const other = freshOwner();
  for (let i = 0; i < 4; i++) await created(capped, { ...newSession(other.id), userUid: other.uid });
  expect(await capped.listUserSessions(other)).toHaveLength(2);
  expect(await client.zcard(userIndexKey(other))).toBe(2);
  await indexAgreesWithHashes(client, other);

  // The sign-in counters: one key per command, wherever their slots are.
  const limiter = createLoginLimiter(client, { perAccount: 5, perIp: 50, acrossIps: 20, windowMs: 60_000, ipv6PrefixBits: 64 }, 2000);
  expect(await limiter.attempt(`${owner.uid}@example.com`, "203.0.113.7")).toEqual({ allowed: true });
}

/** 200 sign-ins for one user, 10 at a time, with `kill` run once 60 have started. Every acknowledged one must survive. */
async function signInsThroughFailover(target: RedisTarget, kill: (owner: SessionOwner) => Promise<void>): Promise<{ acknowledged: number; refused: number }> {
  const { store } = storeOn(target);
  const owner = freshOwner();
  await created(store, { ...newSession(owner.id), userUid: owner.uid }); // the user's slot has data before the kill
  const acknowledged: string[] = [];
  const failures: unknown[] = [];
  let killed: Promise<void> | undefined;
  for (let batch = 0; batch < 20; batch++) {
    if (batch === 6) killed = kill(owner);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => created(store, { ...newSession(owner.id), userUid: owner.uid })));
    for (const result of results) {
      if (result.status === "fulfilled") acknowledged.push(result.value.token);
      else failures.push(result.reason);
    }
  }
  await killed;
  expect(failures.filter((failure) => !isRedisUnavailable(failure)), "only outages while the master is down").toEqual([]);

  // After the promotion every acknowledged sign-in still validates.
  const deadline = Date.now() + 15_000;
  let lastOutage: unknown;
  for (const token of acknowledged) {
    for (;;) {
      const outcome = await store.validateSession(token).catch((error: unknown) => {
        lastOutage = error;
        return isRedisUnavailable(error) ? "outage" : Promise.reject(error);
      });
      if (outcome !== "outage") {
        expect(outcome.status, "an acknowledged sign-in survives the failover").toBe("valid");
        break;
      }
      if (Date.now() > deadline) throw new Error(`the store did not recover within 15 s of the kill: ${String((lastOutage as Error)?.cause ?? lastOutage)}`);
      await sleep(100);
    }
  }
  return { acknowledged: acknowledged.length, refused: failures.length };
}

describe("the store on a Redis Cluster", () => {
  let cluster: RunningCluster;

  it("runs the core flows with every key of a user in one slot", async () => {
    cluster = await startRedisCluster({ binary: inject("redisServerBin"), dir: join(root, "cluster"), masters: 3, replicasPerMaster: 1 });
    stops.push(() => cluster.stop());
    const nodes = cluster.seeds.map((seed) => ({ host: "127.0.0.1", port: Number(seed.split(":")[1]) }));
    await coreFlows({ kind: "cluster", nodes });
  }, 60_000);

  it("keeps every acknowledged sign-in through the kill -9 of the user's master", async () => {
    const nodes = cluster.seeds.map((seed) => ({ host: "127.0.0.1", port: Number(seed.split(":")[1]) }));
    const outcome = await signInsThroughFailover({ kind: "cluster", nodes }, async (owner) => cluster.kill(await cluster.masterForKey(userIndexKey(owner))));
    expect(outcome.acknowledged + outcome.refused).toBe(200);
    expect(outcome.acknowledged).toBeGreaterThan(0);
  }, 60_000);
});

describe("the store on Redis Sentinel", () => {
  let setup: RunningSentinel;

  it("runs the core flows", async () => {
    setup = await startRedisSentinel({ binary: inject("redisServerBin"), dir: join(root, "sentinel"), masterName: "sessions" });
    stops.push(() => setup.stop());
    const sentinels = setup.sentinels.map((address) => ({ host: "127.0.0.1", port: Number(address.split(":")[1]) }));
    await coreFlows({ kind: "sentinel", sentinels, name: setup.masterName });
  }, 60_000);

  it("keeps every acknowledged sign-in through the kill -9 of the master", async () => {
    const sentinels = setup.sentinels.map((address) => ({ host: "127.0.0.1", port: Number(address.split(":")[1]) }));
    const outcome = await signInsThroughFailover({ kind: "sentinel", sentinels, name: setup.masterName }, async () => setup.kill(await setup.masterPort()));
    expect(outcome.acknowledged + outcome.refused).toBe(200);
    expect(outcome.acknowledged).toBeGreaterThan(0);
  }, 60_000);
});
