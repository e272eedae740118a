import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { join } from "node:path";

export type RunningRedis = { pid: number; port: number; url: string; stop: () => Promise<void> };

/** Sends PING and resolves true if a Redis answers PONG within the timeout. */
export function pingRedis(port: number, host = "127.0.0.1", timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

/** A TCP port nobody listens on right now (the OS picks it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when the child has exited (or at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Starts redis-server bound to 127.0.0.1 and waits until it answers PING.
 * `persistent` turns on AOF in `dir` (the managed local Redis); otherwise nothing
 * is written to disk (tests, benchmarks).
 */
export async function startRedisServer(options: {
  binary: string;
  port: number;
  dir: string;
  persistent: boolean;
}): Promise<RunningRedis> {
  mkdirSync(options.dir, { recursive: true });
  const args = ["--port", String(options.port), "--bind", "127.0.0.1", "--dir", options.dir, "--daemonize", "no"];
  args.push(...(options.persistent ? ["--appendonly", "yes", "--appendfsync", "everysec"] : ["--appendonly", "no", "--save", ""]));
  const logFile = openSync(join(options.dir, "redis.log"), "a");
  const child = spawn(options.binary, args, { stdio: ["ignore", logFile, logFile] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${options.binary}`);

  const deadline = Date.now() + 10_000;
  while (!(await pingRedis(options.port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not start on port ${options.port}; see ${join(options.dir, "redis.log")}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid,
    port: options.port,
    url: `redis://127.0.0.1:${options.port}`,
    // SIGTERM lets Redis flush its AOF before it exits.
    stop: async () => {
      child.kill("SIGTERM");
      await exited(child);
    },
  };
}
