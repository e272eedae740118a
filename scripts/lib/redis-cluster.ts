import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname, join } from "node:path";
import { findFreePorts } from "./free-ports";
import { askRedis, askRedisText } from "./redis-ask";
import { startNodes, startRedisNode, stopNodes, volatileNodeArgs, type RedisNode } from "./redis-node";
import { exited } from "./redis-server";
import { findProgram } from "./system-packages";
import { waitUntil } from "./wait-until";

// A Redis Cluster on loopback for tests and the bench: `masters` masters with
// `replicasPerMaster` replicas each, made by `redis-cli --cluster create`. A short
// node timeout makes a replica take over a killed master within a few seconds.

export type ClusterNode = { pid: number; port: number; role: "master" | "replica" };

export type RunningCluster = {
  /** Every node, with the role it had when the cluster was made (a failover changes it). */
  nodes: ClusterNode[];
  /** "127.0.0.1:port" of every node, for `new Cluster(seeds)`. */
  seeds: string[];
  /** Port of the master that holds `slot` now, as a live node sees it. */
  masterOfSlot: (slot: number) => Promise<number>;
  /** Port of the master that holds `key` now. */
  masterForKey: (key: string) => Promise<number>;
  /** SIGKILL the node on `port` (by its PID) and wait for it to exit. */
  kill: (port: number) => Promise<void>;
  /**
   * Starts the stopped node on `port` again, with its nodes.conf: it rejoins the
   * cluster, and a master that was failed over comes back as a replica of its successor.
   */
  restart: (port: number) => Promise<ClusterNode>;
  /** Stop every node still running (SIGTERM by PID, waiting for each exit). */
  stop: () => Promise<void>;
};

const NODE_TIMEOUT_MS = 1000;

/** `nodeTimeoutMs`: how long a master may not answer before its replica takes over (default 1 s). */
export async function startRedisCluster(options: { binary: string; dir: string; masters: number; replicasPerMaster: number; nodeTimeoutMs?: number }): Promise<RunningCluster> {
  const cli = redisCli(options.binary);
  const count = options.masters * (1 + options.replicasPerMaster);
  const ports = await findFreePorts(count, { bus: true });
  const startNode = (port: number): Promise<RedisNode> =>
    startRedisNode({
      binary: options.binary,
      port,
      dir: join(options.dir, `node-${port}`),
      args: (dir) => [
        ...volatileNodeArgs(port, dir),
        ...["--cluster-enabled", "yes", "--cluster-config-file", join(dir, "nodes.conf")],
        ...["--cluster-node-timeout", String(options.nodeTimeoutMs ?? NODE_TIMEOUT_MS), "--cluster-announce-ip", "127.0.0.1"],
      ],
    });
  const nodes = await startNodes(ports.map((port) => () => startNode(port)));
  try {
    const replicas = ["--cluster-replicas", String(options.replicasPerMaster)];
    await runCli(cli, ["--cluster", "create", ...ports.map((port) => `127.0.0.1:${port}`), ...replicas, "--cluster-yes"], options.dir);
    await waitUntil("every node to see cluster_state:ok and every replica in sync", 20_000, () => clusterReady(ports, options.replicasPerMaster));
    const roles = await Promise.all(ports.map((port) => askRedis(port, "ROLE")));
    return running(nodes, roles.map((role) => (Array.isArray(role) && role[0] === "master" ? "master" : "replica")), startNode);
  } catch (error) {
    await stopNodes(nodes);
    throw error;
  }
}

