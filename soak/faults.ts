import { askRedis, askRedisText } from "../scripts/lib/redis-ask";
import { waitUntil } from "../scripts/lib/wait-until";
import type { Checker, Fault } from "./checker";
import type { SoakSettings } from "./settings";
import type { Stack } from "./stack";
import { sleep } from "./traffic";

// The faults, injected on a schedule while the traffic runs, one at a time, each
// logged with its start and its end (the moment the system is whole again):
// - kill -9 of a Redis master; a replica takes over; the old master is started
//   again and rejoins as a replica of its successor;
// - CLIENT KILL of every normal and pub/sub connection on every node (the app's);
// - a pause of a Redis master (SIGSTOP … SIGCONT) longer than the app's command
//   timeout and shorter than the Cluster's node timeout (1.5 s: 1 s, 3 s);
// - a restart of one app instance (SIGTERM, then server.ts again);
// - a restart of PostgreSQL (the users database).

export const FAULT_ORDER = ["kill-master", "client-kill", "redis-pause", "app-restart", "postgres-restart"] as const;
export type FaultKind = (typeof FAULT_ORDER)[number];

/**
 * `structures`: used_memory less the replication backlog and the clients' buffers,
 * which Redis sizes by the write volume and the connections of the moment (a
 * backlog grows up to its 1 MB cap and stays); what is left is data and the
 * tables that hold it. `channels`: shard channels with a subscriber (a tab's live
 * stream), which hold memory but no key.
 */
export type MemorySample = { at: number; usedMemory: number; dataset: number; structures: number; keys: number; channels: number };

const portOf = (seed: string): number => Number(seed.split(":").pop());

/** The masters that hold slots now, as the first node that answers sees them. */
export async function currentMasters(stack: Stack): Promise<number[]> {
  for (const seed of stack.cluster.seeds) {
    try {
      const nodes = await askRedisText(portOf(seed), "CLUSTER", "NODES");
      return nodes
        .trim()
        .split("\n")
        .map((line) => line.split(" "))
        .filter(([, , flags, , , , , , ...slots]) => flags.includes("master") && !flags.includes("fail") && slots.length > 0)
        .map(([, address]) => Number(address.split("@")[0].split(":").pop()));
    } catch {
      // that node is down or paused: ask the next
    }
  }
  throw new Error("no node of the Cluster answers");
}

async function clusterWhole(stack: Stack, without?: number): Promise<boolean> {
  const masters = await currentMasters(stack).catch((): number[] => []);
  if (masters.length !== 3 || (without !== undefined && masters.includes(without))) return false;
  const info = await askRedisText(masters[0], "CLUSTER", "INFO").catch(() => "");
  return info.includes("cluster_state:ok");
}

async function pidOn(port: number): Promise<number> {
  const info = await askRedisText(port, "INFO", "server");
  const pid = Number(/^process_id:(\d+)/m.exec(info)?.[1]);
  if (!pid) throw new Error(`no Redis answers on ${port}`);
  return pid;
}

export function createFaults(settings: SoakSettings, checker: Checker, stack: Stack, sweep: (note: (line: string) => void) => Promise<void>) {
  let appTurn = 1;
  const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
  const took = (fault: Fault, from = fault.start): string => `${((Date.now() - from) / 1000).toFixed(1)} s`;

  async function inject(kind: FaultKind): Promise<Fault> {
    switch (kind) {
      case "kill-master": {
        const port = pick(await currentMasters(stack));
        const fault = checker.startFault(kind, `kill -9 of the Redis master on port ${port}, restarted as a replica`);
        await stack.cluster.kill(port);
        await waitUntil("a replica to take over the killed master's slots", 60_000, () => clusterWhole(stack, port), 100);
        fault.notes.push(`a replica took over its slots after ${took(fault)}`);
        const restarted = Date.now();
        await stack.cluster.restart(port);
        await waitUntil("the old master to rejoin as a synced replica", 60_000, async () => {
          const info = await askRedisText(port, "INFO", "replication").catch(() => "");
          return info.includes("role:slave") && info.includes("master_link_status:up");
        });
        fault.notes.push(`it rejoined as a synced replica ${took(fault, restarted)} after its restart`);
        fault.end = Date.now();
        return fault;
      }
      case "client-kill": {
        const fault = checker.startFault(kind, "CLIENT KILL of every normal and pub/sub connection on every node");
        let normal = 0;
        let pubsub = 0;
        for (const seed of stack.cluster.seeds) {
          normal += Number(await askRedis(portOf(seed), "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes").catch(() => 0));
          pubsub += Number(await askRedis(portOf(seed), "CLIENT", "KILL", "TYPE", "pubsub").catch(() => 0));
        }
        fault.notes.push(`${normal} normal and ${pubsub} pub/sub connections killed`);
        fault.end = Date.now();
        return fault;
      }
      case "redis-pause": {
        const port = pick(await currentMasters(stack));
        const pid = await pidOn(port);
        const fault = checker.startFault(kind, `SIGSTOP of the Redis master on port ${port} for ${settings.pauseMs} ms, then SIGCONT`);
        process.kill(pid, "SIGSTOP");
        await sleep(settings.pauseMs);
        process.kill(pid, "SIGCONT");
        fault.notes.push(`paused ${took(fault)}`);
        fault.end = Date.now();
        return fault;
      }
      case "app-restart": {
        const instance = stack.instances[appTurn++ % 2];
        const fault = checker.startFault(kind, `restart of app instance ${instance.name} (SIGTERM, then server.ts again)`, instance.name);
        await instance.restart();
        fault.notes.push(`answered again after ${took(fault)}`);
        fault.end = Date.now();
        return fault;
      }
      case "postgres-restart": {
        const fault = checker.startFault(kind, "restart of PostgreSQL (fast shutdown, then pg_ctl start)");
        await stack.postgres.stop();
        await stack.postgres.start();
        fault.notes.push(`answered again after ${took(fault)}`);
        fault.end = Date.now();
        return fault;
      }
    }
  }

  return {
    /** Injects the faults in turn from `firstFaultMs` on, one every `faultEveryMs`, none starting in the last half-interval. */
    async run(startedAt: number, until: () => number): Promise<void> {
      let next = startedAt + settings.firstFaultMs;
      for (let i = 0; ; i++) {
        await sleep(Math.max(0, Math.min(next, until()) - Date.now()));
        if (Date.now() > until() - settings.faultEveryMs / 2) return;
        const fault = await inject(FAULT_ORDER[i % FAULT_ORDER.length]);
        await sweep((line) => fault.notes.push(line));
        next = Math.max(next + settings.faultEveryMs, Date.now() + 2000);
      }
    },
  };
}

