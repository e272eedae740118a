import type { Result } from "ioredis";
import { defineScripts, type RedisClient } from "../redis/client";
import { CHECKED_FIELDS } from "./record";

// Every Lua script the app runs, in one place: the session store's, each atomic,
// and the counters of the rate limits (lib/limits). The per-request check touches
// exactly one key. The store's others touch a user's index and that user's session
// hashes, all declared in KEYS, so that no reader ever sees an index and its
// sessions disagree (on Redis Cluster they need one hash slot: docs/scale.md).
// Times come from Redis's own clock (TIME), so app instances with skewed clocks
// agree on every expiry. ioredis sends them with EVALSHA, falling back to EVAL once.
// The docs' command tables are read from these sources (scripts/docs.ts).

/** The Lua index (from 1) of a field in the per-request check's HMGET. */
function fieldIndex(field: (typeof CHECKED_FIELDS)[number]): number {
  return CHECKED_FIELDS.indexOf(field) + 1;
}

/**
 * Whether a request's short-lived cookie (its hash: ARGV[n]) is the bound
 * session's current one or, until its own end, the one the last refresh
 * replaced: while the browser refreshes, requests already on their way carry
 * the previous cookie. `now` must be set.
 */
const BOUND_COOKIE_OK = `
local function boundCookieOk(proof, current, currentUntil, previous, previousUntil)
  if proof == current and now < tonumber(currentUntil) then return true end
  return previous ~= false and proof == previous and now < tonumber(previousUntil)
end
`;

const NOW_MS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS[1] = session hash, KEYS[2] = the user's index, KEYS[3] = the user's fence.
 * ARGV = session id, idle ms, absolute ms, the user row's session_version the
 * sign-in read, then field/value pairs.
 * Refuses (nil) when the fence is past that version: the user row changed (a new
 * password, another admin flag, deleted) after the sign-in read it, and the sweep
 * that ended the user's sessions may already have run. Otherwise writes the hash
 * with its first expiry and indexes it in one step: there is no moment at which a
 * session exists that the devices page cannot show, or the reverse. The absolute
 * end is fixed here and stored in the hash (ends_at): a later change of
 * SESSION_ABSOLUTE_TTL can shorten a session but never carry it past the index
 * entry, whose score is that same end, or past the index's TTL, which covers the
 * latest end it holds. No authenticated_at yet: until the user confirms the
 * password again, the sign-in itself (created_at) is the last proof of it.
 * Returns { created_at, expires_at, sessions in the index }.
 */
const CREATE_SESSION = `
local fence = redis.call('GET', KEYS[3])
if fence and (fence == 'deleted' or tonumber(fence) > tonumber(ARGV[4])) then return false end
${NOW_MS}
local idle, absolute = tonumber(ARGV[2]), tonumber(ARGV[3])
local expiresAt = now + math.min(idle, absolute)
local nowText = string.format('%d', now)
local endsAt = string.format('%d', now + absolute)
redis.call('HSET', KEYS[1], 'created_at', nowText, 'last_seen_at', nowText, 'ends_at', endsAt, unpack(ARGV, 5))
redis.call('PEXPIREAT', KEYS[1], expiresAt)
redis.call('ZADD', KEYS[2], endsAt, ARGV[1])
local ttl = redis.call('PTTL', KEYS[2])
if ttl < absolute then redis.call('PEXPIRE', KEYS[2], absolute) end
return { nowText, string.format('%d', expiresAt), redis.call('ZCARD', KEYS[2]) }
`;

/**
 * KEYS[1] = the user's fence. ARGV[1] = the user row's new session_version, or
 * 'deleted'; ARGV[2] = how long the fence lives (ms).
 * Raised, never lowered (two changes of one user may reach Redis in either
 * order), before the sweep that ends the user's sessions reads their index.
 */
const RAISE_FENCE = `
local current = redis.call('GET', KEYS[1])
if current ~= 'deleted' and (ARGV[1] == 'deleted' or not current or tonumber(ARGV[1]) > tonumber(current)) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
`;

