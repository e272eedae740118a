// Every key the session store writes lives under these two prefixes, and every one
// of them has a TTL: a session hash expires with the session, an index with the
// last session it lists.

/** The session hash: user id, flags, times and the device row. */
export function sessionKey(sessionId: string): string {
  return `session:token:${sessionId}`;
}

/** A user's index: a sorted set of their session ids, so listing never needs SCAN or KEYS. */
export function userIndexKey(userId: number): string {
  return `session:user:${userId}`;
}