function running(nodes: RedisNode[], roles: ("master" | "replica")[], startNode: (port: number) => Promise<RedisNode>): RunningCluster {
  const byPort = (port: number): RedisNode => {
    const node = nodes.find((candidate) => candidate.port === port);
    if (!node) throw new Error(`No node of this cluster listens on port ${port}`);
    return node;
  };
  // The first live node that answers: after a kill, the others know the new layout.
  const ask = async <T>(body: (port: number) => Promise<T>): Promise<T> => {
    let lastError: unknown = new Error("No node of the cluster is running");
    for (const node of nodes.filter((candidate) => candidate.alive())) {
      try {
        return await body(node.port);
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  };
  const masterOfSlot = (slot: number): Promise<number> =>
    ask(async (port) => {
      const owner = slotOwner(await askRedisText(port, "CLUSTER", "NODES"), slot);
      if (owner === undefined) throw new Error(`No master holds slot ${slot}`);
      return owner;
    });
  return {
    nodes: nodes.map((node, i) => ({ pid: node.pid, port: node.port, role: roles[i] })),
    seeds: nodes.map((node) => `127.0.0.1:${node.port}`),
    masterOfSlot,
    masterForKey: async (key) => masterOfSlot(Number(await ask((port) => askRedis(port, "CLUSTER", "KEYSLOT", key)))),
    kill: (port) => byPort(port).kill(),
    restart: async (port) => {
      const index = nodes.indexOf(byPort(port));
      if (nodes[index].alive()) throw new Error(`The node on port ${port} still runs: kill it first`);
      nodes[index] = await startNode(port);
      const role = await askRedis(port, "ROLE");
      return { pid: nodes[index].pid, port, role: Array.isArray(role) && role[0] === "master" ? "master" : "replica" };
    },
    stop: () => stopNodes(nodes),
  };
}

/** Port of the master whose slot ranges in a CLUSTER NODES reply include `slot`. */
export function slotOwner(clusterNodes: string, slot: number): number | undefined {
  for (const line of clusterNodes.trim().split("\n")) {
    // <id> <ip:port@bus[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>
    const [, address, flags, , , , , , ...ranges] = line.trim().split(" ");
    if (!flags?.split(",").includes("master")) continue;
    const holds = ranges.some((range) => {
      if (range.startsWith("[")) return false; // a slot being migrated or imported
      const [from, to = from] = range.split("-").map(Number);
      return slot >= from && slot <= to;
    });
    if (holds) return Number(address.split("@")[0].split(":").pop());
  }
  return undefined;
}

/** Every node sees a healthy cluster of all of them; every master has its replicas connected, and they it. */
async function clusterReady(ports: number[], replicasPerMaster: number): Promise<boolean> {
  for (const port of ports) {
    const info = await askRedisText(port, "CLUSTER", "INFO");
    if (!info.includes("cluster_state:ok") || !info.includes(`cluster_known_nodes:${ports.length}\r`)) return false;
    const role = await askRedis(port, "ROLE");
    if (!Array.isArray(role)) return false;
    // ROLE: ["master", offset, [[ip, port, offset], …]] or ["slave", ip, port, state, offset]
    if (role[0] === "master" && !(Array.isArray(role[2]) && role[2].length === replicasPerMaster)) return false;
    if (role[0] === "slave" && role[3] !== "connected") return false;
  }
  return true;
}

/** redis-cli from the same installation as redis-server, else the one on PATH. */
function redisCli(serverBinary: string): string {
  const besides = join(dirname(serverBinary), "redis-cli");
  const cli = existsSync(besides) ? besides : findProgram("redis-cli");
  if (!cli) throw new Error("redis-cli is not installed (it comes with redis-server; Debian: the redis-tools package)");
  return cli;
}

/** Runs redis-cli with its output in dir/redis-cli.log; SIGKILLs it (by PID) if it takes over 20 s. */
async function runCli(cli: string, args: string[], dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const logPath = join(dir, "redis-cli.log");
  const log = openSync(logPath, "a");
  const child = spawn(cli, args, { stdio: ["ignore", log, log] });
  closeSync(log);
  const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, "SIGKILL"), 20_000);
  const failedToRun = new Promise<never>((_, reject) => child.once("error", reject));
  await Promise.race([exited(child), failedToRun]).finally(() => clearTimeout(timer));
  if (child.exitCode !== 0) throw new Error(`redis-cli ${args.slice(0, 2).join(" ")} failed; see ${logPath}`);
}
