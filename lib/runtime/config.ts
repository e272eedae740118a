import { z } from "zod";
import type { DatabaseTarget } from "../db/client";
import type { RedisTarget } from "../redis/client";
import type { SessionRetention } from "../session";
import { BlockList, isIP } from "node:net";

// Every environment variable the app reads is parsed here, once, by the
// composition root (build.ts), so a typo or a nonsense value stops the process
// with a clear message instead of surfacing later as a strange session bug.

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** "host:port,host:port" → [{ host, port }]. */
const hostList = z
  .string()
  .min(1)
  .transform((value, context) => {
    const nodes = value.split(",").map((entry) => entry.trim()).filter(Boolean).map((entry) => {
      const at = entry.lastIndexOf(":");
      return { host: entry.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(entry.slice(at + 1)) };
    });
    if (nodes.length === 0 || nodes.some((node) => !node.host || !Number.isInteger(node.port) || node.port <= 0 || node.port > 65535)) {
      context.addIssue({ code: "custom", message: "use host:port,host:port" });
      return z.NEVER;
    }
    return nodes;
  });

const booleanFlag = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6380"),
  REDIS_SENTINELS: hostList.optional(),
  REDIS_SENTINEL_NAME: z.string().min(1).optional(),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  REDIS_CLUSTER_NODES: hostList.optional(),
  REDIS_PASSWORD: z.string().optional(),
  SESSION_WAIT_REPLICAS: z.coerce.number().int().min(0).default(0),
  SESSION_WAIT_TIMEOUT_MS: z.coerce.number().int().positive().default(250),
  DATABASE_URL: z.string().min(1).default(".data/app.db"),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(1000),
  SESSION_IDLE_TTL: seconds(1800),
  SESSION_ABSOLUTE_TTL: seconds(43200),
  SESSION_LAST_SEEN_INTERVAL: seconds(60),
  // WCAG 2.2.1 gives a user at least 20 seconds to answer a timeout warning.
  SESSION_IDLE_WARNING: z.coerce.number().int().min(20, "at least 20 seconds, so a user has time to answer the warning").default(120),
  SESSION_MAX_PER_USER: z.coerce.number().int().positive().default(50),
  SESSION_FRESH_AGE: seconds(600),
  // "Keep me signed in": a persistent cookie, a longer absolute end and a longer idle timeout.
  SESSION_REMEMBER_TTL: seconds(2592000),
  SESSION_REMEMBER_IDLE_TTL: seconds(604800),
  // Device Bound Session Credentials: browsers that can are offered a key-bound session.
  SESSION_DEVICE_BOUND: booleanFlag.default(true),
  SESSION_BOUND_COOKIE_TTL: z.coerce.number().int().min(2, "at least 2 seconds").default(600),
  // The defaults are the session core's own (DEFAULT_RETENTION in lib/session).
  SESSION_END_REASON_TTL: seconds(86400),
  ACTIVITY_LOG_TTL: seconds(2592000),
  // A sign-in reads the user row, checks the password (argon2) and then creates its
  // session: a fence gone before that ends would let a stale sign-in through.
  SESSION_FENCE_TTL: z.coerce.number().int().min(10, "at least 10 seconds: the fence must outlive any sign-in in flight").default(600),
  SIGNUP_MAX_PER_IP: z.coerce.number().int().positive().default(10),
  SIGNUP_WINDOW: seconds(3600),
  DEMO_USERS: z.enum(["on", "off", "true", "false", "1", "0"]).default("on").transform((value) => ["on", "true", "1"].includes(value)),
  // Unset: follows DEMO_USERS (a demo shows its Redis, a real deployment does not).
  SHOW_REDIS_TRACE: z.enum(["on", "off"], { message: "use on or off" }).optional(),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(50),
  LOGIN_MAX_FAILURES_ACROSS_IPS: z.coerce.number().int().positive().default(20),
  LOGIN_FAILURE_WINDOW: seconds(900),
  RATE_LIMIT_IPV6_PREFIX: z.coerce.number().int().min(16, "at least 16 bits").max(128, "at most 128 bits").default(64),
  TRUST_PROXY: z.string().default("").transform((value, context) => {
    try {
      return parseTrustProxy(value);
    } catch (error) {
      context.addIssue({ code: "custom", message: `${(error as Error).message}: use a hop count (1) or addresses/CIDRs (10.0.0.0/8,::1)` });
      return z.NEVER;
    }
  }),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(500),
  COOKIE_SECURE: booleanFlag.optional(),
  // Serve HTTPS directly (both or neither): device-bound sessions need a secure origin, even on localhost.
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  // Unset: no process statistics in the log.
  PROCESS_STATS_INTERVAL: z.coerce.number().int().positive().optional(),
});

