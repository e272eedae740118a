import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createLoginLimiter, loginCounterKeys } from "../lib/limits/login";
import { testRedis } from "./support/store";

const WINDOW_MS = 900_000;
const freshEmail = (): string => `limit-${randomBytes(6).toString("hex")}@example.com`;
const freshIp = (): string => `198.51.100.${randomBytes(1)[0]}-${randomBytes(4).toString("hex")}`;

function limiter(perAccount = 5, perIp = 50, acrossIps = 20) {
  const client = testRedis();
  return { client, limiter: createLoginLimiter(client, { perAccount, perIp, acrossIps, windowMs: WINDOW_MS, ipv6PrefixBits: 64 }, 1000) };
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

describe("a session holder's password proofs (confirm, password change, deletion)", () => {
  const owner = (): { id: number; uid: string } => ({ id: randomBytes(3).readUIntBE(0, 3), uid: randomBytes(16).toString("hex") });
  const sessionId = (): string => randomBytes(32).toString("base64url");

  it("allow 5 failures per session whatever the address they come from, then refuse", async () => {
    const { limiter: l } = limiter();
    const [user, session] = [owner(), sessionId()];
    for (let i = 0; i < 5; i++) expect(await l.attemptOwnPassword(user, session, freshIp())).toEqual({ allowed: true });
    const refused = await l.attemptOwnPassword(user, session, freshIp());
    expect(refused).toMatchObject({ allowed: false, limit: "session" });
    expect(refused.allowed === false && refused.retryAfterMs).toBeGreaterThan(WINDOW_MS - 60_000);
  });

  it("allow 20 failures per user across all their sessions and addresses", async () => {
    const { limiter: l } = limiter();
    const user = owner();
    for (let i = 0; i < 20; i++) expect((await l.attemptOwnPassword(user, sessionId(), freshIp())).allowed).toBe(true);
    expect(await l.attemptOwnPassword(user, sessionId(), freshIp())).toMatchObject({ allowed: false, limit: "user" });
    expect((await l.attemptOwnPassword(owner(), sessionId(), freshIp())).allowed, "another user is counted apart").toBe(true);
  });

  it("are not held back by strangers' failed sign-ins for the same email, and a right password forgives the session's failures", async () => {
    const { limiter: l } = limiter();
    const [user, session, email] = [owner(), sessionId(), freshEmail()];
    for (let i = 0; i < 25; i++) await l.attempt(email, freshIp());
    for (let i = 0; i < 4; i++) await l.attemptOwnPassword(user, session, freshIp());
    const ip = freshIp();
    expect(await l.attemptOwnPassword(user, session, ip)).toEqual({ allowed: true });
    await l.ownPasswordSucceeded(user, session, ip);
    for (let i = 0; i < 5; i++) expect((await l.attemptOwnPassword(user, session, freshIp())).allowed).toBe(true);
  });
});
