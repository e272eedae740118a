import { spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { step } from "../scripts/lib/log";
import { buildIsStale, buildProductionBundle } from "../scripts/lib/next-build";
import { exited, findFreePort } from "../scripts/lib/redis-server";
import { sleep } from "./stats";

// The app under HTTP load: the production build served by server.ts, the way
// `npm start` serves it, on a free port, with the bench's Redis and users database.

export type RunningNext = { pid: number; baseUrl: string; stop: () => Promise<void> };

/** Builds the production bundle when it is missing or older than the code. Returns the seconds spent (0 when fresh). */
export function ensureProductionBuild(): number {
  if (!buildIsStale()) return 0;
  step("next build (the production bundle is missing or older than the code)…");
  const started = performance.now();
  if (!buildProductionBundle({ ...process.env, NODE_ENV: "production" })) throw new Error("next build failed; see the errors above");
  return (performance.now() - started) / 1000;
}

/** `env`: settings of this server beyond the bench's own (SHOW_REDIS_TRACE). */
export async function startNext(options: { redisUrl: string; databaseUrl: string; logPath: string; env?: Record<string, string> }): Promise<RunningNext> {
  const port = await findFreePort();
  const log = openSync(options.logPath, "a");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    REDIS_URL: options.redisUrl,
    DATABASE_URL: options.databaseUrl,
    // Every bench run signs in from 127.0.0.1; the limit must never be what is measured.
    LOGIN_MAX_FAILURES_PER_IP: "1000000",
    LOGIN_MAX_FAILURES_PER_ACCOUNT: "1000000",
    ...options.env,
  };
  // detached: its own process group, so stopping it by its PID also stops any worker it forks.
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts", "--hostname", "127.0.0.1", "--port", String(port)], {
    env,
    detached: true,
    stdio: ["ignore", log, log],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start server.ts");
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
    await exited(child);
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server.ts exited with code ${child.exitCode}; see ${options.logPath}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server.ts did not answer /api/health within 60 s; see ${options.logPath}`);
    }
    await sleep(200);
  }
  return { pid, baseUrl, stop };
}

/** POST /api/auth/login → the session token (used as the cookie and as the bearer token). */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { token?: unknown };
  if (response.status !== 200 || typeof body.token !== "string") throw new Error(`sign-in as ${email} failed: ${response.status}`);
  return body.token;
}

export type ServerLogCounts = { commandTimeouts: number; redisUnavailable: number };

/** What the app server logged about Redis during the run: the cause of any 5xx in the HTTP figures. */
export function countServerLog(logPath: string): ServerLogCounts {
  const text = readFileSync(logPath, "utf8");
  const count = (pattern: RegExp): number => text.match(pattern)?.length ?? 0;
  return { commandTimeouts: count(/Command timed out/g), redisUnavailable: count(/RedisUnavailableError/g) };
}
