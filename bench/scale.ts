import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { RedisTarget } from "../lib/redis/client";
import { createRedisClient, isRedisUnavailable, type RedisClient } from "../lib/redis/client";
import { userIndexKey, createSessionStore } from "../lib/session";
import { startRedisCluster } from "../scripts/lib/redis-cluster";
import { findFreePort, startRedisServer } from "../scripts/lib/redis-server";
import { benchOwner, createSessions, defaultSettings } from "./fixtures";
import { closedLoop } from "./loop";
import type { BenchOptions } from "./options";
import { sleep, summarize, type Summary } from "./stats";

// Benchmark 6: the same validations on one Redis and on a Redis Cluster of 3
// masters (+3 replicas) at concurrency 64, run after run in one process; then the
// failover window (a kill -9 of the master holding a live session's slot, and the
// time until that session validates again); and sessions per GiB from the
// measured bytes per session. All processes share this machine's cores: the
// Cluster's figure says what the extra hop costs here, not what 3 machines give.

export type ScaleResults = {
  concurrency: number;
  opsPerSec: { single: Summary; cluster: Summary };
  /** From the kill to the first successful validation, and how much of it answered "unavailable" (503). */
  failover: { recoveredAfterMs: number; unavailableForMs: number; probeEveryMs: number };
};

async function validationLoop(client: RedisClient, options: BenchOptions): Promise<() => Promise<number>> {
  const store = createSessionStore(client, defaultSettings());
  const { tokens } = await createSessions(store, { count: options.validation.sessions, perUser: 5, firstUserId: 3_000_000 });
  return async () => {
    const run = await closedLoop(
      async (i) => {
        const validation = await store.validateSession(tokens[i % tokens.length]);
        if (validation.status !== "valid") throw new Error("scale benchmark: a live session did not validate");
      },
      { concurrency: 64, warmupMs: options.validation.warmupMs, durationMs: options.validation.durationMs, serverCpuSeconds: async () => 0 },
    );
    return run.opsPerSec;
  };
}

/** Kills the master of a live session's slot and probes it every few ms until it validates again. */
async function failoverWindow(client: RedisClient, kill: (indexKey: string) => Promise<void>): Promise<ScaleResults["failover"]> {
  const store = createSessionStore(client, defaultSettings());
  const owner = benchOwner(3_900_000);
  const { tokens } = await createSessions(store, { count: 1, perUser: 1, firstUserId: owner.id });
  await sleep(200); // the replica has the session (asynchronous replication)
  const probeEveryMs = 10;
  const killedAt = performance.now();
  await kill(userIndexKey(owner));
  let unavailableMs = 0;
  for (;;) {
    const started = performance.now();
    const outcome = await store.validateSession(tokens[0]).catch((error: unknown) => (isRedisUnavailable(error) ? "unavailable" : Promise.reject(error)));
    if (outcome !== "unavailable") {
      if (outcome.status !== "valid") throw new Error("scale benchmark: the session did not survive the failover");
      break;
    }
    unavailableMs += performance.now() - started;
    if (performance.now() - killedAt > 30_000) throw new Error("scale benchmark: no recovery within 30 s of the kill");
    await sleep(probeEveryMs);
  }
  return { recoveredAfterMs: Math.round(performance.now() - killedAt), unavailableForMs: Math.round(unavailableMs), probeEveryMs };
}

export async function runScale(binary: string, workDir: string, options: BenchOptions): Promise<ScaleResults> {
  const single = await startRedisServer({ binary, port: await findFreePort(), dir: join(workDir, "scale-single"), persistent: false });
  const cluster = await startRedisCluster({ binary, dir: join(workDir, "scale-cluster"), masters: 3, replicasPerMaster: 1 });
  const clients: RedisClient[] = [];
  const connect = (target: RedisTarget): RedisClient => {
    const client = createRedisClient(target, { commandTimeoutMs: 2000 });
    client.on("error", () => undefined);
    clients.push(client);
    return client;
  };
  try {
    const nodes = cluster.seeds.map((seed) => ({ host: "127.0.0.1", port: Number(seed.split(":")[1]) }));
    const onSingle = await validationLoop(connect({ kind: "single", url: single.url }), options);
    const onCluster = await validationLoop(connect({ kind: "cluster", nodes }), options);
    const singleRuns: number[] = [];
    const clusterRuns: number[] = [];
    for (let i = 0; i < options.repetitions; i++) {
      singleRuns.push(await onSingle());
      clusterRuns.push(await onCluster());
    }
    const failover = await failoverWindow(connect({ kind: "cluster", nodes }), async (key) => cluster.kill(await cluster.masterForKey(key)));
    return { concurrency: 64, opsPerSec: { single: summarize(singleRuns), cluster: summarize(clusterRuns) }, failover };
  } finally {
    for (const client of clients) client.disconnect();
    await cluster.stop();
    await single.stop();
  }
}