/**
 * KEYS[1] = session hash. ARGV = idle ms, absolute ms, last-seen interval ms, the
 * id of this app's users database, the remembered idle ms and absolute ms, and
 * the SHA-256 of the bound cookie the request carried ('' for none).
 * The per-request check: read, check the absolute end, slide the expiry to
 * min(now + idle, absolute end), where the absolute end is
 * min(created + absolute, ends_at): the one fixed at sign-in, or an earlier one if
 * the absolute TTL was lowered since. A remembered session ("Keep me signed in")
 * lives by the remembered pair instead. Atomic so that a revoke cannot fall
 * between the read and the slide: a missing key returns nil and is never re-created.
 * A session recorded under another users database (users_db: the database was
 * reset or replaced, its user ids mean other people now) is not valid, and is
 * left alone (it ends with its TTL), so two apps sharing one Redis never end
 * each other's sessions.
 * A session bound to a device's key (DBSC: binding.ts) is valid only with its
 * short-lived cookie, before that cookie's end (BOUND_COOKIE_OK): a copied
 * long-lived cookie alone is refused, and the refusal neither slides nor ends the session.
 * last_seen_at is written at most once per interval, not on every request.
 * Kept lean, since it runs on every request: HMGET of the fields in CHECKED_FIELDS'
 * order, and a positional reply { expires_at, now, …those values } that the client
 * reads in one pass (the cookie's hash left out). A hash without created_at (not
 * written by createSession) counts as ended and is deleted.
 */
const VALIDATE_SESSION = `
local f = redis.call('HMGET', KEYS[1], ${CHECKED_FIELDS.map((field) => `'${field}'`).join(", ")})
local created = tonumber(f[${fieldIndex("created_at")}])
if not created then
  -- Gone (the common case: no write), or a hash this store did not write: removed.
  for i = 1, #f do if f[i] then redis.call('DEL', KEYS[1]) break end end
  return false
end
if f[${fieldIndex("users_db")}] ~= ARGV[4] then return false end
${NOW_MS}${BOUND_COOKIE_OK}
local idle, absolute = ARGV[1], ARGV[2]
if f[${fieldIndex("remember")}] == '1' then idle, absolute = ARGV[5], ARGV[6] end
local absoluteEnd = created + absolute
local endsAt = tonumber(f[${fieldIndex("ends_at")}])
if endsAt and endsAt < absoluteEnd then absoluteEnd = endsAt end
if now >= absoluteEnd then
  redis.call('DEL', KEYS[1])
  return false
end
local bound = f[${fieldIndex("bound_cookie")}]
if bound and not boundCookieOk(ARGV[7], bound, f[${fieldIndex("bound_until")}], f[${fieldIndex("bound_prev")}], f[${fieldIndex("bound_prev_until")}]) then return false end
f[${fieldIndex("bound_cookie")}], f[${fieldIndex("bound_prev")}] = false, false
if now - (tonumber(f[${fieldIndex("last_seen_at")}]) or 0) >= tonumber(ARGV[3]) then
  f[${fieldIndex("last_seen_at")}] = now
  redis.call('HSET', KEYS[1], 'last_seen_at', now)
end
local expiresAt = math.min(now + idle, absoluteEnd)
redis.call('PEXPIREAT', KEYS[1], expiresAt)
return { expiresAt, now, ${CHECKED_FIELDS.map((_, i) => `f[${i + 1}]`).join(", ")} }
`;

/**
 * KEYS[1] = a user's index. Drops entries past their absolute end (no session
 * outlives the end it was indexed with), then returns { now, the remaining
 * session ids }. Entries of sessions that ended early (idle timeout, a lowered
 * absolute TTL) are dropped by the caller, which sees their hash is gone or over.
 */
