import { spawn } from "node:child_process";
import { request as httpsRequest } from "node:https";
import { expect } from "@playwright/test";
import { exited, findFreePort } from "../../scripts/lib/redis-server";

// An app server of a spec's own, started the way `npm start` serves the
// production build (server.ts), for tests that must restart it or give it a
// users database of its own. Stopped by its PID.

export type AppServer = { url: string; pid: number; output: () => string; stop: () => Promise<void> };

/** The status of a GET, over https with a certificate of our own (self-signed) or over http; undefined if nothing answers within 2 s. */
export function statusOf(url: string): Promise<number | undefined> {
  if (!url.startsWith("https:")) return fetch(url, { signal: AbortSignal.timeout(2000) }).then((response) => response.status, () => undefined);
  return new Promise((resolve) => {
    const request = httpsRequest(url, { rejectUnauthorized: false, timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on("error", () => resolve(undefined));
    request.on("timeout", () => request.destroy());
    request.end();
  });
}

/** env may name TLS_CERT_FILE and TLS_KEY_FILE: the server then speaks https (its url says so). */
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
  const url = `${env.TLS_CERT_FILE ? "https" : "http"}://localhost:${port}`;
  await expect
    .poll(async () => (child.exitCode === null ? await statusOf(`${url}/login`) : `exited: ${output}`), { timeout: 60_000 })
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
