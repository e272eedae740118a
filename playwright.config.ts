import { chromium, defineConfig } from "@playwright/test";
import { existsSync } from "node:fs";

// The e2e suite runs against production builds of the app that the global
// setup (e2e/support/global-setup.ts) starts, with the Redis servers, PostgreSQL
// and SQLite file they need, on free ports: `npx playwright test` alone, or one
// spec (`npx playwright test e2e/devices.spec.ts`), works on a fresh checkout.
// The servers are listed in e2e/support/servers.ts. The global setup runs after
// this file is first read, and the workers read it again with its variables
// set: hence the "0" ports below, which only that first reading sees.

/** Playwright's own Chromium where it is installed, else the system's (Debian's chromium). */
function chromiumExecutable(): string | undefined {
  if (existsSync(chromium.executablePath())) return undefined;
  return process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
}

/** The specs that run on both users databases: every flow that reads or writes users, and the query counts. */
const CORE_SPECS = ["auth", "signup", "settings", "delete-account", "admin", "api", "one-round-trip", "users-database-queries"];
/** Specs about PostgreSQL alone (each starts what it needs on the run's PostgreSQL server). */
const POSTGRES_SPECS = ["users-database-down", "two-machines"];
const specs = (names: string[]): RegExp => new RegExp(`/(${names.join("|")})\\.spec\\.ts$`);
const port = (name: string): string => process.env[name] ?? "0";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: ".test-runs/playwright.json" }]],
  globalSetup: "./e2e/support/global-setup.ts",
  use: {
    baseURL: `http://localhost:${port("E2E_PORT")}`,
    launchOptions: { executablePath: chromiumExecutable() },
    trace: "retain-on-failure",
  },
  projects: [
    { name: "sqlite", use: { browserName: "chromium" }, testIgnore: specs(POSTGRES_SPECS) },
    {
      name: "postgres",
      testMatch: specs([...CORE_SPECS, ...POSTGRES_SPECS]),
      // e2e/support/env.ts knows this project by its name: mainUrl() and redisUrl() are its server and Redis database.
      use: { browserName: "chromium", baseURL: `http://localhost:${port("E2E_POSTGRES_PORT")}` },
    },
  ],
});
