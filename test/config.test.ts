import { describe, expect, it } from "vitest";
import { parseConfig } from "../lib/runtime/config";
import { DEFAULT_RETENTION } from "../lib/session";

describe("parseConfig", () => {
  it("has the documented defaults", () => {
    expect(parseConfig({ NODE_ENV: "production" })).toEqual({
      redis: { kind: "single", url: "redis://127.0.0.1:6380" },
      waitReplicas: { count: 0, timeoutMs: 250 },
      database: { kind: "sqlite", path: ".data/app.db" },
      idleTtlMs: 1_800_000,
      absoluteTtlMs: 43_200_000,
      lastSeenIntervalMs: 60_000,
      idleWarningMs: 120_000,
      maxSessionsPerUser: 50,
      freshAgeMs: 600_000,
      remember: { absoluteTtlMs: 2_592_000_000, idleTtlMs: 604_800_000 },
      deviceBound: { enabled: true, cookieTtlMs: 600_000 },
      retention: { endReasonMs: 86_400_000, activityMs: 2_592_000_000, fenceMs: 600_000 },
      signupLimit: { perIp: 10, windowMs: 3_600_000, ipv6PrefixBits: 64 },
      demoUsers: true,
      showRedisTrace: true,
      loginLimits: { perAccount: 5, perIp: 50, acrossIps: 20, windowMs: 900_000, ipv6PrefixBits: 64 },
      redisCommandTimeoutMs: 500,
      trustProxy: { kind: "none" },
      secureCookies: true,
      processStatsIntervalMs: undefined,
    });
    expect(parseConfig({ NODE_ENV: "development" }).secureCookies).toBe(false);
    expect(parseConfig({ DEMO_USERS: "off" }).demoUsers).toBe(false);
    // The Redis trace follows demo mode unless told otherwise.
    expect(parseConfig({ DEMO_USERS: "off" }).showRedisTrace).toBe(false);
    expect(parseConfig({ DEMO_USERS: "off", SHOW_REDIS_TRACE: "on" }).showRedisTrace).toBe(true);
    expect(parseConfig({ SHOW_REDIS_TRACE: "off" }).showRedisTrace).toBe(false);
    expect(parseConfig({ NODE_ENV: "development", COOKIE_SECURE: "true" }).secureCookies).toBe(true);
  });

  it("reads the remembered lifetimes, device binding and the TLS files", () => {
    expect(parseConfig({ SESSION_REMEMBER_TTL: "86400", SESSION_REMEMBER_IDLE_TTL: "3600" }).remember).toEqual({ absoluteTtlMs: 86_400_000, idleTtlMs: 3_600_000 });
    expect(parseConfig({ SESSION_DEVICE_BOUND: "false", SESSION_BOUND_COOKIE_TTL: "60" }).deviceBound).toEqual({ enabled: false, cookieTtlMs: 60_000 });
    expect(() => parseConfig({ SESSION_DEVICE_BOUND: "maybe" })).toThrow(/SESSION_DEVICE_BOUND/);
    expect(() => parseConfig({ SESSION_BOUND_COOKIE_TTL: "1" })).toThrow(/SESSION_BOUND_COOKIE_TTL: at least 2 seconds/);
    expect(parseConfig({ TLS_CERT_FILE: "c.pem", TLS_KEY_FILE: "k.pem" }).tls).toEqual({ certFile: "c.pem", keyFile: "k.pem" });
    expect(() => parseConfig({ TLS_CERT_FILE: "c.pem" })).toThrow(/TLS_CERT_FILE and TLS_KEY_FILE: set both/);
  });

  it("picks the users database from DATABASE_URL: a postgres:// or postgresql:// URL, else a SQLite file", () => {
    expect(parseConfig({ DATABASE_URL: "postgres://app:secret@db.internal:5432/users" }).database).toEqual({
      kind: "postgres",
      url: "postgres://app:secret@db.internal:5432/users",
      poolMax: 10,
      statementTimeoutMs: 1000,
    });
    expect(parseConfig({ DATABASE_URL: "postgresql://db/users", DATABASE_POOL_MAX: "25", DATABASE_STATEMENT_TIMEOUT_MS: "1500" }).database).toEqual({
      kind: "postgres",
      url: "postgresql://db/users",
      poolMax: 25,
      statementTimeoutMs: 1500,
    });
    expect(parseConfig({ DATABASE_URL: "file:/var/lib/app/users.db" }).database).toEqual({ kind: "sqlite", path: "/var/lib/app/users.db" });
    expect(parseConfig({ DATABASE_URL: "./users.db" }).database).toEqual({ kind: "sqlite", path: "./users.db" });
    expect(() => parseConfig({ DATABASE_POOL_MAX: "0" })).toThrow(/DATABASE_POOL_MAX/);
    expect(() => parseConfig({ DATABASE_STATEMENT_TIMEOUT_MS: "soon" })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
  });

  it("clamps the idle warning to half the idle timeout, so that staying signed in closes it", () => {
    expect(parseConfig({ SESSION_IDLE_TTL: "4" }).idleWarningMs).toBe(2_000);
    expect(parseConfig({ SESSION_IDLE_TTL: "60", SESSION_IDLE_WARNING: "45" }).idleWarningMs).toBe(30_000);
    expect(parseConfig({ SESSION_IDLE_TTL: "1800", SESSION_IDLE_WARNING: "45" }).idleWarningMs).toBe(45_000);
    expect(parseConfig({ RATE_LIMIT_IPV6_PREFIX: "56" }).loginLimits.ipv6PrefixBits).toBe(56);
    expect(() => parseConfig({ RATE_LIMIT_IPV6_PREFIX: "129" })).toThrow(/RATE_LIMIT_IPV6_PREFIX: at most 128 bits/);
  });

  it("rejects nonsense with a message naming the variable", () => {
    expect(() => parseConfig({ SESSION_IDLE_TTL: "soon" })).toThrow(/SESSION_IDLE_TTL/);
    expect(() => parseConfig({ SESSION_IDLE_WARNING: "10" })).toThrow(/SESSION_IDLE_WARNING: at least 20 seconds/);
    expect(() => parseConfig({ SHOW_REDIS_TRACE: "yes" })).toThrow(/SHOW_REDIS_TRACE: use on or off/);
    expect(() => parseConfig({ REDIS_URL: "not a url" })).toThrow(/REDIS_URL/);
    expect(() => parseConfig({ TRUST_PROXY: "10.0.0.0/99" })).toThrow(/TRUST_PROXY/);
    expect(() => parseConfig({ TRUST_PROXY: "proxy.internal" })).toThrow(/TRUST_PROXY/);
    expect(() => parseConfig({ REDIS_CLUSTER_NODES: "nohost" })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => parseConfig({ REDIS_SENTINELS: "127.0.0.1:26379" })).toThrow(/REDIS_SENTINEL_NAME/);
  });

  it("reads the retention of end markers, activity logs and fences, by default the session core's own", () => {
    expect(parseConfig({}).retention).toEqual(DEFAULT_RETENTION);
    expect(parseConfig({ SESSION_END_REASON_TTL: "2", ACTIVITY_LOG_TTL: "3", SESSION_FENCE_TTL: "10" }).retention).toEqual({
      endReasonMs: 2000,
      activityMs: 3000,
      fenceMs: 10_000,
    });
    expect(() => parseConfig({ SESSION_FENCE_TTL: "9" })).toThrow(/SESSION_FENCE_TTL: at least 10 seconds: the fence must outlive any sign-in in flight/);
    expect(() => parseConfig({ SESSION_END_REASON_TTL: "0" })).toThrow(/SESSION_END_REASON_TTL/);
    expect(() => parseConfig({ ACTIVITY_LOG_TTL: "1.5" })).toThrow(/ACTIVITY_LOG_TTL/);
  });

  it("logs process statistics only when PROCESS_STATS_INTERVAL asks, that often", () => {
    expect(parseConfig({}).processStatsIntervalMs).toBeUndefined();
    expect(parseConfig({ PROCESS_STATS_INTERVAL: "30" }).processStatsIntervalMs).toBe(30_000);
    expect(() => parseConfig({ PROCESS_STATS_INTERVAL: "0" })).toThrow(/PROCESS_STATS_INTERVAL/);
    expect(() => parseConfig({ PROCESS_STATS_INTERVAL: "often" })).toThrow(/PROCESS_STATS_INTERVAL/);
  });

  it("reads a Sentinel set or a Cluster instead of REDIS_URL", () => {
    expect(parseConfig({ REDIS_SENTINELS: "127.0.0.1:26379, [::1]:26380", REDIS_SENTINEL_NAME: "sessions", REDIS_PASSWORD: "p" }).redis).toEqual({
      kind: "sentinel",
      sentinels: [{ host: "127.0.0.1", port: 26379 }, { host: "::1", port: 26380 }],
      name: "sessions",
      password: "p",
      sentinelPassword: undefined,
    });
    expect(parseConfig({ REDIS_CLUSTER_NODES: "10.0.0.1:7000,10.0.0.2:7000" }).redis).toEqual({
      kind: "cluster",
      nodes: [{ host: "10.0.0.1", port: 7000 }, { host: "10.0.0.2", port: 7000 }],
      password: undefined,
    });
    expect(parseConfig({ SESSION_WAIT_REPLICAS: "1" }).waitReplicas).toEqual({ count: 1, timeoutMs: 250 });
  });
});
