import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createLoginLimiter, loginCounterKeys } from "../lib/limits/login";
import { testRedis } from "./support/store";

const WINDOW_MS = 900_000;
const freshEmail = (): string => `limit-${randomBytes(6).toString("hex")}@example.com`;
const freshIp = (): string => `198.51.100.${randomBytes(1)[0]}-${randomBytes(4).toString("hex")}`;

function limiter(perAccount = 5, perIp = 50, acrossIps = 20) {
  const client = testRedis();
  return { client, limiter: createLoginLimiter(client, { perAccount, perIp, acrossIps, windowMs: WINDOW_MS }, 1000) };
}

describe("sign-in attempt limits", () => {
  it("allows 5 attempts per email+IP in a window, then refuses with the time left", async () => {
    const { limiter: l } = limiter();
    const [email, ip] = [freshEmail(), freshIp()];
    for (let i = 0; i < 5; i++) expect(await l.attempt(email, ip)).toEqual({ allowed: true });
    const refused = await l.attempt(email, ip);
    expect(refused).toMatchObject({ allowed: false, limit: "account" });
    expect(refused.allowed === false && refused.retryAfterMs).toBeGreaterThan(WINDOW_MS - 60_000);
    expect(await l.attempt(email, freshIp())).toEqual({ allowed: true }); // another IP is another counter
  });

  it("never lets a parallel burst past the limit", async () => {
    const { limiter: l } = limiter();
    const [email, ip] = [freshEmail(), freshIp()];
    const verdicts = await Promise.all(Array.from({ length: 40 }, () => l.attempt(email, ip)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
  });

  it("limits one IP across many emails", async () => {
    const { limiter: l } = limiter(5, 8);
    const ip = freshIp();
    for (let i = 0; i < 8; i++) expect((await l.attempt(freshEmail(), ip)).allowed).toBe(true);
    expect(await l.attempt(freshEmail(), ip)).toMatchObject({ allowed: false, limit: "ip" });
  });

  it("limits one email across many IPs, except for a browser that holds a session of that user", async () => {
    const { limiter: l } = limiter(5, 50, 20);
    const email = freshEmail();
    for (let i = 0; i < 20; i++) expect((await l.attempt(email, freshIp())).allowed).toBe(true);
    expect(await l.attempt(email, freshIp())).toMatchObject({ allowed: false, limit: "email" });
    // The owner, signed in on another device, is not locked out by the stranger's guesses.
    expect(await l.attempt(email, freshIp(), { holdsSession: true })).toEqual({ allowed: true });
  });

  it("forgives the account's failures on success and gives the IP its attempt back", async () => {
    const { limiter: l, client } = limiter();
    const [email, ip] = [freshEmail(), freshIp()];
    for (let i = 0; i < 4; i++) await l.attempt(email, ip);
    await l.attempt(email, ip);
    await l.succeeded(email, ip);
    const keys = loginCounterKeys(email, ip);
    expect(await client.exists(keys.account)).toBe(0);
    expect(await client.get(keys.ip)).toBe("4");
    for (let i = 0; i < 5; i++) expect((await l.attempt(email, ip)).allowed).toBe(true);
  });

  it("never leaves a counter without a TTL, and keeps no email or address in key names", async () => {
    const { limiter: l, client } = limiter();
    const [email, ip] = [freshEmail(), freshIp()];
    await Promise.all(Array.from({ length: 10 }, () => l.attempt(email, ip)));
    const keys = loginCounterKeys(email, ip);
    for (const key of [keys.account, keys.ip, keys.email]) {
      expect(await client.pttl(key)).toBeGreaterThan(0);
      expect(key).not.toContain(email);
      expect(key).not.toContain(ip);
    }
  });
});
