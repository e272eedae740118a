import { test } from "@playwright/test";

// The variables scripts/test.ts sets for the e2e run, read with a clear error
// when a spec is started some other way (plain `npx playwright test`). The main
// server is the running project's: the SQLite one, or its twin on PostgreSQL
// (playwright.config.ts, project "postgres", whose metadata names its port and
// its Redis database).

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run the e2e suite through \`npx tsx scripts/test.ts --e2e-only\`, which starts Redis, prepares the database and sets it.`,
    );
  }
  return value;
}

type ProjectMetadata = { appPort?: string; redisDatabase?: number; databaseUrl?: string };

/** The running project's metadata ({} outside a test, and for the SQLite project). */
function project(): ProjectMetadata {
  try {
    return test.info().project.metadata as ProjectMetadata;
  } catch {
    return {};
  }
}

/** The main app server of the running project (Playwright's baseURL). */
export function mainUrl(): string {
  return `http://localhost:${project().appPort ?? requiredEnv("E2E_PORT")}`;
}

/** The users database of the main server: the SQLite file's path or the PostgreSQL URL. */
export function mainDatabaseUrl(): string {
  return project().databaseUrl ?? requiredEnv("E2E_DATABASE_URL");
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
  return redisDatabaseUrl(project().redisDatabase ?? 0);
}

/** postgres://…/postgres of the run's PostgreSQL server: to create and drop databases of a spec's own. */
export function postgresAdminUrl(): string {
  return requiredEnv("E2E_POSTGRES_ADMIN_URL");
}

/** The run's scratch directory (.test-runs). */
export function runDir(): string {
  return requiredEnv("E2E_RUN_DIR");
}
