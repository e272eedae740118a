import type { Device } from "./device";

// The shape of a session in Redis and in the app. The hash holds short strings
// only (see device.ts for why), written as single fields and never rewritten whole.

export type SessionRecord = {
  /** SHA-256 of the token: the key suffix and the public id. Never the token. */
  id: string;
  userId: number;
  isAdmin: boolean;
  createdAt: number;
  lastSeenAt: number;
  /** The absolute end fixed at sign-in (ms, Redis clock). */
  endsAt: number;
  ip: string;
  browser: string;
  os: string;
  device: string;
};

export type ValidSession = SessionRecord & {
  /** When the session ends unless it is used again: min(now + idle, created + absolute). */
  expiresAt: number;
};

export type NewSession = {
  userId: number;
  isAdmin: boolean;
  ip: string;
  device: Device;
};

const MAX_IP_LENGTH = 45; // the longest textual IPv6 address

/** The field/value pairs written at sign-in (created_at and last_seen_at come from Redis's clock). */
export function fieldsOf(session: NewSession): string[] {
  return [
    "user_id", String(session.userId),
    "is_admin", session.isAdmin ? "1" : "0",
    "ip", session.ip.slice(0, MAX_IP_LENGTH),
    "browser", session.device.browser,
    "os", session.device.os,
    "device", session.device.type,
  ];
}

/** A flat [field, value, …] reply (as Lua returns HGETALL) as an object. */
export function pairsToObject(flat: (string | number)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

export function toRecord(id: string, hash: Record<string, string>): SessionRecord {
  return {
    id,
    userId: Number(hash.user_id),
    isAdmin: hash.is_admin === "1",
    createdAt: Number(hash.created_at),
    lastSeenAt: Number(hash.last_seen_at),
    endsAt: Number(hash.ends_at ?? Number.MAX_SAFE_INTEGER),
    ip: hash.ip ?? "",
    browser: hash.browser ?? "Unknown browser",
    os: hash.os ?? "Unknown OS",
    device: hash.device ?? "desktop",
  };
}

/** When a session ends however active it is: its own end, or sooner if the absolute TTL was lowered since. */
export function absoluteEndOf(record: SessionRecord, absoluteTtlMs: number): number {
  return Math.min(record.createdAt + absoluteTtlMs, record.endsAt);
}
