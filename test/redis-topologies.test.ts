import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cluster, Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startRedisCluster, type RunningCluster } from "../scripts/lib/redis-cluster";
import { startRedisSentinel, type RunningSentinel } from "../scripts/lib/redis-sentinel";

// The launchers of a Cluster and of a Sentinel setup: each starts, serves a write
// and a read, still has the value after the master holding it is killed and its
// replica promoted, and leaves no process behind.

const root = mkdtempSync(join(tmpdir(), "nrs-topologies-"));
const clients: (Cluster | Redis)[] = [];
const topologies: (RunningCluster | RunningSentinel)[] = [];
afterAll(async () => {
  for (const client of clients) client.disconnect(); // before the stop, so nothing reconnects
  await Promise.all(topologies.map((topology) => topology.stop()));
  rmSync(root, { recursive: true, force: true });
}, 60_000);

/** Polls `read` until it gives `expected`, for at most 15 s; each attempt may take at most 1 s. */
async function readsAgain(read: () => Promise<string | null>, expected: string): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < 15_000) {
    const attempt = read().catch(() => null);
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000));
    if ((await Promise.race([attempt, timeout])) === expected) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The value was not readable again within 15 s`);
}

function expectAllGone(pids: number[]): void {
  for (const pid of pids) expect(() => process.kill(pid, 0), `PID ${pid}`).toThrow();
}

describe("the Redis Cluster launcher", () => {
  it("makes 3 masters with a replica each; a key survives the kill of its master", async () => {
    const cluster = await startRedisCluster({ binary: inject("redisServerBin"), dir: join(root, "cluster"), masters: 3, replicasPerMaster: 1 });
    topologies.push(cluster);
    expect(cluster.nodes.map((node) => node.role).sort()).toEqual(["master", "master", "master", "replica", "replica", "replica"]);

    const client = new Cluster(cluster.seeds);
    client.on("error", () => {}); // refused connections while the master is down are expected
    clients.push(client);
    const key = `topology:${randomUUID()}`;
    // WAIT on the connection that wrote: the key's replica has it before its master dies.
    const [setReply, waitReply] = (await client.pipeline().set(key, "kept").wait(1, 5000).exec()) ?? [];
    expect(setReply).toEqual([null, "OK"]);
    expect(waitReply).toEqual([null, 1]);
    expect(await client.get(key)).toBe("kept");

    const master = await cluster.masterForKey(key);
    expect(cluster.nodes.find((node) => node.port === master)?.role).toBe("master");
    await cluster.kill(master);
    await readsAgain(() => client.get(key), "kept");
    expect(await cluster.masterForKey(key)).not.toBe(master);

    client.disconnect();
    await cluster.stop();
    expectAllGone(cluster.nodes.map((node) => node.pid));
  }, 60_000);
});

describe("the Redis Sentinel launcher", () => {
  it("makes a master, a replica and 3 sentinels; a key survives the kill of the master", async () => {
    const setup = await startRedisSentinel({ binary: inject("redisServerBin"), dir: join(root, "sentinel"), masterName: "sessions" });
    topologies.push(setup);
    expect(setup.sentinels).toHaveLength(3);
    const master = await setup.masterPort();
    expect(setup.nodes.find((node) => node.role === "master")?.port).toBe(master);

    const sentinels = setup.sentinels.map((address) => ({ host: "127.0.0.1", port: Number(address.split(":")[1]) }));
    const client = new Redis({ sentinels, name: setup.masterName });
    client.on("error", () => {}); // refused connections while the master is down are expected
    clients.push(client);
    const key = `topology:${randomUUID()}`;
    expect(await client.set(key, "kept")).toBe("OK");
    expect(await client.wait(1, 5000)).toBe(1); // the replica has it before the master dies
    expect(await client.get(key)).toBe("kept");

    await setup.kill(master);
    await readsAgain(() => client.get(key), "kept");
    // The sentinels agree on the new master one after another: wait for the one asked to have moved on.
    await expect.poll(() => setup.masterPort(), { timeout: 15_000 }).not.toBe(master);
    expect(await setup.masterPort()).toBe(setup.nodes.find((node) => node.role === "replica")?.port);

    client.disconnect();
    await setup.stop();
    expectAllGone(setup.nodes.map((node) => node.pid));
  }, 60_000);
});
