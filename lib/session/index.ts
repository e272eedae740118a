import type { ChainableCommander } from "ioredis";
import { execPipeline, guarded as guardedBy, RedisUnavailableError, whenReady, type RedisClient } from "../redis/client";
import { ACTIVITY_TTL_MS, createJournal, END_MARKER_TTL_MS, isEndReason, type Activity, type ActivityEntry, type EndReason, type Ending, type LiveMessage } from "./journal";
import { endedMarkerKey, fenceKey, ownerOf, sessionKey, userIndexKey, type SessionOwner } from "./keys";
import { boundCookieHash, createDeviceBinding } from "./binding";
import { absoluteEndOf, deviceLabel, fieldsOf, fromCheckedReply, lifetimesOf, logRef, MAX_DEVICE_NAME_LENGTH, toRecord, type NewSession, type SessionRecord, type ValidSession } from "./record";
import { defineAppScripts } from "./scripts";
import { generateToken, isWellFormedSessionId, isWellFormedToken, sessionIdFromToken, tagOfToken } from "./token";

export { bindingIdentifier, BOUND_COOKIE_GRACE_MS, CHALLENGE_TTL_MS, parseProof, type BindingOutcome, type BindingRefusal, type Proof } from "./binding";
export {
  ACTIVITY_LIMIT,
  ACTIVITY_TTL_MS,
  END_MARKER_TTL_MS,
  END_REASONS,
  isEndReason,
  type Activity,
  type ActivityEntry,
  type ActivityType,
  type EndReason,
  type Ending,
  type LiveMessage,
} from "./journal";
export { activityKey, challengeKey, endedMarkerKey, fenceKey, ownerOf, sessionKey, userChannel, userIndexKey, type SessionOwner } from "./keys";
export {
  CHECKED_FIELDS,
  parseDevice,
  type Device,
  deviceLabel,
  logRef,
  MAX_DEVICE_NAME_LENGTH,
  sessionUser,
  type NewSession,
  type SessionRecord,
  type SessionUser,
  type SignedIn,
  type ValidSession,
} from "./record";
export { defineAppScripts, SCRIPTS, type ScriptName } from "./scripts";
export { generateToken, isUserTag, isWellFormedSessionId, isWellFormedToken, newUserTag, sessionIdFromToken, tagOfToken } from "./token";

// THE SESSION CORE: web sessions in Redis, the one entry of lib/session. It needs
// nothing but ioredis (through lib/redis/client.ts): no Next.js, no users
// database, no rate limits, no trace; copy lib/session and lib/redis to take the
// pattern. Everything a caller may use is exported from this file.
//
// The store: one function per Redis operation.
// Commands per step (the README shows the same list):
//   create   EVALSHA createSession (GET fence, HSET + PEXPIREAT + ZADD on the index): one round trip;
//            over the cap, HMGET last_seen_at of each session + EVALSHA evictOverCap
//   validate EVALSHA validateSession (HMGET, check, PEXPIREAT): one round trip, one key
//   list     EVALSHA indexRead (ZREMRANGEBYSCORE + ZRANGE), then HGETALL per id, pipelined
//   revoke   EVALSHA revokeSessions (HMGET + DEL + SET end marker + ZREM per session): one round trip
//   journal  after a sign-in or an ending: XADD to the activity log + PEXPIRE + (S)PUBLISH, pipelined
//   why      EVALSHA endReason (EXISTS, GET marker): only for a dead but well-formed cookie
//   peek     EVALSHA peekExpiry (PEXPIRETIME): the idle warning's question, no slide
//   fence    EVALSHA raiseFence (SET … PX): before a change of the user ends their sessions
//   bind     (DBSC, binding.ts) EVALSHA issueChallenge (SET … PX) at sign-in; GETDEL + EVALSHA
//            setBoundCookie (HSET key and cookie hash) at registration; EVALSHA issueChallenge,
//            then EVALSHA takeChallenge (GETDEL) + EVALSHA setBoundCookie at each refresh

export type Validation =
  | { status: "valid"; session: ValidSession }
  // Missing, expired, revoked or malformed: the caller treats them all alike.
  | { status: "invalid" };

