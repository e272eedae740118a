import { createHash } from "node:crypto";
import type { Redis, Result } from "ioredis";
import { defineScripts, guarded } from "../redis";

// Sign-in attempts are counted in Redis before the password is checked, so even a
// burst of parallel guesses cannot pass the limit: the sixth attempt in a window is
// refused without ever reaching argon2. A success clears the email+IP counter and
// gives its attempt back to the IP counter, so only failures add up.
//
//   ratelimit:login:account:<sha256(email, ip)>   failures of one email from one IP
//   ratelimit:login:ip:<sha256(ip)>               failures from one IP, all emails
// Keys hold hashes, not emails or addresses, and every counter has a TTL.

/** KEYS[1] = a counter. ARGV[1] = window ms. INCR and the TTL in one step, so no counter ever lives without one. */
const COUNT_ATTEMPT = `
local attempts = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { attempts, ttl }
`;

/** KEYS[1] = a counter. Gives one attempt back, never below zero, never re-creating an expired counter. */
const RETURN_ATTEMPT = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end
return 0
`;

declare module "ioredis" {
  interface RedisCommander<Context> {
    countAttempt(key: string, windowMs: number): Result<[number, number], Context>;
    returnAttempt(key: string): Result<number, Context>;
  }
}

export type LoginLimits = { perAccount: number; perIp: number; windowMs: number };

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterMs: number; limit: "account" | "ip" };

const digest = (...parts: string[]): string => createHash("sha256").update(parts.join("\n")).digest("base64url");

export function loginCounterKeys(email: string, ip: string): { account: string; ip: string } {
  return { account: `ratelimit:login:account:${digest(email.trim().toLowerCase(), ip)}`, ip: `ratelimit:login:ip:${digest(ip)}` };
}

export function createLoginLimiter(client: Redis, limits: LoginLimits, readyTimeoutMs: number) {
  defineScripts(client, {
    countAttempt: { lua: COUNT_ATTEMPT, numberOfKeys: 1 },
    returnAttempt: { lua: RETURN_ATTEMPT, numberOfKeys: 1 },
  });

  /** Counts this attempt and says whether it may go on to the password check. */
  async function attempt(email: string, ip: string): Promise<AttemptVerdict> {
    const keys = loginCounterKeys(email, ip);
    const results = await guarded(client, readyTimeoutMs, async () => {
      const replies = (await client.pipeline().countAttempt(keys.account, limits.windowMs).countAttempt(keys.ip, limits.windowMs).exec()) ?? [];
      return replies.map(([error, value]) => {
        if (error) throw error;
        return value as [number, number];
      });
    });
    const [[accountAttempts, accountTtl], [ipAttempts, ipTtl]] = results;
    if (accountAttempts > limits.perAccount) return { allowed: false, retryAfterMs: accountTtl, limit: "account" };
    if (ipAttempts > limits.perIp) return { allowed: false, retryAfterMs: ipTtl, limit: "ip" };
    return { allowed: true };
  }

  /** After a successful sign-in: the account's failures are forgiven, the IP gets its attempt back. */
  async function succeeded(email: string, ip: string): Promise<void> {
    const keys = loginCounterKeys(email, ip);
    await guarded(client, readyTimeoutMs, () => client.pipeline().del(keys.account).returnAttempt(keys.ip).exec());
  }

  return { attempt, succeeded };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
