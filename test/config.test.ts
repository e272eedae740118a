import { describe, expect, it } from "vitest";
import { parseConfig } from "../lib/config";

describe("parseConfig", () => {
  it("has the documented defaults", () => {
    expect(parseConfig({ NODE_ENV: "production" })).toEqual({
      redisUrl: "redis://127.0.0.1:6380",
      databasePath: ".data/app.db",
      idleTtlMs: 1_800_000,
      absoluteTtlMs: 43_200_000,
      lastSeenIntervalMs: 60_000,
      maxSessionsPerUser: 50,
      freshAgeMs: 600_000,
      signupLimit: { perIp: 10, windowMs: 3_600_000 },
      demoUsers: true,
      loginLimits: { perAccount: 5, perIp: 50, acrossIps: 20, windowMs: 900_000 },
      redisCommandTimeoutMs: 500,
      trustProxy: { kind: "none" },
      secureCookies: true,
    });
    expect(parseConfig({ NODE_ENV: "development" }).secureCookies).toBe(false);
    expect(parseConfig({ DEMO_USERS: "off" }).demoUsers).toBe(false);
    expect(parseConfig({ NODE_ENV: "development", COOKIE_SECURE: "true" }).secureCookies).toBe(true);
  });

  it("rejects nonsense with a message naming the variable", () => {
    expect(() => parseConfig({ SESSION_IDLE_TTL: "soon" })).toThrow(/SESSION_IDLE_TTL/);
    expect(() => parseConfig({ REDIS_URL: "not a url" })).toThrow(/REDIS_URL/);
    expect(() => parseConfig({ TRUST_PROXY: "10.0.0.0/99" })).toThrow(/TRUST_PROXY/);
    expect(() => parseConfig({ TRUST_PROXY: "proxy.internal" })).toThrow(/TRUST_PROXY/);
  });
});
