import { readFileSync } from "node:fs";
import { join } from "node:path";
import { askRedis, askRedisText } from "../../scripts/lib/redis-ask";
import { slotOwner } from "../../scripts/lib/redis-cluster";
import { requiredEnv, runDir } from "./env";

// The Redis Cluster and the Sentinel set that `npm test` started for the scale
// stage (the e2e global setup writes their PIDs and ports), the app instances on them,
// and a kill -9 of the master that holds a given key.

type Node = { pid: number; port: number; role: string };
type Topologies = { cluster: { seeds: string[]; nodes: Node[] }; sentinel: { sentinels: string[]; name: string; nodes: Node[] } };

export type Topology = "cluster" | "sentinel";

function topologies(): Topologies {
  return JSON.parse(readFileSync(join(runDir(), "topologies.json"), "utf8")) as Topologies;
}

/** The two app instances on a topology. */
export function instances(topology: Topology): [string, string] {
  const prefix = topology === "cluster" ? "E2E_CLUSTER" : "E2E_SENTINEL";
  return [`http://localhost:${requiredEnv(`${prefix}_A_PORT`)}`, `http://localhost:${requiredEnv(`${prefix}_B_PORT`)}`];
}

const portOf = (address: string): number => Number(address.split(":").pop());

async function clusterMasterFor(key: string): Promise<number> {
  const { cluster } = topologies();
  for (const seed of cluster.seeds) {
    try {
      const slot = Number(await askRedis(portOf(seed), "CLUSTER", "KEYSLOT", key));
      const owner = slotOwner(await askRedisText(portOf(seed), "CLUSTER", "NODES"), slot);
      if (owner !== undefined) return owner;
    } catch {
      // that node is down: ask the next
    }
  }
  throw new Error(`no live cluster node knows the master of ${key}`);
}

async function sentinelMaster(): Promise<number> {
  const { sentinel } = topologies();
  const [, port] = (await askRedis(portOf(sentinel.sentinels[0]), "SENTINEL", "get-master-addr-by-name", sentinel.name)) as [string, string];
  return Number(port);
}

/** SIGKILL, by its PID, the process serving as master for `key` now. Returns its port. */
export async function killMasterFor(topology: Topology, key: string): Promise<number> {
  const port = topology === "cluster" ? await clusterMasterFor(key) : await sentinelMaster();
  const node = topologies()[topology].nodes.find((candidate) => candidate.port === port);
  if (!node) throw new Error(`no process of ours listens on ${port}`);
  process.kill(node.pid, "SIGKILL");
  return port;
}