export type SessionSettings = {
  /**
   * The id of the users database the sessions' user rows live in (its
   * database_instance row). Each session records it; the check refuses a session
   * recorded under another one, so a users database that was reset or replaced
   * inherits no session, and the check still reads nothing but the session.
   */
  usersDatabaseId: string;
  idleTtlMs: number;
  absoluteTtlMs: number;
  /** A remembered session's ("Keep me signed in") idle timeout and absolute lifetime; none: DEFAULT_REMEMBER. */
  remember?: { idleTtlMs: number; absoluteTtlMs: number };
  /** The Max-Age of a device-bound session's short-lived cookie (binding.ts); none: DEFAULT_BOUND_COOKIE_TTL_MS. */
  boundCookieTtlMs?: number;
  lastSeenIntervalMs: number;
  /** At most this many live sessions per user; signing in beyond it ends the least recently active. */
  maxSessionsPerUser: number;
  /** How long a call may wait for a (re)connecting client before giving up with a 503. */
  readyTimeoutMs: number;
  /**
   * Sign-ins and revocations wait (WAIT) until this many replicas have them, at
   * most timeoutMs, so an acknowledged one survives a failover. 0: no waiting.
   * WAIT holds the connection it runs on, so these writes go through `writer`, a
   * connection of their own: the per-request checks never queue behind a wait.
   */
  waitReplicas?: { count: number; timeoutMs: number; writer: RedisClient };
  /** Where the store reports what it got past (a lost log line, a replica that did not answer in time); none: silent. */
  log?: (event: string, fields: Record<string, string | number>) => void;
  /** How long what outlives a session or a change is kept; none: DEFAULT_RETENTION. */
  retention?: SessionRetention;
};

/**
 * How long the store keeps what tells of the past, in ms: a session's end marker
 * (why it ended), a user's activity log after its last entry, and a user's fence
 * after the last change of the user row. Short ones let Redis return to its
 * baseline soon after a run; the fence must still outlive any sign-in in flight.
 */
export type SessionRetention = { endReasonMs: number; activityMs: number; fenceMs: number };

export type SessionStore = ReturnType<typeof createSessionStore>;

/** A new session, or none because the user row changed after the sign-in read it (its fence is past that version). */
export type Creation = { status: "created"; token: string; session: ValidSession } | { status: "stale" };

/**
 * How long a raised fence stays by default: far longer than a sign-in can take
 * from reading the user row to creating its session (an argon2 check and a few
 * Redis calls, each with a timeout).
 */
export const FENCE_TTL_MS = 10 * 60 * 1000;

/** "Keep me signed in" by default: 7 days idle, 30 days at most. */
export const DEFAULT_REMEMBER = { idleTtlMs: 7 * 24 * 60 * 60 * 1000, absoluteTtlMs: 30 * 24 * 60 * 60 * 1000 };

/** A device-bound session's short-lived cookie lives 10 minutes by default. */
export const DEFAULT_BOUND_COOKIE_TTL_MS = 10 * 60 * 1000;

/** The retention of a store whose settings name none. */
export const DEFAULT_RETENTION: SessionRetention = { endReasonMs: END_MARKER_TTL_MS, activityMs: ACTIVITY_TTL_MS, fenceMs: FENCE_TTL_MS };

