import { execPipeline, type RedisClient } from "../redis/client";
import { activityKey, userChannel, type SessionOwner } from "./keys";

// What happened to a user's sessions, told twice in one round trip: appended to
// the user's activity log (a stream capped at ACTIVITY_LIMIT entries, with a TTL)
// and published on the user's channel, where every app instance with an open tab
// of that user passes it on (lib/live). One user's keys and channel share a hash tag,
// so the pipeline is single-slot on a Cluster and the publish is a shard publish.
//
// Why a session ended is told the same way: the ending writes its reason next to
// the session (a marker key, keys.ts), so a browser that comes back with the dead
// cookie can be told why (the sign-in page), and the live event says the same.

export const END_REASONS = ["revoked", "admin", "signed-out", "expired", "replaced"] as const;

/**
 * revoked: by the user from another device, by a password change, by the device
 *   cap or with the account; admin: by an administrator; signed-out: its own
 *   sign-out; expired: idle or absolute timeout (no marker: Redis expired the key);
 *   replaced: the same browser got a new session (sign-in again, password change).
 */
export type EndReason = (typeof END_REASONS)[number];

/** How an ending is recorded: the reason and, where a user did it, from which device. */
export type Ending = { reason: EndReason; by?: string };

/**
 * How long a marker is kept by default (SessionSettings.retention.endReasonMs):
 * long enough for a laptop closed after a revoke and opened the next morning to
 * still say why; after that, the sign-in page says the session expired. One short
 * string per ended session.
 */
export const END_MARKER_TTL_MS = 24 * 60 * 60 * 1000;

export function isEndReason(value: unknown): value is EndReason {
  return typeof value === "string" && (END_REASONS as readonly string[]).includes(value);
}


export const ACTIVITY_TYPES = ["signed-in", "signed-out", "revoked", "password-changed", "admin-signed-out", "expired", "device-bound", "binding-refused"] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** One line of the log. `session` is a session's logRef (8 characters of its id): enough to tell sessions apart, never a handle. */
export type ActivityEntry = {
  type: ActivityType;
  session?: string;
  /** The session's device ("Chrome 142 on Linux", or the name the user gave it). */
  device?: string;
  ip?: string;
  /** The device that did it (a revoke, a password change). */
  by?: string;
  /** How many sessions an administrator ended. */
  count?: number;
  /** Why a device-bound session's registration or refresh got no cookie (binding.ts: BindingRefusal). */
  why?: string;
};

/** An entry as read back: `at` is the Redis clock at the write (the stream id's time). */
export type Activity = ActivityEntry & { id: string; at: number };

/** The log keeps the last 50 events (XADD MAXLEN 50, exact) … */
export const ACTIVITY_LIMIT = 50;
/**
 * … for 30 days after the last one by default (PEXPIRE on each write;
 * SessionSettings.retention.activityMs): a user gone for a month leaves no log behind.
 */
export const ACTIVITY_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** The messages on a user's channel (JSON), as the README's "Live updates" lists them. */
export type LiveMessage =
  | { type: "signed-in"; sessionId: string; browser: string; os: string }
  | { type: "ended"; sessionIds: string[]; reason: EndReason }
  | { type: "renamed"; sessionId: string }
  | { type: "activity" };

const FIELDS = ["type", "session", "device", "ip", "by", "count", "why"] as const;

export type Journal = ReturnType<typeof createJournal>;

/** activityTtlMs: how long a user's log outlives its last entry. */
export function createJournal(client: RedisClient, activityTtlMs: number) {
  // Classic pub/sub reaches every node of a Cluster; a shard channel only the one that owns its slot.
  const publishCommand = client.isCluster ? "spublish" : "publish";

  /** Appends the entries (if any: a rename has none) and publishes the message: one pipeline, one round trip. */
  async function record(owner: SessionOwner, entries: ActivityEntry[], message: LiveMessage): Promise<void> {
    const pipeline = client.pipeline();
    const key = activityKey(owner);
    for (const entry of entries) {
      const fields = FIELDS.flatMap((name) => (entry[name] === undefined ? [] : [name, String(entry[name])]));
      pipeline.xadd(key, "MAXLEN", String(ACTIVITY_LIMIT), "*", ...fields);
    }
    if (entries.length > 0) pipeline.pexpire(key, activityTtlMs);
    pipeline.call(publishCommand, userChannel(owner), JSON.stringify(message));
    await execPipeline(pipeline);
  }

  /** The user's last events, newest first. */
  async function recent(owner: SessionOwner): Promise<Activity[]> {
    const entries = await client.xrevrange(activityKey(owner), "+", "-", "COUNT", ACTIVITY_LIMIT);
    return entries.map(([id, flat]) => {
      const fields: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
      return {
        id,
        at: Number(id.split("-")[0]),
        type: fields.type as ActivityType,
        session: fields.session,
        device: fields.device,
        ip: fields.ip,
        by: fields.by,
        count: fields.count === undefined ? undefined : Number(fields.count),
        why: fields.why,
      };
    });
  }

  /** A deleted account's log goes with it. */
  async function forget(owner: SessionOwner): Promise<void> {
    await client.del(activityKey(owner));
  }

  return { record, recent, forget };
}
