import type { Redis } from "ioredis";
import { whenReady } from "../redis";
import { SessionStoreUnavailableError } from "./errors";
import { sessionKey, userIndexKey } from "./keys";
import { fieldsOf, pairsToObject, toRecord, type NewSession, type SessionRecord, type ValidSession } from "./record";
import { defineSessionScripts } from "./scripts";
import { generateToken, isWellFormedSessionId, isWellFormedToken, sessionIdFromToken } from "./token";

// The Redis session store: one function per Redis operation, no Next.js anywhere.
// Commands per step (the README shows the same list):
//   create   EVALSHA indexAdd (ZADD + PEXPIREAT on the index), then EVALSHA createSession
//            (HSET + PEXPIREAT on the hash), pipelined: one round trip
//   validate EVALSHA validateSession (HGETALL, check, PEXPIREAT): one round trip, one key
//   list     EVALSHA indexRead (ZREMRANGEBYSCORE + ZRANGE), then HGETALL per id, pipelined
//   revoke   EVALSHA deleteIfOwned + ZREM, pipelined

export type Validation =
  | { status: "valid"; session: ValidSession }
  // Missing, expired, revoked or malformed: the caller treats them all alike.
  | { status: "invalid" };

export type SessionSettings = {
  idleTtlMs: number;
  absoluteTtlMs: number;
  lastSeenIntervalMs: number;
  /** How long a call may wait for a (re)connecting client before giving up with a 503. */
  readyTimeoutMs: number;
};

export type SessionStore = ReturnType<typeof createSessionStore>;

export function createSessionStore(client: Redis, settings: SessionSettings) {
  defineSessionScripts(client);

  /** Connection failures and timeouts become SessionStoreUnavailableError; script bugs stay loud. */
  async function guarded<T>(operation: () => Promise<T>): Promise<T> {
    try {
      await whenReady(client, settings.readyTimeoutMs);
      return await operation();
    } catch (error) {
      if (error instanceof Error && error.name === "ReplyError") throw error;
      throw new SessionStoreUnavailableError(error);
    }
  }

  /** Runs a pipeline and fails as a whole if any step failed. */
  async function execAll(pipeline: ReturnType<Redis["pipeline"]>): Promise<unknown[]> {
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }

  async function createSession(input: NewSession): Promise<{ token: string; session: ValidSession }> {
    const token = generateToken();
    const id = sessionIdFromToken(token);
    const { idleTtlMs, absoluteTtlMs } = settings;
    // Index first, hash second: a crash in between leaves at most an index entry
    // without a hash, which the next listing drops. Never a session nobody can see.
    const [, created] = await guarded(() =>
      execAll(
        client
          .pipeline()
          .indexAdd(userIndexKey(input.userId), id, absoluteTtlMs)
          .createSession(sessionKey(id), idleTtlMs, absoluteTtlMs, ...fieldsOf(input)),
      ),
    );
    const [createdAt, expiresAt] = (created as [string, string]).map(Number);
    return {
      token,
      session: {
        id,
        userId: input.userId,
        isAdmin: input.isAdmin,
        createdAt,
        lastSeenAt: createdAt,
        ip: input.ip,
        browser: input.device.browser,
        os: input.device.os,
        device: input.device.type,
        expiresAt,
      },
    };
  }

  async function validateSession(token: string | undefined | null): Promise<Validation> {
    if (!isWellFormedToken(token)) return { status: "invalid" }; // zero Redis calls for garbage
    const id = sessionIdFromToken(token);
    const { idleTtlMs, absoluteTtlMs, lastSeenIntervalMs } = settings;
    const reply = await guarded(() =>
      client.validateSession(sessionKey(id), idleTtlMs, absoluteTtlMs, lastSeenIntervalMs),
    );
    if (!reply) return { status: "invalid" };
    const hash = pairsToObject(reply);
    return { status: "valid", session: { ...toRecord(id, hash), expiresAt: Number(hash.expires_at) } };
  }

  /** The user's live sessions, newest first. Drops index entries whose session is gone. */
  async function listUserSessions(userId: number): Promise<SessionRecord[]> {
    const indexKey = userIndexKey(userId);
    return guarded(async () => {
      const ids = await client.indexRead(indexKey);
      if (ids.length === 0) return [];
      const pipeline = client.pipeline();
      for (const id of ids) pipeline.hgetall(sessionKey(id));
      const hashes = (await execAll(pipeline)) as Record<string, string>[];
      const live: SessionRecord[] = [];
      const gone: string[] = [];
      hashes.forEach((hash, i) => {
        if (hash && Object.keys(hash).length > 0) live.push(toRecord(ids[i], hash));
        else gone.push(ids[i]);
      });
      if (gone.length > 0) await client.zrem(indexKey, ...gone);
      return live.sort((a, b) => b.createdAt - a.createdAt);
    });
  }

  /** Ends one session of this user by its public id. False if it is not theirs (or already gone). */
  async function revokeUserSession(userId: number, sessionId: string): Promise<boolean> {
    if (!isWellFormedSessionId(sessionId)) return false;
    const [deleted] = await guarded(() =>
      execAll(
        client
          .pipeline()
          .deleteIfOwned(sessionKey(sessionId), String(userId))
          .zrem(userIndexKey(userId), sessionId),
      ),
    );
    return deleted === 1;
  }

  /** Ends the given sessions of this user: each hash, then their index entries. Returns how many were live. */
  async function revokeIds(userId: number, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.del(sessionKey(id));
    pipeline.zrem(userIndexKey(userId), ...ids);
    const results = await execAll(pipeline);
    return results.slice(0, ids.length).filter((deleted) => deleted === 1).length;
  }

  /** "Sign out all other devices". Sessions created after the index was read are kept. */
  async function revokeOtherSessions(userId: number, keepSessionId: string): Promise<number> {
    return guarded(async () => {
      const ids = await client.indexRead(userIndexKey(userId));
      return revokeIds(userId, ids.filter((id) => id !== keepSessionId));
    });
  }

  /** "Sign out everywhere" for one user (never a flush of everyone's sessions). */
  async function revokeAllUserSessions(userId: number): Promise<number> {
    return guarded(async () => revokeIds(userId, await client.indexRead(userIndexKey(userId))));
  }

  return {
    settings,
    createSession,
    validateSession,
    listUserSessions,
    revokeUserSession,
    revokeOtherSessions,
    revokeAllUserSessions,
  };
}
