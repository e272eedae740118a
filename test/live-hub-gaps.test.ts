import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cluster, Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { RedisTarget } from "../lib/redis/client";
import { createHub, type HubSignal } from "../lib/live/hub";
import { createRedisClient, type RedisClient } from "../lib/redis/client";
import { userChannel, newUserTag } from "../lib/session";
import { startRedisCluster } from "../scripts/lib/redis-cluster";
import { findFreePort, startRedisServer } from "../scripts/lib/redis-server";
import { waitUntil } from "../scripts/lib/wait-until";
import { startRedisSentinel } from "../scripts/lib/redis-sentinel";
import { sleep } from "./support/store";

// Pub/sub keeps nothing, so a tab must catch up after its instance's subscription
// was down. The hub tells its listeners "lost" once the subscription is back, not
// while it is down (their tabs would reconnect into the outage): on a restarted
// Redis, and after the kill -9 of the master that serves the channel on Sentinel
// and on a Cluster (where the cluster client replaces a shard's subscriber by
// itself, without closing). A message published once "lost" was heard arrives.

const root = mkdtempSync(join(tmpdir(), "nrs-hub-gaps-"));
const stops: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

const channel = () => userChannel({ id: 1, uid: newUserTag() });

/** A hub on its own subscriber connection, and what its one listener of `name` hears. */
function listening(target: RedisTarget, name: string): { heard: HubSignal[] } {
  const client = createRedisClient(target, { commandTimeoutMs: 1000, role: "subscriber" });
  stops.push(() => client.disconnect());
  const heard: HubSignal[] = [];
  createHub(client).listen(name, (signal) => heard.push(signal));
  return { heard };
}

/**
 * Publishes `n` until the listener hears it. A publish can be accepted and reach
 * nobody: before the hub's first subscription is in place (it subscribes in the
 * background), or while the publisher is failing over too.
 */
async function publishedAndHeard(publisher: RedisClient, name: string, heard: HubSignal[], n: number): Promise<void> {
  const message = JSON.stringify({ type: "renamed", sessionId: `probe-${n}` });
  const isHeard = () => heard.some((signal) => signal.type === "renamed" && signal.sessionId === `probe-${n}`);
  await waitUntil(`message ${n} to be heard`, 20_000, async () => {
    await publisher.call(publisher.isCluster ? "SPUBLISH" : "PUBLISH", name, message).catch(() => undefined);
    for (let wait = 0; wait < 10 && !isHeard(); wait++) await sleep(50);
    return isHeard();
  });
}

const lostCount = (heard: HubSignal[]) => heard.filter((signal) => signal.type === "lost").length;

describe("the subscriber hub across a gap in its subscription", () => {
  it("a single Redis restarted: nothing while it is down, one 'lost' once it is back, and messages again", async () => {
    const port = await findFreePort();
    const dir = join(root, "single");
    const binary = inject("redisServerBin");
    let redis = await startRedisServer({ binary, port, dir, persistent: false });
    stops.push(() => redis.stop());
    const url = `redis://127.0.0.1:${port}`;
    const name = channel();
    const { heard } = listening({ kind: "single", url }, name);
    const publisher = new Redis(url, { maxRetriesPerRequest: 0, lazyConnect: true });
    publisher.on("error", () => undefined); // refused while the server is down
    stops.push(() => publisher.disconnect());
    await publishedAndHeard(publisher, name, heard, 1);

    await redis.stop();
    await sleep(1500); // the subscriber has seen the close and retries meanwhile
    expect(lostCount(heard), "nothing is told while Redis is down").toBe(0);
    redis = await startRedisServer({ binary, port, dir, persistent: false });
    await waitUntil("'lost' once Redis is back", 10_000, async () => lostCount(heard) === 1);
    await publishedAndHeard(publisher, name, heard, 2);
    expect(lostCount(heard)).toBe(1);
  }, 60_000);

  it("Sentinel: the kill -9 of the master is followed by 'lost' once the promoted replica serves, and messages again", async () => {
    const setup = await startRedisSentinel({ binary: inject("redisServerBin"), dir: join(root, "sentinel"), masterName: "sessions" });
    stops.push(() => setup.stop());
    const sentinels = setup.sentinels.map((address) => ({ host: "127.0.0.1", port: Number(address.split(":")[1]) }));
    const target: RedisTarget = { kind: "sentinel", sentinels, name: setup.masterName };
    const name = channel();
    const { heard } = listening(target, name);
    const publisher = createRedisClient(target, { commandTimeoutMs: 1000 });
    stops.push(() => publisher.disconnect());
    await publishedAndHeard(publisher, name, heard, 1);

    await setup.kill(await setup.masterPort());
    await waitUntil("'lost' after the failover", 30_000, async () => lostCount(heard) >= 1);
    await publishedAndHeard(publisher, name, heard, 2);
  }, 60_000);

  it("Cluster: the kill -9 of the channel's master, whose subscriber the cluster client replaces without closing, is followed by 'lost', and messages again", async () => {
    const cluster = await startRedisCluster({ binary: inject("redisServerBin"), dir: join(root, "cluster"), masters: 3, replicasPerMaster: 1 });
    stops.push(() => cluster.stop());
    const nodes = cluster.seeds.map((seed) => ({ host: "127.0.0.1", port: Number(seed.split(":")[1]) }));
    const name = channel();
    const { heard } = listening({ kind: "cluster", nodes }, name);
    const publisher = new Cluster(nodes);
    publisher.on("error", () => undefined); // refused while the master is down
    stops.push(() => publisher.disconnect());
    await publishedAndHeard(publisher, name, heard, 1);

    const master = await cluster.masterForKey(name);
    await cluster.kill(master);
    await waitUntil("'lost' after the failover", 30_000, async () => lostCount(heard) >= 1);
    expect(await cluster.masterForKey(name)).not.toBe(master);
    await publishedAndHeard(publisher, name, heard, 2);
  }, 60_000);
});
