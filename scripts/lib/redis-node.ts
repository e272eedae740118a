import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { askRedisText } from "./redis-ask";
import { exited } from "./redis-server";

// One process of a topology (a Cluster node, a replicated master or replica, a
// sentinel), with a directory of its own under the caller's that holds its log and
// its config. It is signalled by its PID alone, so no other redis-server on the
// machine is ever touched.

export type RedisNode = {
  pid: number;
  port: number;
  /** The node's own directory: redis.log, and its config files. */
  dir: string;
  /** False once the process has exited, by stop(), kill() or by itself. */
  alive: () => boolean;
  /** SIGTERM, then waits for the exit (SIGKILL if it has not exited after 15 s). */
  stop: () => Promise<void>;
  /** SIGKILL, as a crash would; waits for the exit. */
  kill: () => Promise<void>;
};

/**
 * The arguments every data node gets: loopback only, in the foreground, nothing
 * written to disk, not even the copy a replica receives from its master (it loads
 * it from the socket). A master sends that copy at once, instead of waiting 5 s
 * (the default) for more replicas to share the transfer.
 */
export function volatileNodeArgs(port: number, dir: string): string[] {
  return [
    ...["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--daemonize", "no"],
    ...["--save", "", "--appendonly", "no"],
    ...["--repl-diskless-sync-delay", "0", "--repl-diskless-load", "on-empty-db"],
  ];
}

/**
 * Starts `binary args` in `dir` (created), its output in dir/redis.log, and waits
 * until it answers PING on `port`. `args` may refer to files in `dir`.
 */
export async function startRedisNode(options: { binary: string; port: number; dir: string; args: (dir: string) => string[] }): Promise<RedisNode> {
  mkdirSync(options.dir, { recursive: true });
  const logPath = join(options.dir, "redis.log");
  const log = openSync(logPath, "a");
  const child = spawn(options.binary, options.args(options.dir), { stdio: ["ignore", log, log] });
  closeSync(log); // the child has its own copy
  child.on("error", () => {}); // a spawn failure shows below: no PID, or no answer on the port
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${options.binary}`);
  const node: RedisNode = {
    pid,
    port: options.port,
    dir: options.dir,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      await signal(child, pid, "SIGTERM", 15_000);
      await signal(child, pid, "SIGKILL", 5_000); // only if SIGTERM was not enough
    },
    kill: () => signal(child, pid, "SIGKILL", 5_000),
  };

  // Up when the process on the port is this child: the port was free when chosen,
  // but another program may have taken it since, and then this child exits.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answering = await processOn(options.port);
    if (answering === pid) return node;
    if (answering !== undefined || !node.alive() || Date.now() > deadline) {
      await node.kill();
      const why = answering === undefined ? "did not start" : `found process ${answering} on its port`;
      throw new Error(`redis-server ${why} (port ${options.port}); see ${logPath}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The PID of the Redis (or sentinel) that answers on `port`, from INFO server; undefined if none answers. */
async function processOn(port: number): Promise<number | undefined> {
  const info = await askRedisText(port, "INFO", "server").catch(() => "");
  const pid = /^process_id:(\d+)/m.exec(info)?.[1];
  return pid === undefined ? undefined : Number(pid);
}

/** Sends `sig` to `pid` if it still runs, and waits up to `waitMs` for it to exit. */
async function signal(child: ChildProcess, pid: number, sig: NodeJS.Signals, waitMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error; // exited just now
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited(child), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
}

/** Stops every node at once; a failure to stop one does not leave the others running. */
export async function stopNodes(nodes: RedisNode[]): Promise<void> {
  await Promise.allSettled(nodes.map((node) => node.stop()));
}

/**
 * Starts every node at once. If any fails, the ones that started are stopped
 * before the first error is thrown, so a failed start leaves no process behind.
 */
export async function startNodes(starts: (() => Promise<RedisNode>)[]): Promise<RedisNode[]> {
  const results = await Promise.allSettled(starts.map((start) => start()));
  const started = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) {
    await stopNodes(started);
    throw failed.reason;
  }
  return started;
}