export function createSessionStore(client: RedisClient, settings: SessionSettings) {
  defineAppScripts(client);
  if (settings.waitReplicas) defineAppScripts(settings.waitReplicas.writer);
  const log = settings.log ?? ((): void => undefined);
  const retention = settings.retention ?? DEFAULT_RETENTION;
  const lifetimes = { idleTtlMs: settings.idleTtlMs, absoluteTtlMs: settings.absoluteTtlMs, remember: settings.remember ?? DEFAULT_REMEMBER };

  const guarded = <T>(operation: () => Promise<T>): Promise<T> => guardedBy(client, settings.readyTimeoutMs, operation);
  const journal = createJournal(client, retention.activityMs);

  /**
   * The log and the live message follow the change they tell of, which is already
   * done: if Redis fails in between, the change stands and the miss is logged
   * rather than turned into an error for a sign-in or revoke that succeeded.
   */
  async function tell(owner: SessionOwner, entries: ActivityEntry[], message: LiveMessage): Promise<void> {
    try {
      await journal.record(owner, entries, message);
    } catch (error) {
      log("journal_failed", { userId: owner.id, message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The log lines and the live message of sessions that just ended (none: nothing to tell). */
  async function announceEnding(owner: SessionOwner, ended: { id: string; device?: string }[], ending: Ending): Promise<void> {
    if (ended.length === 0) return;
    await tell(owner, activityOf(ended, ending), { type: "ended", sessionIds: ended.map((e) => e.id), reason: ending.reason });
  }

  /**
   * A new session, unless the user row changed since the caller read it
   * ("stale": read it again). `announce: false` for a session that replaces this
   * browser's own (a password change): it is no new sign-in, so no log line and no notice.
   */
  async function createSession(input: NewSession, options: { announce?: boolean } = {}): Promise<Creation> {
    const owner = ownerOf(input);
    const token = generateToken(owner.uid);
    const id = sessionIdFromToken(token);
    const { idleTtlMs, absoluteTtlMs } = lifetimesOf(input.remember === true, lifetimes);
    const { maxSessionsPerUser } = settings;
    const fields = fieldsOf(input, settings.usersDatabaseId);
    const keys = [sessionKey(owner.uid, id), userIndexKey(owner), fenceKey(owner)] as const;
    const args = [id, idleTtlMs, absoluteTtlMs, input.sessionVersion, ...fields];
    const reply = await guarded(() =>
      replicated(
        () => client.createSession(...keys, ...args),
        (pipeline) => pipeline.createSession(...keys, ...args),
      ),
    );
    if (!reply) return { status: "stale" };
    const [createdAt, expiresAt, sessionsOfUser] = reply;
    // The record exactly as stored, read back through the same mapping as a validation.
    const stored: Record<string, string> = {
      created_at: createdAt,
      last_seen_at: createdAt,
      ends_at: String(Number(createdAt) + absoluteTtlMs),
    };
    for (let i = 0; i + 1 < fields.length; i += 2) stored[fields[i]] = fields[i + 1];
    const session = { ...toRecord(id, owner.uid, stored), expiresAt: Number(expiresAt), checkedAt: Number(createdAt) };
    if (options.announce !== false) {
      await tell(owner, [{ type: "signed-in", session: logRef(id), device: deviceLabel(session), ip: session.ip }], {
        type: "signed-in",
        sessionId: id,
        browser: session.browser,
        os: session.os,
      });
    }
    // After the sign-in is logged, so the log reads "signed in", then who it pushed out.
    if (sessionsOfUser > maxSessionsPerUser) await guarded(() => evictLeastRecentlyActive(owner, id));
    return { status: "created", token, session };
  }

  /**
   * The user row changed (new session_version) or is gone ("deleted"): from now
   * on no sign-in that read the row before can create a session. Called before
   * the user's sessions are ended, so the sweep misses none.
   */
  async function raiseFence(owner: SessionOwner, version: number | "deleted"): Promise<void> {
    await guarded(() => client.raiseFence(fenceKey(owner), String(version), retention.fenceMs));
  }

  /**
   * Brings the user back to the cap by ending the sessions used least recently.
   * Parallel sign-ins may all get here at once: the script re-checks the count
   * before each eviction, so together they stop exactly at the cap; a caller whose
   * candidates were taken by others reads the index again.
   */
  async function evictLeastRecentlyActive(owner: SessionOwner, newId: string): Promise<void> {
    const indexKey = userIndexKey(owner);
    const keyOf = (id: string): string => sessionKey(owner.uid, id);
    for (let attempt = 0; attempt < 10; attempt++) {
      const [, ids] = await client.indexRead(indexKey);
      if (ids.length <= settings.maxSessionsPerUser) return;
      const pipeline = client.pipeline();
      for (const id of ids) pipeline.hmget(keyOf(id), "last_seen_at", "created_at", "browser", "os", "name");
      const times = (await execPipeline(pipeline)) as (string | null)[][];
      const labels = new Map(ids.map((id, i) => [id, deviceLabel({ browser: times[i][2] ?? "Unknown browser", os: times[i][3] ?? "Unknown OS", name: times[i][4] ?? "" })]));
      // A hash that is gone already sorts first (0), so its stale index entry goes first;
      // the session being made goes last, even against one made in the same millisecond.
      const byActivity = ids
        .map((id, i) => ({ id, lastSeen: Number(times[i][0] ?? 0), created: Number(times[i][1] ?? 0) }))
        .sort((a, b) => Number(a.id === newId) - Number(b.id === newId) || a.lastSeen - b.lastSeen || a.created - b.created)
        .map((entry) => entry.id);
      const [left, ...evicted] = await client.evictOverCap(
        2 * byActivity.length + 1,
        indexKey,
        ...byActivity.map(keyOf),
        ...byActivity.map((id) => endedMarkerKey(owner.uid, id)),
        settings.maxSessionsPerUser,
        retention.endReasonMs,
        ...byActivity,
      );
      // Pushed out by a sign-in over the device limit: no device of the user did it, so no `by`.
      await announceEnding(owner, evicted.map((id) => ({ id, device: labels.get(id) })), { reason: "revoked" });
      if (left <= settings.maxSessionsPerUser) return;
    }
  }

  // The check's arguments as the strings ioredis would make of them on every call.
  const [idleArg, absoluteArg, lastSeenArg, rememberIdleArg, rememberAbsoluteArg] = [
    lifetimes.idleTtlMs,
    lifetimes.absoluteTtlMs,
    settings.lastSeenIntervalMs,
    lifetimes.remember.idleTtlMs,
    lifetimes.remember.absoluteTtlMs,
  ].map(String);
  const { usersDatabaseId } = settings;

  /**
   * The per-request check. `boundCookie` is the short-lived cookie of a
   * device-bound session, if the request carried one: such a session is valid
   * only with it (binding.ts), whatever carried the token (cookie or bearer).
   */
  async function validateSession(token: string | undefined | null, boundCookie?: string): Promise<Validation> {
    if (!isWellFormedToken(token)) return { status: "invalid" }; // zero Redis calls for garbage
    const id = sessionIdFromToken(token);
    const key = sessionKey(tagOfToken(token), id);
    const proof = boundCookieHash(boundCookie);
    const reply = await guarded(() => client.validateSession(key, idleArg, absoluteArg, lastSeenArg, usersDatabaseId, rememberIdleArg, rememberAbsoluteArg, proof));
    return reply ? { status: "valid", session: fromCheckedReply(id, tagOfToken(token), reply) } : { status: "invalid" };
  }

  /** The user's live sessions, newest first. Drops index entries whose session is gone or over. */
  async function listUserSessions(owner: SessionOwner): Promise<SessionRecord[]> {
    const indexKey = userIndexKey(owner);
    return guarded(async () => {
      const [now, ids] = await client.indexRead(indexKey);
      if (ids.length === 0) return [];
      const pipeline = client.pipeline();
      // One user's keys share one slot: this pipeline is a single-slot one, Cluster or not.
      for (const id of ids) pipeline.hgetall(sessionKey(owner.uid, id));
      const hashes = (await execPipeline(pipeline)) as Record<string, string>[];
      const live: SessionRecord[] = [];
      const gone: string[] = [];
      hashes.forEach((hash, i) => {
        const record = hash && Object.keys(hash).length > 0 ? toRecord(ids[i], owner.uid, hash) : undefined;
        // Past its absolute end under today's settings: over, though its hash has not expired yet.
        if (record && now < absoluteEndOf(record, lifetimes)) live.push(record);
        else gone.push(ids[i]);
      });
      if (gone.length > 0) await pruneExpired(owner, gone);
      return live.sort((a, b) => b.createdAt - a.createdAt);
    });
  }

  /**
   * Index entries whose session Redis expired by itself: dropped one by one, so
   * that of two listings racing over the same entries only the one that removed
   * an entry logs its expiry.
   */
  async function pruneExpired(owner: SessionOwner, ids: string[]): Promise<void> {
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.zrem(userIndexKey(owner), id);
    const results = await execPipeline(pipeline);
    const expired = ids.filter((_, i) => Number(results[i]) === 1);
    // The hash is gone: its device is known only from its sign-in line, which the page looks up.
    await announceEnding(owner, expired.map((id) => ({ id })), { reason: "expired" });
  }

  /**
   * Ends the given sessions of this user (hash and index entry together) and
   * leaves each one's end marker, then logs and announces it. Returns how many were live.
   */
  async function revokeIds(owner: SessionOwner, ids: string[], ending: Ending): Promise<number> {
    if (ids.length === 0) return 0;
    const args = [
      userIndexKey(owner),
      ...ids.map((id) => sessionKey(owner.uid, id)),
      ...ids.map((id) => endedMarkerKey(owner.uid, id)),
      String(owner.id),
      ending.reason,
      String(retention.endReasonMs),
      ...ids,
    ];
    const flat = await replicated(
      () => client.revokeSessions(2 * ids.length + 1, ...args),
      (pipeline) => pipeline.revokeSessions(2 * ids.length + 1, ...args),
    );
    const ended: { id: string; device: string }[] = [];
    for (let i = 0; i + 3 < flat.length; i += 4) ended.push({ id: flat[i], device: deviceLabel({ browser: flat[i + 1], os: flat[i + 2], name: flat[i + 3] }) });
    await announceEnding(owner, ended, ending);
    return ended.length;
  }

  /**
   * A write that signs in or ends sessions, followed (when SESSION_WAIT_REPLICAS
   * asks for it) by WAIT in the same pipeline: it goes to the node that holds the
   * keys, and answers once that many replicas have the write or the timeout
   * passed. Too few replicas in time: the caller gets the outage answer (503),
   * so no sign-in or revocation is confirmed that a failover could still lose;
   * the write itself stays on the master (Redis cannot undo it), and is logged.
   */
  async function replicated<T>(direct: () => Promise<T>, queued: (pipeline: ChainableCommander) => ChainableCommander): Promise<T> {
    const wait = settings.waitReplicas;
    if (!wait || wait.count === 0) return direct();
    const { writer } = wait;
    if (writer.status !== "ready") await whenReady(writer, settings.readyTimeoutMs);
    let replies: unknown[];
    try {
      replies = await execPipeline(queued(writer.pipeline()).call("WAIT", String(wait.count), String(wait.timeoutMs)));
    } catch (error) {
      // A pipeline is not redirected when its slot moved or its node died (a Cluster failover): learn the new owner for the next try.
      if ("refreshSlotsCache" in writer) writer.refreshSlotsCache();
      throw error;
    }
    const [result, acknowledged] = replies;
    if (Number(acknowledged) < wait.count) {
      log("replica_wait_timeout", { wanted: wait.count, acknowledged: Number(acknowledged) });
      throw new RedisUnavailableError(new Error(`${acknowledged} of ${wait.count} replicas acknowledged within ${wait.timeoutMs} ms`));
    }
    return result as T;
  }

  /** Ends one session of this user by its public id. False if it is not theirs (or already gone). */
  async function revokeUserSession(owner: SessionOwner, sessionId: string, ending: Ending = { reason: "revoked" }): Promise<boolean> {
    if (!isWellFormedSessionId(sessionId)) return false;
    return (await guarded(() => revokeIds(owner, [sessionId], ending))) === 1;
  }

  /** "Sign out all other devices". Sessions created after the index was read are kept. */
  async function revokeOtherSessions(owner: SessionOwner, keepSessionId: string, ending: Ending = { reason: "revoked" }): Promise<number> {
    return guarded(async () => {
      const [, ids] = await client.indexRead(userIndexKey(owner));
      return revokeIds(owner, ids.filter((id) => id !== keepSessionId), ending);
    });
  }

  /** "Sign out everywhere" for one user (never a flush of everyone's sessions). */
  async function revokeAllUserSessions(owner: SessionOwner, ending: Ending = { reason: "revoked" }): Promise<number> {
    return guarded(async () => revokeIds(owner, (await client.indexRead(userIndexKey(owner)))[1], ending));
  }

  /** Why the session of this token is not there ("live" if it is). Malformed tokens cost no Redis call. */
  async function endReason(token: string | undefined | null): Promise<EndReason | "live" | undefined> {
    if (!isWellFormedToken(token)) return undefined;
    const id = sessionIdFromToken(token);
    const tag = tagOfToken(token);
    const reason = await guarded(() => client.endReason(sessionKey(tag, id), endedMarkerKey(tag, id), usersDatabaseId));
    return reason === "live" || isEndReason(reason) ? reason : "expired";
  }

  /**
   * When this token's session ends unless used, without using it; null if it has
   * ended (or is bound and the short-lived cookie is missing or over). A live
   * stream outlives its short-lived cookie: its opening request was checked with
   * one ("checked"), and a revocation ends the stream anyway.
   */
  async function peekExpiry(token: string, boundCookie?: string | "checked"): Promise<{ expiresAt: number; now: number } | null> {
    if (!isWellFormedToken(token)) return null;
    const proof = boundCookie === "checked" ? "checked" : boundCookieHash(boundCookie);
    const reply = await guarded(() => client.peekExpiry(sessionKey(tagOfToken(token), sessionIdFromToken(token)), usersDatabaseId, proof));
    return reply ? { expiresAt: Number(reply[0]), now: Number(reply[1]) } : null;
  }

  /** Names one of the user's own sessions ("" drops the name). False if it is not theirs or gone. */
  async function renameSession(owner: SessionOwner, sessionId: string, name: string): Promise<boolean> {
    if (!isWellFormedSessionId(sessionId) || [...name].length > MAX_DEVICE_NAME_LENGTH) return false;
    const renamed = await guarded(() => client.renameSession(sessionKey(owner.uid, sessionId), String(owner.id), name));
    if (renamed === 1) await tell(owner, [], { type: "renamed", sessionId });
    return renamed === 1;
  }

  /** A log line that ends no session (a password change), announced to the user's tabs. */
  async function recordActivity(owner: SessionOwner, entry: ActivityEntry): Promise<void> {
    await guarded(() => tell(owner, [entry], { type: "activity" }));
  }

  /** The user's recent activity, newest first (at most ACTIVITY_LIMIT entries). */
  async function recentActivity(owner: SessionOwner): Promise<Activity[]> {
    return guarded(() => journal.recent(owner));
  }

  /** The user proved the password again in this session: its authenticated_at becomes now. Null if it is gone. */
  async function confirmSession(session: { id: string; userUid: string }): Promise<number | null> {
    return guarded(() => client.confirmSession(sessionKey(session.userUid, session.id)));
  }

  /** A deleted user (its fence raised to "deleted" first): every session ends and the index and the log go with them. */
  async function forgetUser(owner: SessionOwner): Promise<number> {
    return guarded(async () => {
      const ended = await revokeIds(owner, (await client.indexRead(userIndexKey(owner)))[1], { reason: "revoked" });
      await client.del(userIndexKey(owner));
      await journal.forget(owner);
      return ended;
    });
  }

  const binding = createDeviceBinding(client, {
    usersDatabaseId,
    cookieTtlMs: settings.boundCookieTtlMs ?? DEFAULT_BOUND_COOKIE_TTL_MS,
    guarded,
    record: (owner, entry) => tell(owner, [entry], { type: "activity" }),
    log,
  });

  return {
    settings,
    lifetimes,
    binding,
    createSession,
    raiseFence,
    confirmSession,
    forgetUser,
    validateSession,
    listUserSessions,
    revokeUserSession,
    revokeOtherSessions,
    revokeAllUserSessions,
    endReason,
    peekExpiry,
    renameSession,
    recentActivity,
    recordActivity,
  };
}

/** The log lines of an ending: one per session, or one for an administrator's sweep; none for a replaced session. */
function activityOf(ended: { id: string; device?: string }[], { reason, by }: Ending): ActivityEntry[] {
  switch (reason) {
    case "admin":
      return [{ type: "admin-signed-out", count: ended.length }];
    case "replaced":
      return [];
    case "signed-out":
      return ended.map(({ id, device }) => ({ type: "signed-out", session: logRef(id), device }));
    case "expired":
      return ended.map(({ id, device }) => ({ type: "expired", session: logRef(id), device }));
    case "revoked":
      return ended.map(({ id, device }) => ({ type: "revoked", session: logRef(id), device, by }));
  }
}
