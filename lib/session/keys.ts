// Every key of one user carries that user's tag (the user row's random uid) in
// braces, Redis Cluster's hash tag: all of them live in one slot, so the scripts
// that create and end sessions with their index stay atomic on a Cluster, and a
// user's listing is a single-slot pipeline. Every key has a TTL: a session hash
// expires with the session, an index with the last session it lists.

/** Whose keys: the user's id (in the hash and the index name) and tag (the slot). */
export type SessionOwner = { id: number; uid: string };

/** Whose keys a session (or a session about to be made) lives under. */
export function ownerOf(session: { userId: number; userUid: string }): SessionOwner {
  return { id: session.userId, uid: session.userUid };
}

/** The session hash: user id and uid, times and the device row. */
export function sessionKey(tag: string, sessionId: string): string {
  return `session:{${tag}}:token:${sessionId}`;
}

/** A user's index: a sorted set of their session ids, so listing never needs SCAN or KEYS. */
export function userIndexKey(owner: SessionOwner): string {
  return `session:{${owner.uid}}:user:${owner.id}`;
}

/**
 * Why a session ended, for a few hours after (journal.ts): a short string under a
 * key of the session's own id, written in the same step as the ending.
 */
export function endedMarkerKey(tag: string, sessionId: string): string {
  return `session:{${tag}}:ended:${sessionId}`;
}

/**
 * A user's fence: the session_version of the user row that new sessions must
 * have read (or "deleted"). Raised before a change of the user ends their
 * sessions, so a sign-in that read the row before the change cannot create its
 * session after the sweep (index.ts: createSession, raiseFence).
 */
export function fenceKey(owner: SessionOwner): string {
  return `session:{${owner.uid}}:fence:${owner.id}`;
}

/** A user's recent activity: a capped stream (journal.ts). */
export function activityKey(owner: SessionOwner): string {
  return `session:{${owner.uid}}:activity:${owner.id}`;
}

/**
 * The pub/sub channel of a user's live events (live/). It carries the user's tag
 * too: on a Cluster it is a shard channel (SPUBLISH/SSUBSCRIBE) served by the
 * node that holds the user's keys, so events never cross the whole cluster.
 */
export function userChannel(owner: SessionOwner): string {
  return `session:{${owner.uid}}:events:${owner.id}`;
}

/**
 * A pending DBSC challenge (binding.ts): named by the SHA-256 of the challenge,
 * which carries the user's tag, so the browser's answer leads straight to it.
 * It lives a minute or two and is deleted when taken.
 */
export function challengeKey(tag: string, challengeHash: string): string {
  return `session:{${tag}}:challenge:${challengeHash}`;
}
