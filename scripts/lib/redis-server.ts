import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { join } from "node:path";

export type RunningRedis = { pid: number; port: number; url: string; stop: () => Promise<void> };

/** Sends PING and resolves true if a Redis answers PONG within the timeout. */
export async function pingRedis(port: number, host = "127.0.0.1", timeoutMs = 500, password?: string): Promise<boolean> {
  return (await probeRedis(port, password, host, timeoutMs)) === "answers";
}

/**
 * What listens on a port: nothing ("free"), a Redis that answers PING (after AUTH
 * with `password` when given: "answers"), a Redis that wants another password or
 * none ("other-redis"), or something else ("not-redis").
 */
export function probeRedis(port: number, password?: string, host = "127.0.0.1", timeoutMs = 500): Promise<"free" | "answers" | "other-redis" | "not-redis"> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    let reply = "";
    const done = (answer: "free" | "answers" | "other-redis" | "not-redis"): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done("not-redis")); // something listens, but says nothing Redis would
    socket.once("error", () => done("free"));
    socket.once("connect", () => socket.write(password ? `AUTH ${password}\r\nPING\r\n` : "PING\r\n"));
    socket.on("data", (data) => {
      reply += data.toString();
      if (reply.includes("+PONG")) done(reply.startsWith("+OK") || !password ? "answers" : "other-redis");
      else if (/^-(NOAUTH|WRONGPASS|ERR)/m.test(reply)) done("other-redis");
      else if (!/^[+-]/.test(reply)) done("not-redis");
    });
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
  /** requirepass: clients must AUTH with it (the managed Redis of npm start). */
  password?: string;
}): Promise<RunningRedis> {
  mkdirSync(options.dir, { recursive: true });
  const args = ["--port", String(options.port), "--bind", "127.0.0.1", "--dir", options.dir, "--daemonize", "no"];
  args.push(...(options.persistent ? ["--appendonly", "yes", "--appendfsync", "everysec"] : ["--appendonly", "no", "--save", ""]));
  if (options.password) {
    // In a file only its owner can read, not on the command line, which `ps` shows to everyone.
    const conf = join(options.dir, "auth.conf");
    writeFileSync(conf, `requirepass ${options.password}\n`, { mode: 0o600 });
    chmodSync(conf, 0o600);
    args.unshift(conf);
  }
  const logFile = openSync(join(options.dir, "redis.log"), "a");
  const child = spawn(options.binary, args, { stdio: ["ignore", logFile, logFile] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${options.binary}`);

  const deadline = Date.now() + 10_000;
  while (!(await pingRedis(options.port, "127.0.0.1", 500, options.password))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not start on port ${options.port}; see ${join(options.dir, "redis.log")}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid,
    port: options.port,
    url: options.password ? `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}` : `redis://127.0.0.1:${options.port}`,
    // SIGTERM lets Redis flush its AOF before it exits.
    stop: async () => {
      child.kill("SIGTERM");
      await exited(child);
    },
  };
}
