import type { Device } from "./device";

// The shape of a session in Redis and in the app. The hash holds short strings
// only (see device.ts for why), written as single fields and never rewritten whole.
// No role or flag of the user is copied here: pages ask the database, so a change
// of role counts from the next request and no stale copy can outlive it.

export type SessionRecord = {
  /** SHA-256 of the token: the key suffix and the public id. Never the token. */
  id: string;
  userId: number;
  /** The user row's random uid at sign-in: a session of a deleted or reissued row is nobody's. */
  userUid: string;
  createdAt: number;
  lastSeenAt: number;
  /** The absolute end fixed at sign-in (ms, Redis clock). */
  endsAt: number;
  /** When the user last proved the password in this session: sign-in or a confirmation (ms, Redis clock). */
  authenticatedAt: number;
  ip: string;
  browser: string;
  os: string;
  device: string;
  /** The name the user gave this device ("Rename"), or "" for none. */
  name: string;
};

export type ValidSession = SessionRecord & {
  /** When the session ends unless it is used again: min(now + idle, absolute end). */
  expiresAt: number;
  /** Redis's clock at the check, to judge authenticatedAt by the same clock. */
  checkedAt: number;
};

export type NewSession = {
  userId: number;
  userUid: string;
  ip: string;
  device: Device;
};

const MAX_IP_LENGTH = 45; // the longest textual IPv6 address

/** The field/value pairs written at sign-in (the times come from Redis's clock). */
export function fieldsOf(session: NewSession): string[] {
  return [
    "user_id", String(session.userId),
    "uid", session.userUid,
    "ip", session.ip.slice(0, MAX_IP_LENGTH),
    "browser", session.device.browser,
    "os", session.device.os,
    "device", session.device.type,
  ];
}

/**
 * The fields the per-request check reads with HMGET, in this order; its reply is
 * { expires_at, now, …these values } so the session is built in one pass, by position.
 */
export const CHECKED_FIELDS = ["user_id", "created_at", "last_seen_at", "ends_at", "ip", "browser", "os", "device", "authenticated_at", "name"] as const;

type Value = string | number | null;

/**
 * The per-request check's positional reply as a session. The user's uid is not
 * read from Redis: it is the tag in the token, which is part of the key.
 */
export function fromCheckedReply(id: string, tag: string, reply: Value[]): ValidSession {
  const [expiresAt, now, userId, createdAt, lastSeenAt, endsAt, ip, browser, os, device, authenticatedAt, name] = reply;
  return {
    id,
    userId: Number(userId),
    userUid: tag,
    createdAt: Number(createdAt),
    authenticatedAt: authenticatedAt === null ? Number(createdAt) : Number(authenticatedAt),
    lastSeenAt: Number(lastSeenAt),
    endsAt: endsAt === null ? Number.MAX_SAFE_INTEGER : Number(endsAt),
    ip: ip === null ? "" : String(ip),
    browser: browser === null ? "Unknown browser" : String(browser),
    os: os === null ? "Unknown OS" : String(os),
    device: device === null ? "desktop" : String(device),
    name: name === null ? "" : String(name),
    expiresAt: Number(expiresAt),
    checkedAt: Number(now),
  };
}

/** A hash as HGETALL gives it (the devices list) as a session record. */
export function toRecord(id: string, hash: Record<string, string>): SessionRecord {
  return {
    id,
    userId: Number(hash.user_id),
    userUid: hash.uid ?? "",
    createdAt: Number(hash.created_at),
    lastSeenAt: Number(hash.last_seen_at),
    endsAt: Number(hash.ends_at ?? Number.MAX_SAFE_INTEGER),
    authenticatedAt: Number(hash.authenticated_at ?? hash.created_at),
    ip: hash.ip ?? "",
    browser: hash.browser ?? "Unknown browser",
    os: hash.os ?? "Unknown OS",
    device: hash.device ?? "desktop",
    name: hash.name ?? "",
  };
}

/** When a session ends however active it is: its own end, or sooner if the absolute TTL was lowered since. */
export function absoluteEndOf(record: SessionRecord, absoluteTtlMs: number): number {
  return Math.min(record.createdAt + absoluteTtlMs, record.endsAt);
}

/** How the devices page and the activity log name a session: the user's name for it, else "Chrome 142 on macOS". */
export function deviceLabel(session: { name?: string; browser: string; os: string }): string {
  return session.name || `${session.browser} on ${session.os}`;
}

/** The longest device name ("Rename"): short enough to keep the hash compact (device.ts). */
export const MAX_DEVICE_NAME_LENGTH = 40;
