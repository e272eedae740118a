import { chromium, defineConfig } from "@playwright/test";
import { existsSync } from "node:fs";

// The e2e suite runs against production builds started here, on ports and with a
// Redis and a SQLite file that `npm test` (scripts/test.ts) prepared for this run.
// Nine app servers, each started the way `npm start` serves the app (server.ts):
// the normal one, one with a 3-second idle timeout, one whose Redis the fault
// tests stop and start, and two that tests lock out on purpose, each in a Redis
// database of its own so their counters never reach the others: the "strict" one
// (default sign-in limits, no trusted proxy, demo users off, a 2-second recent
// sign-in window) and one behind a trusted proxy hop (default sign-up limit); and
// two on the Redis Cluster and two on the Sentinel set of the scale stage; and the
// main server's twin on PostgreSQL, which the core specs run against a second time
// (the project "postgres"), on a Redis database of its own.

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
const MANY_SIGNUPS = { SIGNUP_MAX_PER_IP: "100000" };
const SCALE = { SESSION_WAIT_REPLICAS: "1", SESSION_MAX_PER_USER: "1000", LOGIN_MAX_FAILURES_PER_IP: "100000", LOGIN_MAX_FAILURES_PER_ACCOUNT: "100000", LOGIN_MAX_FAILURES_ACROSS_IPS: "100000", ...MANY_SIGNUPS };

/** The specs that run on both users databases: every flow that reads or writes users, and the query counts. */
const CORE_SPECS = ["auth", "signup", "settings", "delete-account", "admin", "api", "one-round-trip", "users-database-queries"];
/** Specs about PostgreSQL alone (each starts what it needs on the run's PostgreSQL server). */
const POSTGRES_SPECS = ["users-database-down", "two-machines"];
const specs = (names: string[]): RegExp => new RegExp(`/(${names.join("|")})\\.spec\\.ts$`);
/** The Redis database of the app on PostgreSQL: its keys and limits apart from the main server's. */
const POSTGRES_REDIS_DATABASE = 3;

function server(port: string, env: Record<string, string>) {
  return {
    command: `${SERVER} --port ${port}`,
    url: `http://127.0.0.1:${port}/login`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: (process.env.E2E_SERVER_LOGS ? "pipe" : "ignore") as "pipe" | "ignore",
    stderr: (process.env.E2E_SERVER_LOGS ? "pipe" : "ignore") as "pipe" | "ignore",
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
  projects: [
    { name: "sqlite", use: { browserName: "chromium" }, testIgnore: specs(POSTGRES_SPECS) },
    {
      name: "postgres",
      testMatch: specs([...CORE_SPECS, ...POSTGRES_SPECS]),
      // e2e/support/env.ts reads these: mainUrl() and redisUrl() are this project's server and Redis database.
      metadata: { appPort: required("E2E_POSTGRES_PORT"), redisDatabase: POSTGRES_REDIS_DATABASE, databaseUrl: required("E2E_POSTGRES_URL") },
      use: { browserName: "chromium", baseURL: `http://localhost:${required("E2E_POSTGRES_PORT")}` },
    },
  ],
  webServer: [
    // The whole suite signs in and up from 127.0.0.1: the per-IP limits are raised
    // where they would throttle the suite itself (they have tests of their own, on
    // the proxied server, where each test comes from an address of its own).
    server(required("E2E_PORT"), { REDIS_URL: required("E2E_REDIS_URL"), LOGIN_MAX_FAILURES_PER_IP: "100000", ...MANY_SIGNUPS }),
    server(required("E2E_SHORT_IDLE_PORT"), { REDIS_URL: required("E2E_REDIS_URL"), SESSION_IDLE_TTL: "3", ...MANY_SIGNUPS }),
    server(required("E2E_FAULT_PORT"), { REDIS_URL: `redis://127.0.0.1:${required("E2E_FAULT_REDIS_PORT")}`, ...MANY_SIGNUPS }),
    // Default limits, no demo users listed, a 2-second "recent sign-in" window, and no Redis trace.
    server(required("E2E_ATTACK_PORT"), { REDIS_URL: `${required("E2E_REDIS_URL")}/1`, DEMO_USERS: "off", SESSION_FRESH_AGE: "2", SHOW_REDIS_TRACE: "off", ...MANY_SIGNUPS }),
    server(required("E2E_PROXIED_PORT"), { REDIS_URL: `${required("E2E_REDIS_URL")}/2`, TRUST_PROXY: "1" }),
    server(required("E2E_POSTGRES_PORT"), {
      DATABASE_URL: required("E2E_POSTGRES_URL"),
      REDIS_URL: `${required("E2E_REDIS_URL")}/${POSTGRES_REDIS_DATABASE}`,
      LOGIN_MAX_FAILURES_PER_IP: "100000",
      ...MANY_SIGNUPS,
    }),
    // The scale stage: two instances on the Cluster, two on Sentinel, sign-ins and
    // revocations acknowledged by a replica (SESSION_WAIT_REPLICAS=1).
    ...["E2E_CLUSTER_A_PORT", "E2E_CLUSTER_B_PORT"].map((port) =>
      server(required(port), { REDIS_CLUSTER_NODES: required("E2E_CLUSTER_NODES"), ...SCALE }),
    ),
    ...["E2E_SENTINEL_A_PORT", "E2E_SENTINEL_B_PORT"].map((port) =>
      server(required(port), { REDIS_SENTINELS: required("E2E_SENTINELS"), REDIS_SENTINEL_NAME: required("E2E_SENTINEL_NAME"), ...SCALE }),
    ),
  ],
});
