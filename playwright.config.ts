import { chromium, defineConfig } from "@playwright/test";
import { existsSync } from "node:fs";

// The e2e suite runs against production builds started here, on ports and with a
// Redis and a SQLite file that `npm test` (scripts/test.ts) prepared for this run.
// Five app servers, each started the way `npm start` serves the app (server.ts):
// the normal one, one with a 3-second idle timeout, one whose Redis the fault
// tests stop and start, and two the attack tests lock out on purpose, each in a
// Redis database of its own so their counters never reach the others: one with
// the default limits and no trusted proxy, one behind a trusted proxy hop.

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e suite through \`npm test\`, which starts Redis and prepares the database.`);
  return value;
}

/** Playwright's own Chromium where it is installed, else the system's (Debian's chromium). */
function chromiumExecutable(): string | undefined {
  if (existsSync(chromium.executablePath())) return undefined;
  return process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
}

const SERVER = "node --import tsx server.ts --hostname 127.0.0.1";

function server(port: string, env: Record<string, string>) {
  return {
    command: `${SERVER} --port ${port}`,
    url: `http://127.0.0.1:${port}/login`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore" as const,
    stderr: "ignore" as const,
    env: { NODE_ENV: "production", DATABASE_URL: required("E2E_DATABASE_URL"), ...env },
  };
}

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: ".test-runs/playwright.json" }]],
  use: {
    baseURL: `http://localhost:${required("E2E_PORT")}`,
    launchOptions: { executablePath: chromiumExecutable() },
    trace: "retain-on-failure",
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: [
    // The whole suite signs in from 127.0.0.1: the per-IP sign-in limit is raised so
    // the suite does not throttle itself (the limit has its own tests).
    server(required("E2E_PORT"), { REDIS_URL: required("E2E_REDIS_URL"), LOGIN_MAX_FAILURES_PER_IP: "100000" }),
    server(required("E2E_SHORT_IDLE_PORT"), { REDIS_URL: required("E2E_REDIS_URL"), SESSION_IDLE_TTL: "3" }),
    server(required("E2E_FAULT_PORT"), { REDIS_URL: `redis://127.0.0.1:${required("E2E_FAULT_REDIS_PORT")}` }),
    server(required("E2E_ATTACK_PORT"), { REDIS_URL: `${required("E2E_REDIS_URL")}/1` }),
    server(required("E2E_PROXIED_PORT"), { REDIS_URL: `${required("E2E_REDIS_URL")}/2`, TRUST_PROXY: "1" }),
  ],
});