/**
 * Redis memory summed over every node that answers (masters and replicas hold the
 * same data, so a failover moves nothing between them), keys over the masters.
 */
export async function sampleMemory(stack: Stack): Promise<MemorySample | undefined> {
  try {
    const masters = await currentMasters(stack);
    const sample = { at: Date.now(), usedMemory: 0, dataset: 0, structures: 0, keys: 0, channels: 0 };
    for (const seed of stack.cluster.seeds) {
      const port = portOf(seed);
      const info = await askRedisText(port, "INFO", "memory").catch(() => "");
      const field = (name: string): number => Number(new RegExp(`^${name}:(\\d+)`, "m").exec(info)?.[1] ?? 0);
      sample.usedMemory += field("used_memory");
      sample.dataset += field("used_memory_dataset");
      sample.structures += field("used_memory") - field("mem_replication_backlog") - field("mem_clients_normal") - field("mem_clients_slaves");
      if (!masters.includes(port)) continue;
      sample.keys += Number(await askRedis(port, "DBSIZE"));
      sample.channels += ((await askRedis(port, "PUBSUB", "SHARDCHANNELS")) as string[]).length;
    }
    return sample;
  } catch {
    return undefined; // a node paused or down: the next sample will do
  }
}

/** The session keys as the checker reads them: every hash in its user's index, the cap, per master (SCAN is fine for a checker). */
export async function auditKeys(stack: Stack, cap: number): Promise<{ hashes: number; missingFromIndex: string[]; overCap: string[] }> {
  const missingFromIndex: string[] = [];
  const overCap: string[] = [];
  let hashes = 0;
  for (const port of await currentMasters(stack)) {
    const perUser = new Map<string, number>();
    for (const key of await scan(port, "session:*:token:*")) {
      const match = /^session:\{([^}]+)\}:token:(.+)$/.exec(key);
      if (!match) continue;
      const userId = (await askRedis(port, "HGET", key, "user_id")) as string | null;
      if (userId === null) continue; // expired between the SCAN and now
      hashes++;
      const index = `session:{${match[1]}}:user:${userId}`;
      perUser.set(index, (perUser.get(index) ?? 0) + 1);
      if ((await askRedis(port, "ZSCORE", index, match[2])) === null) missingFromIndex.push(`${match[2].slice(0, 8)} of user ${userId}`);
    }
    for (const [index, count] of perUser) if (count > cap) overCap.push(`${index}: ${count} sessions`);
    for (const index of (await scan(port, "session:*:user:*")).filter((key) => /^session:\{[^}]+\}:user:\d+$/.test(key))) {
      const size = Number(await askRedis(port, "ZCARD", index));
      if (size > cap) overCap.push(`${index}: ${size} index entries`);
    }
  }
  return { hashes, missingFromIndex, overCap };
}

async function scan(port: number, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [nextCursor, batch] = (await askRedis(port, "SCAN", cursor, "MATCH", pattern, "COUNT", 1000)) as [string, string[]];
    keys.push(...batch);
    cursor = nextCursor;
  } while (cursor !== "0");
  return keys;
}
