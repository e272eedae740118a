import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { findFreePorts } from "./free-ports";
import { askRedis } from "./redis-ask";
import { startNodes, startRedisNode, stopNodes, volatileNodeArgs, type RedisNode } from "./redis-node";
import { waitUntil } from "./wait-until";

// A master, one replica and three sentinels (quorum 2) on loopback for tests and
// the bench. Sentinels notice a dead master after one second, so a killed master
// is replaced by its replica within a few seconds.

export type SentinelNode = { pid: number; port: number; role: "master" | "replica" | "sentinel" };

export type RunningSentinel = {
  masterName: string;
  /** "127.0.0.1:port" of each sentinel. */
  sentinels: string[];
  /** Every process, with the role it had at start (a failover swaps master and replica). */
  nodes: SentinelNode[];
  /** Port of the current master, as the first sentinel that answers reports it. */
  masterPort: () => Promise<number>;
  /** SIGKILL the process on `port` (master, replica or sentinel) by its PID and wait for it to exit. */
  kill: (port: number) => Promise<void>;
  /** Stop every process still running (sentinels first, so they start no failover), by PID. */
  stop: () => Promise<void>;
};

const SENTINELS = 3;

export async function startRedisSentinel(options: { binary: string; dir: string; masterName: string }): Promise<RunningSentinel> {
  const { binary, dir, masterName } = options;
  const [masterPort, replicaPort, ...sentinelPorts] = await findFreePorts(2 + SENTINELS, { bus: false });
  const data: RedisNode[] = [];
  const sentinels: RedisNode[] = [];
  try {
    data.push(await startRedisNode({ binary, port: masterPort, dir: join(dir, `master-${masterPort}`), args: (own) => volatileNodeArgs(masterPort, own) }));
    const replicaof = ["--replicaof", "127.0.0.1", String(masterPort)];
    data.push(await startRedisNode({ binary, port: replicaPort, dir: join(dir, `replica-${replicaPort}`), args: (own) => [...volatileNodeArgs(replicaPort, own), ...replicaof] }));
    // In sync before the sentinels start: their first INFO of the master then lists
    // the replica, instead of the one ten seconds later.
    await waitUntil("the replica to sync with its master", 10_000, async () => {
      const role = await askRedis(replicaPort, "ROLE");
      return Array.isArray(role) && role[3] === "connected";
    });
    const conf = sentinelConf(masterName, masterPort);
    sentinels.push(
      ...(await startNodes(
        sentinelPorts.map((port) => () =>
          startRedisNode({ binary, port, dir: join(dir, `sentinel-${port}`), args: (own) => [writeConf(own, conf(port, own)), "--sentinel"] }),
        ),
      )),
    );
    await waitUntil("every sentinel to know the master, its replica and the other sentinels", 20_000, async () =>
      (await Promise.all(sentinelPorts.map((port) => sentinelReady(port, masterName, masterPort)))).every(Boolean),
    );
  } catch (error) {
    await stopNodes(sentinels);
    await stopNodes(data);
    throw error;
  }
  return running(masterName, data, sentinels);
}

function running(masterName: string, data: RedisNode[], sentinels: RedisNode[]): RunningSentinel {
  const all = [...data, ...sentinels];
  return {
    masterName,
    sentinels: sentinels.map((node) => `127.0.0.1:${node.port}`),
    nodes: all.map((node, i) => ({ pid: node.pid, port: node.port, role: i === 0 ? "master" : i === 1 ? "replica" : "sentinel" })),
    masterPort: async () => {
      let lastError: unknown = new Error("No sentinel is running");
      for (const sentinel of sentinels.filter((node) => node.alive())) {
        try {
          const address = await askRedis(sentinel.port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName);
          if (Array.isArray(address)) return Number(address[1]);
          lastError = new Error(`Sentinel on port ${sentinel.port} does not monitor ${masterName}`);
        } catch (error) {
          lastError = error;
        }
      }
      throw lastError;
    },
    kill: async (port) => {
      const node = all.find((candidate) => candidate.port === port);
      if (!node) throw new Error(`No process of this Sentinel setup listens on port ${port}`);
      await node.kill();
    },
    stop: async () => {
      await stopNodes(sentinels);
      await stopNodes(data);
    },
  };
}

/** The config of the sentinel on `port`; a file, since a sentinel rewrites its config as it learns. */
function sentinelConf(masterName: string, masterPort: number): (port: number, dir: string) => string {
  return (port, dir) =>
    [
      `port ${port}`,
      "bind 127.0.0.1",
      "daemonize no",
      `dir ${dir}`,
      "sentinel resolve-hostnames no",
      `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 2`,
      `sentinel down-after-milliseconds ${masterName} 1000`,
      `sentinel failover-timeout ${masterName} 5000`,
      "",
    ].join("\n");
}

function writeConf(dir: string, text: string): string {
  const path = join(dir, "sentinel.conf");
  writeFileSync(path, text);
  return path;
}

/** The sentinel on `port` sees `masterPort` as master, a replica in sync and the other sentinels. */
async function sentinelReady(port: number, masterName: string, masterPort: number): Promise<boolean> {
  const master = await askRedis(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName);
  if (!Array.isArray(master) || Number(master[1]) !== masterPort) return false;
  const replicas = await askRedis(port, "SENTINEL", "REPLICAS", masterName);
  const replicaUp = Array.isArray(replicas) && replicas.some((fields) => Array.isArray(fields) && field(fields, "master-link-status") === "ok");
  const others = await askRedis(port, "SENTINEL", "SENTINELS", masterName);
  return replicaUp && Array.isArray(others) && others.length === SENTINELS - 1;
}

/** A field of a SENTINEL REPLICAS entry, a flat list of names and values. */
function field(fields: unknown[], name: string): unknown {
  const at = fields.indexOf(name);
  return at >= 0 ? fields[at + 1] : undefined;
}
