import { createHash } from "node:crypto";
import { guarded, type RedisClient } from "../redis/client";
import { defineAppScripts } from "../session";

// Sign-in attempts are counted in Redis before the password is checked, so even a
// burst of parallel guesses cannot pass the limit: the sixth attempt in a window is
// refused without ever reaching argon2. A success clears the email+IP counter and
// gives its attempt back to the other two, so only failures add up.
//
//   ratelimit:login:account:<sha256(email, ip)>   failures of one email from one IP
//   ratelimit:login:ip:<sha256(ip)>               failures from one IP, all emails
//   ratelimit:login:email:<sha256(email)>         failures of one email from all IPs
// The third stops a guess spread over many addresses. Since a stranger can fill it
// on purpose, a browser that already holds a live session of that user is not
// held back by it (see the README, "Brute force").
// Keys hold hashes, not emails or addresses, and every counter has a TTL. Each
// counter is its own key and its own command: no command spans two keys, so the
// counters may live on different nodes of a Redis Cluster.

/** Key names hold hashes of what they count (emails, addresses), never the values. */
export const digest = (...parts: string[]): string => createHash("sha256").update(parts.join("\n")).digest("base64url");

export type LoginLimits = { perAccount: number; perIp: number; acrossIps: number; windowMs: number };

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterMs: number; limit: "account" | "ip" | "email" };

/** `holdsSession`: the client already holds a live session of this email's user. */
export type AttemptContext = { holdsSession: boolean };

export function loginCounterKeys(email: string, ip: string): { account: string; ip: string; email: string } {
  const normalized = email.trim().toLowerCase();
  return {
    account: `ratelimit:login:account:${digest(normalized, ip)}`,
    ip: `ratelimit:login:ip:${digest(ip)}`,
    email: `ratelimit:login:email:${digest(normalized)}`,
  };
}

export function createLoginLimiter(client: RedisClient, limits: LoginLimits, readyTimeoutMs: number) {
  defineAppScripts(client); // the counters' Lua (countAttempt, returnAttempt) lives with every other script

  const count = (key: string): Promise<[number, number]> => client.countAttempt(key, limits.windowMs);

  /** Counts this attempt and says whether it may go on to the password check. */
  async function attempt(email: string, ip: string, context: AttemptContext = { holdsSession: false }): Promise<AttemptVerdict> {
    const keys = loginCounterKeys(email, ip);
    const [[accountAttempts, accountTtl], [ipAttempts, ipTtl], [emailAttempts, emailTtl]] = await guarded(client, readyTimeoutMs, () =>
      Promise.all([count(keys.account), count(keys.ip), context.holdsSession ? Promise.resolve<[number, number]>([0, 0]) : count(keys.email)]),
    );
    if (accountAttempts > limits.perAccount) return { allowed: false, retryAfterMs: accountTtl, limit: "account" };
    if (ipAttempts > limits.perIp) return { allowed: false, retryAfterMs: ipTtl, limit: "ip" };
    if (emailAttempts > limits.acrossIps) return { allowed: false, retryAfterMs: emailTtl, limit: "email" };
    return { allowed: true };
  }

  /** After a successful sign-in: the email+IP failures are forgiven, the other counters get this attempt back. */
  async function succeeded(email: string, ip: string, context: AttemptContext = { holdsSession: false }): Promise<void> {
    const keys = loginCounterKeys(email, ip);
    await guarded(client, readyTimeoutMs, () =>
      Promise.all([client.del(keys.account), client.returnAttempt(keys.ip), context.holdsSession ? 0 : client.returnAttempt(keys.email)]),
    );
  }

  return { attempt, succeeded };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
