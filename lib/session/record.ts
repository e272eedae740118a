import { UAParser } from "ua-parser-js";

// The shape of a session in Redis and in the app. The hash holds short strings
// only (see parseDevice below for why), written as single fields and never rewritten whole.
// It carries what a request needs to know of its user (id, email, admin flag),
// written at sign-in, so no request reads the users database. A change of those
// ends the user's sessions (lib/account/user-changes.ts), so no stale copy outlives it.

// The devices page needs "Chrome 142 on macOS", not a 110-byte user agent. Storing
// the parsed parts keeps every hash value under 64 bytes, so Redis keeps the
// session in its compact listpack encoding (about half the memory of a hashtable).

export type Device = {
  browser: string;
  os: string;
  /** "desktop", "mobile", "tablet", … ("desktop" when the user agent does not say). */
  type: string;
};

const MAX_FIELD_LENGTH = 48;

const OS_NAMES: Record<string, string> = { "Mac OS": "macOS", "Chromium OS": "ChromeOS" };

function clip(value: string): string {
  return value.length > MAX_FIELD_LENGTH ? value.slice(0, MAX_FIELD_LENGTH) : value;
}

/** Non-browser clients ("curl/8.5.0") are named by their first product token. */
function productToken(userAgent: string): string | undefined {
  const match = /^([A-Za-z][\w.-]*)\/(\d+(?:\.\d+)?)/.exec(userAgent);
  return match ? `${match[1]} ${match[2]}` : undefined;
}

export function parseDevice(userAgent: string | null | undefined): Device {
  const ua = (userAgent ?? "").trim();
  if (!ua) return { browser: "Unknown browser", os: "Unknown OS", type: "desktop" };
  const parsed = new UAParser(ua).getResult();
  const browser = parsed.browser.name
    ? [parsed.browser.name, parsed.browser.version?.split(".")[0]].filter(Boolean).join(" ")
    : (productToken(ua) ?? "Unknown browser");
  const osName = parsed.os.name ? (OS_NAMES[parsed.os.name] ?? parsed.os.name) : "";
  const os = osName ? [osName, parsed.os.version].filter(Boolean).join(" ") : "Unknown OS";
  return { browser: clip(browser), os: clip(os), type: parsed.device.type ?? "desktop" };
}

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
  /** "Keep me signed in": the remembered lifetimes apply (a persistent cookie, a longer absolute end and idle timeout). */
  remembered: boolean;
  /** Bound to a key the device cannot export (DBSC, binding.ts): a request needs the short-lived cookie too. */
  bound: boolean;
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
  /** "Keep me signed in" was checked. */
  remember?: boolean;
};

const MAX_IP_LENGTH = 45; // the longest textual IPv6 address

/**
 * The field/value pairs written at sign-in (the times come from Redis's clock).
 * `users_db` is the id of the users database the user row lives in: a session
 * recorded under another one (a database reset or replaced) is not valid. The
 * user's uid is not a field: it is the tag in the key's name. `is_admin` is
 * written for administrators only (absent reads as "not one"), `remember` for
 * remembered sessions only: every byte counts in a hash kept per device. A
 * binding adds its fields later (binding.ts: bound_key, bound_cookie, bound_until).
 */
export function fieldsOf(session: NewSession, usersDatabaseId: string): string[] {
  return [
    "user_id", String(session.userId),
    "email", session.email,
    ...(session.isAdmin ? ["is_admin", "1"] : []),
    ...(session.remember ? ["remember", "1"] : []),
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
 * position. The script uses the first four, users_db, remember and the binding's
 * four (scripts.ts); it never returns the binding's cookie hashes (nil in their place).
 */
export const CHECKED_FIELDS = [
  "user_id", "created_at", "last_seen_at", "ends_at", "users_db",
  "email", "is_admin", "authenticated_at", "ip", "browser", "os", "device", "name",
  "remember", "bound_cookie", "bound_until", "bound_prev", "bound_prev_until",
] as const;

type Value = string | number | null;

/**
 * The per-request check's positional reply as a session. The user's uid is not
 * read from Redis: it is the tag in the token, which is part of the key.
 */
export function fromCheckedReply(id: string, tag: string, reply: Value[]): ValidSession {
  const [expiresAt, now, userId, createdAt, lastSeenAt, endsAt, , email, isAdmin, authenticatedAt, ip, browser, os, device, name, remember, , boundUntil] = reply;
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
    remembered: remember === "1",
    bound: boundUntil !== null,
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
    remembered: hash.remember === "1",
    bound: hash.bound_key !== undefined,
  };
}

/** The idle timeout and absolute lifetime of a session, and of a remembered one ("Keep me signed in"). */
export type Lifetimes = { idleTtlMs: number; absoluteTtlMs: number; remember: { idleTtlMs: number; absoluteTtlMs: number } };

/** Which of the two lifetimes a session lives by. */
export function lifetimesOf(remembered: boolean, lifetimes: Lifetimes): { idleTtlMs: number; absoluteTtlMs: number } {
  return remembered ? lifetimes.remember : lifetimes;
}

/** When a session ends however active it is: its own end, or sooner if its absolute TTL was lowered since. */
export function absoluteEndOf(record: SessionRecord, lifetimes: Lifetimes): number {
  return Math.min(record.createdAt + lifetimesOf(record.remembered, lifetimes).absoluteTtlMs, record.endsAt);
}

/** How the devices page and the activity log name a session: the user's name for it, else "Chrome 142 on macOS". */
export function deviceLabel(session: { name?: string; browser: string; os: string }): string {
  return session.name || `${session.browser} on ${session.os}`;
}

/** The longest device name ("Rename"): short enough to keep the hash compact (parseDevice). */
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
