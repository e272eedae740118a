import { createHash } from "node:crypto";
import type { Result } from "ioredis";
import type { RedisClient } from "../redis";
import { defineScripts } from "../redis";

// The counters behind the rate limits (sign-in, sign-up): one key per counter,
// one command per count, each counter with a TTL that starts at its first count.

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

/** Registers the counter scripts on a client (once). */
export function defineCounterScripts(client: RedisClient): void {
  defineScripts(client, {
    countAttempt: { lua: COUNT_ATTEMPT, numberOfKeys: 1 },
    returnAttempt: { lua: RETURN_ATTEMPT, numberOfKeys: 1 },
  });
}

/** Key names hold hashes of what they count (emails, addresses), never the values. */
export const digest = (...parts: string[]): string => createHash("sha256").update(parts.join("\n")).digest("base64url");
