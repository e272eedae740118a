import type { Device } from "./device";

// The shape of a session in Redis and in the app. The hash holds short strings
// only (see device.ts for why), written as single fields and never rewritten whole.
// It carries what a request needs to know of its user (id, email, admin flag),
// written at sign-in, so no request reads the users database. A change of those
// ends the user's sessions (lib/account/user-changes.ts), so no stale copy outlives it.

export type SessionRecord = {
  /** SHA-256 of the token: the key suffix and the public id. Never the token. */
  id: string;
  userId: number;
  /** The user row's random uid: the tag of every key of the user (one Cluster slot). */
  userUid: string;
  /** The user's email and admin flag as they were at sign-in. */
  email: string;
  isAdmin: boolean;
  createdAt: number;
  lastSeenAt: number;
  /** The absolute end fixed at sign-in (ms, Redis clock). */
  endsAt: number;
  /** When the user last proved the password in this session: a confirmation (authenticated_at), else the sign-in (ms, Redis clock). */
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
  email: string;
  isAdmin: boolean;
  /** The user row's session_version the sign-in read: refused if the user's fence is past it. */
  sessionVersion: number;
  ip: string;
  device: Device;
};

const MAX_IP_LENGTH = 45; // the longest textual IPv6 address

/**
 * The field/value pairs written at sign-in (the times come from Redis's clock).
 * `users_db` is the id of the users database the user row lives in: a session
 * recorded under another one (a database reset or replaced) is not valid. The
 * user's uid is not a field: it is the tag in the key's name. `is_admin` is
 * written for administrators only (absent reads as "not one"): every byte counts
 * in a hash kept per device.
 */
export function fieldsOf(session: NewSession, usersDatabaseId: string): string[] {
  return [
    "user_id", String(session.userId),
    "email", session.email,
    ...(session.isAdmin ? ["is_admin", "1"] : []),
    "users_db", usersDatabaseId,
    "ip", session.ip.slice(0, MAX_IP_LENGTH),
    "browser", session.device.browser,
    "os", session.device.os,
    "device", session.device.type,
  ];
}

/**
 * The fields the per-request check reads with HMGET, in this order; its reply is
 * { expires_at, now, …these values } so the session is built in one pass, by
 * position. The script uses the first four and users_db (scripts.ts).
 */
export const CHECKED_FIELDS = [
  "user_id", "created_at", "last_seen_at", "ends_at", "users_db",
  "email", "is_admin", "authenticated_at", "ip", "browser", "os", "device", "name",
] as const;

type Value = string | number | null;

/**
 * The per-request check's positional reply as a session. The user's uid is not
 * read from Redis: it is the tag in the token, which is part of the key.
 */
export function fromCheckedReply(id: string, tag: string, reply: Value[]): ValidSession {
  const [expiresAt, now, userId, createdAt, lastSeenAt, endsAt, , email, isAdmin, authenticatedAt, ip, browser, os, device, name] = reply;
  return {
    id,
    userId: Number(userId),
    userUid: tag,
    email: email === null ? "" : String(email),
    isAdmin: isAdmin === "1",
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

/** A hash as HGETALL gives it (the devices list) as a session record; `userUid` is the tag of its key. */
export function toRecord(id: string, userUid: string, hash: Record<string, string>): SessionRecord {
  return {
    id,
    userId: Number(hash.user_id),
    userUid,
    email: hash.email ?? "",
    isAdmin: hash.is_admin === "1",
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

/**
 * How logs and the activity log name a session: the first 8 characters of its
 * public id. Enough to match a row on the devices page, far too little to be the
 * hash of anything.
 */
export function logRef(sessionId: string): string {
  return sessionId.slice(0, 8);
}

/** Who a session's request is, as the session says: written at sign-in, so knowing it costs no database query. */
export type SessionUser = { id: number; uid: string; email: string; isAdmin: boolean };

/** A valid session and the user it carries: what pages, actions and flows work with. */
export type SignedIn = { session: ValidSession; user: SessionUser };

export function sessionUser(session: ValidSession): SessionUser {
  return { id: session.userId, uid: session.userUid, email: session.email, isAdmin: session.isAdmin };
}
