import { test } from "@playwright/test";
import { POSTGRES_REDIS_DATABASE } from "./servers";

// The addresses the global setup (global-setup.ts) started the servers on, read
// from the variables it sets. The main server is the running project's: the
// SQLite one, or its twin on PostgreSQL (playwright.config.ts, project "postgres").

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the e2e global setup (e2e/support/global-setup.ts) sets it; run the specs with \`npx playwright test\`.`);
  return value;
}

/** Whether the running test belongs to the project "postgres" (false outside a test). */
function onPostgres(): boolean {
  try {
    return test.info().project.name === "postgres";
  } catch {
    return false;
  }
}

/** The main app server of the running project (Playwright's baseURL). */
export function mainUrl(): string {
  return `http://localhost:${requiredEnv(onPostgres() ? "E2E_POSTGRES_PORT" : "E2E_PORT")}`;
}

/** The users database of the main server: the SQLite file's path or the PostgreSQL URL. */
export function mainDatabaseUrl(): string {
  return requiredEnv(onPostgres() ? "E2E_POSTGRES_URL" : "E2E_DATABASE_URL");
}

/** The server whose sessions expire after 3 idle seconds (SESSION_IDLE_TTL=3). */
export function shortIdleUrl(): string {
  return `http://localhost:${requiredEnv("E2E_SHORT_IDLE_PORT")}`;
}

/** The server whose Redis (on E2E_FAULT_REDIS_PORT) the fault test starts and stops. */
export function faultUrl(): string {
  return `http://localhost:${requiredEnv("E2E_FAULT_PORT")}`;
}

/**
 * The strict server, on Redis database 1: default sign-in limits, no trusted proxy
 * (attacks lock it out, not the suite), DEMO_USERS=off, SESSION_FRESH_AGE=2.
 */
export function attackUrl(): string {
  return `http://localhost:${requiredEnv("E2E_ATTACK_PORT")}`;
}

/** A server that trusts one proxy hop (TRUST_PROXY=1), on Redis database 2. */
export function proxiedUrl(): string {
  return `http://localhost:${requiredEnv("E2E_PROXIED_PORT")}`;
}

/** The Redis database a server's keys live in: 0 for the main ones, 1 and 2 for the attack servers, 3 for the main one on PostgreSQL. */
export function redisDatabaseUrl(database: number): string {
  return `${requiredEnv("E2E_REDIS_URL")}/${database}`;
}

export function faultRedisPort(): number {
  return Number(requiredEnv("E2E_FAULT_REDIS_PORT"));
}

export function redisServerBin(): string {
  return requiredEnv("REDIS_SERVER_BIN");
}

/** The Redis database of the running project's main server. */
export function redisUrl(): string {
  return redisDatabaseUrl(onPostgres() ? POSTGRES_REDIS_DATABASE : 0);
}

/** postgres://…/postgres of the run's PostgreSQL server: to create and drop databases of a spec's own. */
export function postgresAdminUrl(): string {
  return requiredEnv("E2E_POSTGRES_ADMIN_URL");
}

/** The run's scratch directory (.test-runs). */
export function runDir(): string {
  return requiredEnv("E2E_RUN_DIR");
}

/** The https server whose device-bound sessions' short-lived cookie lives BOUND_COOKIE_TTL_SECONDS (servers.ts). */
export function boundUrl(): string {
  return `https://localhost:${requiredEnv("E2E_BOUND_PORT")}`;
}
