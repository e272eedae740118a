import type { Redis, Result } from "ioredis";

// The Lua scripts of the session store. Each touches exactly one key, so each is
// atomic on its own and stays valid on Redis Cluster. Times come from Redis's own
// clock (TIME), so app instances with skewed clocks agree on every expiry.
// ioredis sends them with EVALSHA and falls back to EVAL once if Redis lost them.

const NOW_MS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS[1] = session hash. ARGV = idle ms, absolute ms, then field/value pairs.
 * Stamps created/last-seen with Redis time and sets the first expiry in the same
 * step, so the hash never exists without a TTL.
 * Returns { created_at, expires_at }.
 */
const CREATE_SESSION = `${NOW_MS}
local expiresAt = now + math.min(tonumber(ARGV[1]), tonumber(ARGV[2]))
local nowText = string.format('%d', now)
redis.call('HSET', KEYS[1], 'created_at', nowText, 'last_seen_at', nowText, unpack(ARGV, 3))
redis.call('PEXPIREAT', KEYS[1], expiresAt)
return { nowText, string.format('%d', expiresAt) }
`;

/**
 * KEYS[1] = session hash. ARGV = idle ms, absolute ms, last-seen interval ms.
 * The per-request check: read, check the absolute end, slide the expiry to
 * min(now + idle, created + absolute). Atomic so that a revoke cannot fall between
 * the read and the slide: a missing key returns nil and is never re-created.
 * last_seen_at is written at most once per interval, not on every request.
 * Returns the hash as a flat field/value list plus expires_at, or nil.
 */
const VALIDATE_SESSION = `
local fields = redis.call('HGETALL', KEYS[1])
if #fields == 0 then return false end
${NOW_MS}
local created, lastSeen, lastSeenSlot = 0, 0, 0
for i = 1, #fields, 2 do
  if fields[i] == 'created_at' then created = tonumber(fields[i + 1])
  elseif fields[i] == 'last_seen_at' then lastSeen = tonumber(fields[i + 1]); lastSeenSlot = i + 1 end
end
local absoluteEnd = created + tonumber(ARGV[2])
if now >= absoluteEnd then
  redis.call('DEL', KEYS[1])
  return false
end
if lastSeenSlot > 0 and now - lastSeen >= tonumber(ARGV[3]) then
  fields[lastSeenSlot] = string.format('%d', now)
  redis.call('HSET', KEYS[1], 'last_seen_at', fields[lastSeenSlot])
end
local expiresAt = math.min(now + tonumber(ARGV[1]), absoluteEnd)
redis.call('PEXPIREAT', KEYS[1], expiresAt)
fields[#fields + 1] = 'expires_at'
fields[#fields + 1] = string.format('%d', expiresAt)
return fields
`;

/**
 * KEYS[1] = a user's index (sorted set). ARGV = session id, absolute ms.
 * Score = the session's absolute end, so entries past it are dropped by score
 * alone. The index expires with the last session it can hold.
 */
const INDEX_ADD = `${NOW_MS}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
return 1
`;

/**
 * KEYS[1] = a user's index. Drops entries past their absolute end, then returns
 * the remaining session ids. Entries of sessions that ended early (idle timeout,
 * a crash between the two steps of a sign-in) are dropped by the caller, which
 * sees their hash is gone.
 */
const INDEX_READ = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)
`;

/**
 * KEYS[1] = session hash. ARGV = user id. Deletes the session only if it belongs
 * to that user, so a user can revoke their own devices by public id and nobody
 * else's. Returns 1 when deleted.
 */
const DELETE_IF_OWNED = `
if redis.call('HGET', KEYS[1], 'user_id') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

const SCRIPTS = {
  createSession: CREATE_SESSION,
  validateSession: VALIDATE_SESSION,
  indexAdd: INDEX_ADD,
  indexRead: INDEX_READ,
  deleteIfOwned: DELETE_IF_OWNED,
} as const;

declare module "ioredis" {
  interface RedisCommander<Context> {
    createSession(key: string, ...args: (string | number)[]): Result<[string, string], Context>;
    validateSession(key: string, idleMs: number, absoluteMs: number, lastSeenIntervalMs: number): Result<string[] | null, Context>;
    indexAdd(indexKey: string, sessionId: string, absoluteMs: number): Result<number, Context>;
    indexRead(indexKey: string): Result<string[], Context>;
    deleteIfOwned(key: string, userId: string): Result<number, Context>;
  }
}

/** Registers the scripts on a client once; every one of them takes exactly one key. */
export function defineSessionScripts(client: Redis): void {
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    if (name in client) continue;
    client.defineCommand(name, { lua, numberOfKeys: 1 });
  }
}