/**
 * Which peers are proxies whose X-Forwarded-For is believed (TRUST_PROXY; the
 * front door applies it: lib/web/client-address.ts).
 */
export type TrustProxy =
  | { kind: "none" }
  /** The N right-most hops (the peer first) are proxies of ours. */
  | { kind: "hops"; hops: number }
  /** Peers whose address is in this list are proxies of ours. */
  | { kind: "list"; list: BlockList; text: string };

/** "1", "2"… (hop count) or "127.0.0.1,10.0.0.0/8,::1" (addresses and CIDRs); "", "0", "false" or "off" trust nobody. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? "").trim();
  if (text === "" || /^(0|false|off|no)$/i.test(text)) return { kind: "none" };
  if (/^\d+$/.test(text)) return { kind: "hops", hops: Number(text) };
  const list = new BlockList();
  for (const entry of text.split(",").map((part) => part.trim()).filter(Boolean)) {
    const [address, prefix] = entry.split("/");
    const family = isIP(address);
    if (family === 0) throw new Error(`"${entry}" is not an IP address or CIDR`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) throw new Error(`"${entry}" has an invalid prefix length`);
      list.addSubnet(address, bits, type);
    }
  }
  return { kind: "list", list, text };
}

export type Config = {
  redis: RedisTarget;
  /** Writes that sign in or end sessions wait until this many replicas have them (WAIT), at most waitTimeoutMs. */
  waitReplicas: { count: number; timeoutMs: number };
  database: DatabaseTarget;
  idleTtlMs: number;
  absoluteTtlMs: number;
  lastSeenIntervalMs: number;
  /** The idle-timeout warning opens this long before the session would end (SESSION_IDLE_WARNING, at most half the idle timeout). */
  idleWarningMs: number;
  maxSessionsPerUser: number;
  /** A session that proved the password within this long may do sensitive things without asking again. */
  freshAgeMs: number;
  /** "Keep me signed in": the absolute lifetime and the idle timeout of a remembered session (SESSION_REMEMBER_TTL, SESSION_REMEMBER_IDLE_TTL). */
  remember: { absoluteTtlMs: number; idleTtlMs: number };
  /** Device-bound sessions (DBSC): offered at sign-in when on; the short-lived cookie of a bound session lives this long. */
  deviceBound: { enabled: boolean; cookieTtlMs: number };
  /** How long end markers, activity logs and fences are kept (SESSION_END_REASON_TTL, ACTIVITY_LOG_TTL, SESSION_FENCE_TTL). */
  retention: SessionRetention;
  /** Accounts created per IP (an IPv6 address counts by its prefix) within one window. */
  signupLimit: { perIp: number; windowMs: number; ipv6PrefixBits: number };
  /** Demo mode: the demo users are created and listed on /login. */
  demoUsers: boolean;
  /** "Redis behind this page", the API's Server-Timing and the key inspector; off, the client is not even hooked. */
  showRedisTrace: boolean;
  /** Sign-in failures allowed per email+IP, per IP, and per email from all IPs together, within one window. */
  loginLimits: { perAccount: number; perIp: number; acrossIps: number; windowMs: number; ipv6PrefixBits: number };
  /** Which peers are proxies whose X-Forwarded-For is believed (none by default). */
  trustProxy: TrustProxy;
  redisCommandTimeoutMs: number;
  /** Secure cookies with the `__Host-` prefix: on by default in production. */
  secureCookies: boolean;
  /** server.ts serves HTTPS with this certificate and key (PEM files) instead of HTTP. */
  tls?: { certFile: string; keyFile: string };
  /** server.ts logs the process's memory and event-loop delay this often (PROCESS_STATS_INTERVAL); unset: never. */
  processStatsIntervalMs?: number;
};

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment configuration:\n  ${problems.join("\n  ")}`);
  }
  const e = result.data;
  return {
    redis: redisTarget(e),
    waitReplicas: { count: e.SESSION_WAIT_REPLICAS, timeoutMs: e.SESSION_WAIT_TIMEOUT_MS },
    database: databaseTarget(e),
    idleTtlMs: e.SESSION_IDLE_TTL * 1000,
    absoluteTtlMs: e.SESSION_ABSOLUTE_TTL * 1000,
    lastSeenIntervalMs: e.SESSION_LAST_SEEN_INTERVAL * 1000,
    // Half the idle timeout at most: a warning as long as the timeout would be open
    // again the moment "Stay signed in" closed it (less than it is always left).
    idleWarningMs: Math.min(e.SESSION_IDLE_WARNING * 1000, (e.SESSION_IDLE_TTL * 1000) / 2),
    maxSessionsPerUser: e.SESSION_MAX_PER_USER,
    freshAgeMs: e.SESSION_FRESH_AGE * 1000,
    remember: { absoluteTtlMs: e.SESSION_REMEMBER_TTL * 1000, idleTtlMs: e.SESSION_REMEMBER_IDLE_TTL * 1000 },
    deviceBound: { enabled: e.SESSION_DEVICE_BOUND, cookieTtlMs: e.SESSION_BOUND_COOKIE_TTL * 1000 },
    retention: { endReasonMs: e.SESSION_END_REASON_TTL * 1000, activityMs: e.ACTIVITY_LOG_TTL * 1000, fenceMs: e.SESSION_FENCE_TTL * 1000 },
    signupLimit: { perIp: e.SIGNUP_MAX_PER_IP, windowMs: e.SIGNUP_WINDOW * 1000, ipv6PrefixBits: e.RATE_LIMIT_IPV6_PREFIX },
    demoUsers: e.DEMO_USERS,
    showRedisTrace: e.SHOW_REDIS_TRACE === undefined ? e.DEMO_USERS : e.SHOW_REDIS_TRACE === "on",
    loginLimits: {
      perAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      perIp: e.LOGIN_MAX_FAILURES_PER_IP,
      acrossIps: e.LOGIN_MAX_FAILURES_ACROSS_IPS,
      windowMs: e.LOGIN_FAILURE_WINDOW * 1000,
      ipv6PrefixBits: e.RATE_LIMIT_IPV6_PREFIX,
    },
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    trustProxy: e.TRUST_PROXY,
    secureCookies: e.COOKIE_SECURE ?? e.NODE_ENV === "production",
    processStatsIntervalMs: e.PROCESS_STATS_INTERVAL === undefined ? undefined : e.PROCESS_STATS_INTERVAL * 1000,
    tls: tlsFiles(e),
  };
}

function tlsFiles(e: z.infer<typeof EnvSchema>): Config["tls"] {
  if (!e.TLS_CERT_FILE && !e.TLS_KEY_FILE) return undefined;
  if (!e.TLS_CERT_FILE || !e.TLS_KEY_FILE) throw new Error("Invalid environment configuration:\n  TLS_CERT_FILE and TLS_KEY_FILE: set both (PEM files), or neither");
  return { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE };
}

/** postgres:// or postgresql:// selects PostgreSQL; anything else is a SQLite file path (file: prefix allowed). */
function databaseTarget(e: z.infer<typeof EnvSchema>): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(e.DATABASE_URL)) {
    return { kind: "postgres", url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS };
  }
  return { kind: "sqlite", path: e.DATABASE_URL.replace(/^file:/, "") };
}

function redisTarget(e: z.infer<typeof EnvSchema>): RedisTarget {
  if (e.REDIS_CLUSTER_NODES && e.REDIS_SENTINELS) throw new Error("Invalid environment configuration:\n  REDIS_CLUSTER_NODES and REDIS_SENTINELS: set one, not both");
  if (e.REDIS_CLUSTER_NODES) return { kind: "cluster", nodes: e.REDIS_CLUSTER_NODES, password: e.REDIS_PASSWORD };
  if (e.REDIS_SENTINELS) {
    if (!e.REDIS_SENTINEL_NAME) throw new Error("Invalid environment configuration:\n  REDIS_SENTINEL_NAME: the name the sentinels monitor the master by is required with REDIS_SENTINELS");
    return { kind: "sentinel", sentinels: e.REDIS_SENTINELS, name: e.REDIS_SENTINEL_NAME, password: e.REDIS_PASSWORD, sentinelPassword: e.REDIS_SENTINEL_PASSWORD };
  }
  return { kind: "single", url: e.REDIS_URL };
}
