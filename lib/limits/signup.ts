import { guarded, type RedisClient } from "../redis/client";
import { defineAppScripts } from "../session";
import { addressBucket, digest } from "./login";

// Accounts created per client address, counted before the password is hashed, so
// a script cannot fill the users table or keep argon2 busy. Every sign-up that
// reaches that point counts, whether or not the email was free.
//
//   ratelimit:signup:ip:<sha256(ip)>   sign-ups from one IP (an IPv6 /64) in the window

export type SignupVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export function signupCounterKey(ip: string, ipv6PrefixBits = 64): string {
  return `ratelimit:signup:ip:${digest(addressBucket(ip, ipv6PrefixBits))}`;
}

export function createSignupLimiter(client: RedisClient, limit: { perIp: number; windowMs: number; ipv6PrefixBits: number }, readyTimeoutMs: number) {
  defineAppScripts(client);

  async function attempt(ip: string): Promise<SignupVerdict> {
    const [count, ttl] = await guarded(client, readyTimeoutMs, () => client.countAttempt(signupCounterKey(ip, limit.ipv6PrefixBits), limit.windowMs));
    return count > limit.perIp ? { allowed: false, retryAfterMs: ttl } : { allowed: true };
  }

  return { attempt };
}

export type SignupLimiter = ReturnType<typeof createSignupLimiter>;
