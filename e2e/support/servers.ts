import { join } from "node:path";

// The app servers the e2e suite runs against, each started by the global setup
// (global-setup.ts) the way `npm start` serves the app (server.ts, production
// build), on a free port named by its variable:
// - the main one, and its twin on PostgreSQL (the project "postgres" runs the core
//   specs against it a second time), each in a Redis database of its own;
// - one with a 3-second idle timeout; one whose Redis the fault tests stop and start;
// - two that tests lock out on purpose, each in a Redis database of its own so their
//   counters never reach the others: the "strict" one (default sign-in limits, no
//   trusted proxy, demo users off, a 2-second recent sign-in window, no Redis trace)
//   and one behind a trusted proxy hop (default sign-up limit);
// - two on the Redis Cluster and two on the Sentinel set (the scale specs);
// - one on https (a self-signed certificate, tls.ts) whose device-bound sessions'
//   short-lived cookie lives 5 seconds (the device-bound specs), in Redis database 4.
// The whole suite signs in and up from 127.0.0.1: the per-IP limits are raised
// where they would throttle the suite itself (they have tests of their own, on the
// proxied server, where each test comes from an address of its own).

/** The run's scratch folder: Redis and PostgreSQL data, the SQLite file, topologies.json. */
export const E2E_DIR = join(process.cwd(), ".test-runs", "e2e");

/** The Redis database of the app on PostgreSQL: its keys and limits apart from the main server's. */
export const POSTGRES_REDIS_DATABASE = 3;

const MANY_SIGNUPS = { SIGNUP_MAX_PER_IP: "100000" };
const SCALE = { SESSION_WAIT_REPLICAS: "1", SESSION_MAX_PER_USER: "1000", LOGIN_MAX_FAILURES_PER_IP: "100000", LOGIN_MAX_FAILURES_PER_ACCOUNT: "100000", LOGIN_MAX_FAILURES_ACROSS_IPS: "100000", ...MANY_SIGNUPS };

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (e2e/support/global-setup.ts sets it)`);
  return value;
}

export type AppServerSpec = { name: string; portVariable: string; env: () => Record<string, string>; tls?: true };

/** The short-lived cookie's lifetime on the device-bound server: past it, a bound session needs a refresh. */
export const BOUND_COOKIE_TTL_SECONDS = 5;

const onSqlite = (rest: Record<string, string>): Record<string, string> => ({ DATABASE_URL: env("E2E_DATABASE_URL"), ...rest });

export const APP_SERVERS: AppServerSpec[] = [
  { name: "main", portVariable: "E2E_PORT", env: () => onSqlite({ REDIS_URL: env("E2E_REDIS_URL"), LOGIN_MAX_FAILURES_PER_IP: "100000", ...MANY_SIGNUPS }) },
  {
    name: "main on PostgreSQL",
    portVariable: "E2E_POSTGRES_PORT",
    env: () => ({
      DATABASE_URL: env("E2E_POSTGRES_URL"),
      REDIS_URL: `${env("E2E_REDIS_URL")}/${POSTGRES_REDIS_DATABASE}`,
      LOGIN_MAX_FAILURES_PER_IP: "100000",
      ...MANY_SIGNUPS,
    }),
  },
  { name: "short idle", portVariable: "E2E_SHORT_IDLE_PORT", env: () => onSqlite({ REDIS_URL: env("E2E_REDIS_URL"), SESSION_IDLE_TTL: "3", ...MANY_SIGNUPS }) },
  { name: "fault", portVariable: "E2E_FAULT_PORT", env: () => onSqlite({ REDIS_URL: `redis://127.0.0.1:${env("E2E_FAULT_REDIS_PORT")}`, ...MANY_SIGNUPS }) },
  {
    name: "strict",
    portVariable: "E2E_ATTACK_PORT",
    env: () => onSqlite({ REDIS_URL: `${env("E2E_REDIS_URL")}/1`, DEMO_USERS: "off", SESSION_FRESH_AGE: "2", SHOW_REDIS_TRACE: "off", ...MANY_SIGNUPS }),
  },
  { name: "proxied", portVariable: "E2E_PROXIED_PORT", env: () => onSqlite({ REDIS_URL: `${env("E2E_REDIS_URL")}/2`, TRUST_PROXY: "1" }) },
  {
    name: "device bound",
    portVariable: "E2E_BOUND_PORT",
    tls: true,
    env: () =>
      onSqlite({
        REDIS_URL: `${env("E2E_REDIS_URL")}/4`,
        SESSION_BOUND_COOKIE_TTL: String(BOUND_COOKIE_TTL_SECONDS),
        TLS_CERT_FILE: env("E2E_TLS_CERT_FILE"),
        TLS_KEY_FILE: env("E2E_TLS_KEY_FILE"),
        ...MANY_SIGNUPS,
      }),
  },
  ...["A", "B"].map((which) => ({
    name: `cluster ${which}`,
    portVariable: `E2E_CLUSTER_${which}_PORT`,
    env: () => onSqlite({ REDIS_CLUSTER_NODES: env("E2E_CLUSTER_NODES"), ...SCALE }),
  })),
  ...["A", "B"].map((which) => ({
    name: `sentinel ${which}`,
    portVariable: `E2E_SENTINEL_${which}_PORT`,
    env: () => onSqlite({ REDIS_SENTINELS: env("E2E_SENTINELS"), REDIS_SENTINEL_NAME: env("E2E_SENTINEL_NAME"), ...SCALE }),
  })),
];
