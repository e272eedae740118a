import { execPipeline, guarded, type RedisClient } from "../../lib/redis/client";
import { sessionKey, userIndexKey, type SessionOwner } from "../../lib/session";

// The key inspector of the devices page: what Redis holds for one user, read
// back as a learner would with redis-cli — each key's type, encoding, remaining
// TTL and (for a session hash) its fields. One pipeline for all of it: every key
// of a user carries the user's hash tag, so it is a single-slot pipeline on a
// Cluster too. Field values leave this module only for the fields that hold no
// secret (none of the hash's fields is a credential, but the user's tag and id
// are not the learner's business).

/** Fields whose values the inspector shows; the others are listed by name only. */
export const SHOWN_FIELDS = new Set(["created_at", "last_seen_at", "authenticated_at", "ends_at", "browser", "os", "device", "ip"]);

export type InspectedKey = {
  key: string;
  type: string;
  encoding: string | null;
  /** PTTL as Redis answered it: ms left, -1 without a TTL, -2 when the key is gone. */
  pttlMs: number;
};

export type InspectedSession = InspectedKey & { fields: { name: string; value?: string }[] };

export type InspectedUserKeys = {
  index: InspectedKey & { size: number };
  sessions: Record<string, InspectedSession>;
  /** When the replies were read (this process's clock, ms), so a countdown can start from the right moment. */
  readAt: number;
};

export async function inspectUserKeys(client: RedisClient, owner: SessionOwner, sessionIds: string[], readyTimeoutMs: number): Promise<InspectedUserKeys> {
  const indexKey = userIndexKey(owner);
  const keys = sessionIds.map((id) => sessionKey(owner.uid, id));
  const replies = await guarded(client, readyTimeoutMs, async () => {
    const pipeline = client.pipeline().type(indexKey).object("ENCODING", indexKey).pttl(indexKey).zcard(indexKey);
    for (const key of keys) pipeline.type(key).object("ENCODING", key).pttl(key).hgetall(key);
    return execPipeline(pipeline);
  });
  const readAt = Date.now();
  const keyAt = (key: string, offset: number): InspectedKey => ({
    key,
    type: String(replies[offset]),
    encoding: replies[offset + 1] === null ? null : String(replies[offset + 1]),
    pttlMs: Number(replies[offset + 2]),
  });
  const sessions: Record<string, InspectedSession> = {};
  sessionIds.forEach((id, i) => {
    const offset = 4 + i * 4;
    const hash = (replies[offset + 3] ?? {}) as Record<string, string>;
    sessions[id] = {
      ...keyAt(keys[i], offset),
      fields: Object.keys(hash).map((name) => (SHOWN_FIELDS.has(name) ? { name, value: hash[name] } : { name })),
    };
  });
  return { index: { ...keyAt(indexKey, 0), size: Number(replies[3]) }, sessions, readAt };
}