const INDEX_READ = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return { now, redis.call('ZRANGE', KEYS[1], 0, -1) }
`;

/**
 * KEYS[1] = a user's index, KEYS[2..n+1] = n session hashes, KEYS[n+2..2n+1] =
 * their end markers. ARGV[1] = user id, ARGV[2] = why they end, ARGV[3] = how
 * long the marker lives (ms), ARGV[4..] = the ids of those hashes.
 * Deletes each hash that belongs to that user (so a user can revoke by public id
 * their own sessions and nobody else's), leaves its end marker and drops the id
 * from the index, in one step: no request can find the session gone before the
 * reason is there to read. Returns { id, browser, os, name } per ended session,
 * flat, for the activity log.
 */
const REVOKE_SESSIONS = `
local n = (#KEYS - 1) / 2
local ended = {}
for i = 1, n do
  local f = redis.call('HMGET', KEYS[1 + i], 'user_id', 'browser', 'os', 'name')
  if f[1] == ARGV[1] then
    redis.call('DEL', KEYS[1 + i])
    redis.call('SET', KEYS[1 + n + i], ARGV[2], 'PX', ARGV[3])
    for _, value in ipairs({ ARGV[3 + i], f[2] or '', f[3] or '', f[4] or '' }) do ended[#ended + 1] = value end
  end
  redis.call('ZREM', KEYS[1], ARGV[3 + i])
end
return ended
`;

/**
 * KEYS[1] = session hash, KEYS[2] = its end marker. ARGV[1] = the id of this app's
 * users database. Why a session is not there: 'live' if it is (and belongs to
 * this users database), else the reason its marker holds, else 'expired' (an
 * idle or absolute timeout leaves no marker: Redis expired the key by itself; a
 * session of another users database reads the same). Asked only when a
 * signed-out browser still sends a well-formed cookie, never on the valid path.
 */
const END_REASON = `
if redis.call('HGET', KEYS[1], 'users_db') == ARGV[1] then return 'live' end
return redis.call('GET', KEYS[2]) or 'expired'
`;

/**
 * KEYS[1] = session hash. ARGV[1] = the id of this app's users database, ARGV[2] =
 * the SHA-256 of the bound cookie the request carried ('' for none), or
 * 'checked' (a live stream, whose opening request was checked with it). When the
 * session ends unless used again, without using it (no slide):
 * { expires_at, now }, or nil if it is gone (or of another users database, or
 * bound and the request lacks its short-lived cookie). The idle warning asks
 * this, so a tab that only watches the clock never keeps its session alive.
 */
const PEEK_EXPIRY = `
local f = redis.call('HMGET', KEYS[1], 'users_db', 'bound_cookie', 'bound_until', 'bound_prev', 'bound_prev_until')
if f[1] ~= ARGV[1] then return false end
local expiresAt = redis.call('PEXPIRETIME', KEYS[1])
if expiresAt < 0 then return false end
${NOW_MS}${BOUND_COOKIE_OK}
if f[2] and ARGV[2] ~= 'checked' and not boundCookieOk(ARGV[2], f[2], f[3], f[4], f[5]) then return false end
return { expiresAt, now }
`;

/**
 * KEYS[1] = session hash. ARGV[1] = user id, ARGV[2] = the new device name ('' to
 * drop it). Renames only a live session of that user; never re-creates one.
 * Returns 1 if renamed.
 */
const RENAME_SESSION = `
if redis.call('HGET', KEYS[1], 'user_id') ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], 'name') else redis.call('HSET', KEYS[1], 'name', ARGV[2]) end
return 1
`;

/**
 * KEYS[1] = a user's index, KEYS[2..n+1] = n candidate session hashes, least
 * recently active first, KEYS[n+2..2n+1] = their end markers. ARGV[1] = the cap,
 * ARGV[2] = how long a marker lives (ms), ARGV[3..] = the candidates' ids.
 * Ends candidates only while the index holds more than the cap, checking before
 * each one, so parallel sign-ins evicting at once never go below it; each ended
 * one leaves the marker 'revoked' (a sign-in elsewhere pushed it out).
 * Returns { sessions left in the index, …the ids it ended }.
 */
const EVICT_OVER_CAP = `
local n = (#KEYS - 1) / 2
local cap, result = tonumber(ARGV[1]), { 0 }
for i = 1, n do
  if redis.call('ZCARD', KEYS[1]) <= cap then break end
  if redis.call('ZREM', KEYS[1], ARGV[2 + i]) == 1 then
    if redis.call('DEL', KEYS[1 + i]) == 1 then redis.call('SET', KEYS[1 + n + i], 'revoked', 'PX', ARGV[2]) end
    result[#result + 1] = ARGV[2 + i]
  end
end
result[1] = redis.call('ZCARD', KEYS[1])
return result
`;

/**
 * KEYS[1] = session hash. The user proved the password again ("confirm"): the
 * session's authenticated_at becomes now, if the session still exists (never
 * re-creating a revoked one). Returns now, or nil.
 */
const CONFIRM_SESSION = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
${NOW_MS}
redis.call('HSET', KEYS[1], 'authenticated_at', now)
return now
`;

/**
 * KEYS[1] = session hash, KEYS[2] = a new challenge's key. ARGV[1] = the session
 * id, ARGV[2] = 'register' or 'refresh', ARGV[3] = the challenge's lifetime (ms),
 * ARGV[4] = the id of this app's users database.
 * A DBSC challenge (binding.ts), only for a live session in the state the purpose
 * needs: not yet bound to register, bound to refresh. The key holds
 * '<purpose>:<session id>' and lives a minute or so; taking it deletes it, so it
 * is used once. Returns 1, or 0 when the session is gone or in the other state.
 */
const ISSUE_CHALLENGE = `
local f = redis.call('HMGET', KEYS[1], 'users_db', 'bound_key')
if f[1] ~= ARGV[4] or (ARGV[2] == 'register') == (f[2] ~= false) then return 0 end
redis.call('SET', KEYS[2], ARGV[2] .. ':' .. ARGV[1], 'PX', ARGV[3])
return 1
`;

/**
 * KEYS[1] = a challenge's key, KEYS[2] = the session hash it should be for.
 * ARGV[1] = what the challenge must hold ('refresh:<session id>'), ARGV[2] = the
 * id of this app's users database.
 * Takes the challenge (deleted whatever follows: one use) and answers with what
 * verifying the proof needs: { 'ok', user id, the session's stored key }, or
 * { 'challenge', user id } (unknown, expired, used or for another session), or
 * { 'gone' }.
 */
const TAKE_CHALLENGE = `
local f = redis.call('HMGET', KEYS[2], 'users_db', 'bound_key', 'user_id')
local held = redis.call('GETDEL', KEYS[1])
if f[1] ~= ARGV[2] or not f[2] then return { 'gone' } end
if held ~= ARGV[1] then return { 'challenge', f[3] } end
return { 'ok', f[3], f[2] }
`;

/**
 * KEYS[1] = session hash. ARGV[1] = the device's public key (JWK), ARGV[2] = the
 * SHA-256 of a new short-lived cookie, ARGV[3] = that cookie's lifetime (ms) on
 * the server, ARGV[4] = the id of this app's users database, ARGV[5] = 'register'
 * or 'refresh', ARGV[6] = the grace (ms) of requests sent before the browser
 * had the first cookie.
 * Register: stores the key, if the session is live and bound to none yet (a
 * bound session never changes its key). Refresh: only if the session is still
 * bound to that same key (it may have been revoked while the browser signed).
 * Either way the new cookie's hash and end become the current ones; a refresh
 * keeps the replaced cookie's as the previous ones, valid until their own end
 * (requests sent while the browser refreshed carry it), never longer. A
 * registration's "previous cookie" is none (''), for the grace only: the
 * browser registers in the background, and the requests it sends meanwhile
 * (the page a sign-in redirects to) carry no short cookie yet. Returns { 'ok', user id, the cookie's end (ms) },
 * { 'bound', user id } (a key is there already, or another one), or { 'gone' }.
 */
const SET_BOUND_COOKIE = `
local f = redis.call('HMGET', KEYS[1], 'users_db', 'bound_key', 'user_id', 'bound_cookie', 'bound_until')
if f[1] ~= ARGV[4] then return { 'gone' } end
${NOW_MS}
if ARGV[5] == 'register' then
  if f[2] then return { 'bound', f[3] } end
  redis.call('HSET', KEYS[1], 'bound_key', ARGV[1], 'bound_prev', '', 'bound_prev_until', string.format('%d', now + tonumber(ARGV[6])))
elseif f[2] ~= ARGV[1] then
  return { 'bound', f[3] }
elseif f[4] then
  redis.call('HSET', KEYS[1], 'bound_prev', f[4], 'bound_prev_until', f[5])
end
local boundUntil = now + tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'bound_cookie', ARGV[2], 'bound_until', string.format('%d', boundUntil))
return { 'ok', f[3], boundUntil }
`;

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

/** Every script by the name the client calls it by (and the docs and the trace show). */
export const SCRIPTS = {
  confirmSession: { lua: CONFIRM_SESSION, numberOfKeys: 1 },
  createSession: { lua: CREATE_SESSION, numberOfKeys: 3 },
  raiseFence: { lua: RAISE_FENCE, numberOfKeys: 1 },
  validateSession: { lua: VALIDATE_SESSION, numberOfKeys: 1 },
  indexRead: { lua: INDEX_READ, numberOfKeys: 1 },
  endReason: { lua: END_REASON, numberOfKeys: 2 },
  peekExpiry: { lua: PEEK_EXPIRY, numberOfKeys: 1 },
  renameSession: { lua: RENAME_SESSION, numberOfKeys: 1 },
  issueChallenge: { lua: ISSUE_CHALLENGE, numberOfKeys: 2 },
  takeChallenge: { lua: TAKE_CHALLENGE, numberOfKeys: 2 },
  setBoundCookie: { lua: SET_BOUND_COOKIE, numberOfKeys: 1 },
  // These two take a variable number of keys: the key count comes first.
  revokeSessions: { lua: REVOKE_SESSIONS },
  evictOverCap: { lua: EVICT_OVER_CAP },
  countAttempt: { lua: COUNT_ATTEMPT, numberOfKeys: 1 },
  returnAttempt: { lua: RETURN_ATTEMPT, numberOfKeys: 1 },
} as const;

export type ScriptName = keyof typeof SCRIPTS;

declare module "ioredis" {
  interface RedisCommander<Context> {
    createSession(key: string, indexKey: string, fenceKey: string, ...args: (string | number)[]): Result<[string, string, number] | null, Context>;
    raiseFence(fenceKey: string, version: string, ttlMs: number): Result<number, Context>;
    validateSession(
      key: string,
      idleMs: string,
      absoluteMs: string,
      lastSeenIntervalMs: string,
      usersDatabaseId: string,
      rememberIdleMs: string,
      rememberAbsoluteMs: string,
      boundCookieHash: string,
    ): Result<(string | number | null)[] | null, Context>;
    indexRead(indexKey: string): Result<[number, string[]], Context>;
    confirmSession(key: string): Result<number | null, Context>;
    revokeSessions(numberOfKeys: number, ...keysThenArgs: string[]): Result<string[], Context>;
    endReason(key: string, markerKey: string, usersDatabaseId: string): Result<string, Context>;
    peekExpiry(key: string, usersDatabaseId: string, boundCookieHash: string): Result<[number, number] | null, Context>;
    issueChallenge(key: string, challengeKey: string, sessionId: string, purpose: string, ttlMs: number, usersDatabaseId: string): Result<number, Context>;
    takeChallenge(challengeKey: string, key: string, expected: string, usersDatabaseId: string): Result<[string, string?, string?], Context>;
    setBoundCookie(key: string, publicKey: string, cookieHash: string, ttlMs: number, usersDatabaseId: string, purpose: string, graceMs: number): Result<[string, string?, number?], Context>;
    renameSession(key: string, userId: string, name: string): Result<number, Context>;
    evictOverCap(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Result<[number, ...string[]], Context>;
    countAttempt(key: string, windowMs: number): Result<[number, number], Context>;
    returnAttempt(key: string): Result<number, Context>;
  }
}

/** Registers every script on a client (once): the store and the limits share the client. */
export function defineAppScripts(client: RedisClient): void {
  defineScripts(client, SCRIPTS);
}
