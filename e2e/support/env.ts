// The variables scripts/test.ts sets for the e2e run, read with a clear error
// when a spec is started some other way (plain `npx playwright test`).

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run the e2e suite through \`npx tsx scripts/test.ts --e2e-only\`, which starts Redis, prepares the database and sets it.`,
    );
  }
  return value;
}

/** The main app server (Playwright's baseURL). */
export function mainUrl(): string {
  return `http://localhost:${requiredEnv("E2E_PORT")}`;
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

/** The Redis database a server's keys live in: 0 for the main ones, 1 and 2 for the attack servers. */
export function redisDatabaseUrl(database: number): string {
  return `${redisUrl()}/${database}`;
}

export function faultRedisPort(): number {
  return Number(requiredEnv("E2E_FAULT_REDIS_PORT"));
}

export function redisServerBin(): string {
  return requiredEnv("REDIS_SERVER_BIN");
}

/** The main app's Redis (redis://127.0.0.1:<port>). */
export function redisUrl(): string {
  return requiredEnv("E2E_REDIS_URL");
}

/** The run's scratch directory (.test-runs). */
export function runDir(): string {
  return requiredEnv("E2E_RUN_DIR");
}
