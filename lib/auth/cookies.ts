import { cookies } from "next/headers";
import { config } from "../config";

// The one place the session cookie is named, written and cleared (credential.ts
// reads it, with the bearer header).
// In production it is `__Host-session`: the prefix makes the browser insist on
// Secure, Path=/ and no Domain, so no subdomain can plant or read it.

export function sessionCookieName(): string {
  return config().secureCookies ? "__Host-session" : "session";
}

/** The attributes every write of the cookie carries (a `__Host-` cookie is only cleared by a write with Secure). */
export function sessionCookieAttributes(maxAgeSeconds: number) {
  return {
    httpOnly: true,
    sameSite: "lax",
    secure: config().secureCookies,
    path: "/",
    maxAge: Math.max(Math.floor(maxAgeSeconds), 0),
  } as const;
}

/** The cookie lives until the session's absolute end at most; Redis enforces the idle timeout. */
export async function writeSessionCookie(token: string, createdAt: number): Promise<void> {
  const maxAgeSeconds = (createdAt + config().absoluteTtlMs - Date.now()) / 1000;
  (await cookies()).set(sessionCookieName(), token, sessionCookieAttributes(maxAgeSeconds));
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).set(sessionCookieName(), "", sessionCookieAttributes(0));
}
