import { guarded, type RedisClient } from "../redis/client";
import { defineAppScripts } from "../session";
import { digest } from "./login";

// Accounts created per client address, counted before the password is hashed, so
// a script cannot fill the users table or keep argon2 busy. Every sign-up that
// reaches that point counts, whether or not the email was free.
//
//   ratelimit:signup:ip:<sha256(ip)>   sign-ups from one IP in the window

export type SignupVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export function signupCounterKey(ip: string): string {
  return `ratelimit:signup:ip:${digest(ip)}`;
}

export function createSignupLimiter(client: RedisClient, limit: { perIp: number; windowMs: number }, readyTimeoutMs: number) {
  defineAppScripts(client);

  async function attempt(ip: string): Promise<SignupVerdict> {
    const [count, ttl] = await guarded(client, readyTimeoutMs, () => client.countAttempt(signupCounterKey(ip), limit.windowMs));
    return count > limit.perIp ? { allowed: false, retryAfterMs: ttl } : { allowed: true };
  }

  return { attempt };
}

export type SignupLimiter = ReturnType<typeof createSignupLimiter>;
