import type { SessionRecord, ValidSession } from "../session/record";

// The API's view of users and sessions. `id` is the public session id (the SHA-256
// of the token): it revokes, it never authenticates. Times are ISO 8601.

export const iso = (ms: number): string => new Date(ms).toISOString();

export function userJson(user: { id: number; email: string; isAdmin: boolean }) {
  return { id: user.id, email: user.email, isAdmin: user.isAdmin };
}

export function currentSessionJson(session: ValidSession) {
  return {
    id: session.id,
    createdAt: iso(session.createdAt),
    lastSeenAt: iso(session.lastSeenAt),
    authenticatedAt: iso(session.authenticatedAt),
    expiresAt: iso(session.expiresAt),
  };
}

export function listedSessionJson(session: SessionRecord, currentId: string) {
  return {
    id: session.id,
    current: session.id === currentId,
    browser: session.browser,
    os: session.os,
    device: session.device,
    ip: session.ip,
    createdAt: iso(session.createdAt),
    lastSeenAt: iso(session.lastSeenAt),
  };
}
