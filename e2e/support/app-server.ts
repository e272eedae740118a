import { spawn } from "node:child_process";
import { expect } from "@playwright/test";
import { exited, findFreePort } from "../../scripts/lib/redis-server";

// An app server of a spec's own, started the way `npm start` serves the
// production build (server.ts), for tests that must restart it or give it a
// users database of its own. Stopped by its PID.

export type AppServer = { url: string; pid: number; output: () => string; stop: () => Promise<void> };

export async function startAppServer(env: Record<string, string>, options: { cwd?: string } = {}): Promise<AppServer> {
  const port = await findFreePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: options.cwd,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  if (child.pid === undefined) throw new Error("could not start server.ts");
  const url = `http://localhost:${port}`;
  await expect
    .poll(async () => (child.exitCode === null ? (await fetch(`${url}/login`).catch(() => undefined))?.status : `exited: ${output}`), { timeout: 60_000 })
    .toBe(200);
  return {
    url,
    pid: child.pid,
    output: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      await exited(child);
    },
  };
}
