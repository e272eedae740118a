import { cookies } from "next/headers";
import { runtime } from "../runtime";
import { isWellFormedToken } from "../session";

// The one place the session's credential is named, read, written and cleared: the
// proxy, the pages, the server actions and the API all come here. A cookie or
// header of the wrong shape still comes back when read (as `token: undefined`,
// from either place alike) so the caller knows one was sent; it authenticates
// nothing and costs no Redis call.
// In production the cookie is `__Host-session`: the prefix makes the browser
// insist on Secure, Path=/ and no Domain, so no subdomain can plant or read it.

export function sessionCookieName(): string {
  return runtime().config.secureCookies ? "__Host-session" : "session";
}

/** The attributes every write of the cookie carries (a `__Host-` cookie is only cleared by a write with Secure). */
export function sessionCookieAttributes(maxAgeSeconds: number) {
  return {
    httpOnly: true,
    sameSite: "lax",
    secure: runtime().config.secureCookies,
    path: "/",
    maxAge: Math.max(Math.ceil(maxAgeSeconds), 0),
  } as const;
}

/**
 * A minute past the session's absolute end: Redis decides when a session is over
 * (the idle timeout, the absolute end, a revocation), and the cookie only has to
 * outlive it, so that the request after the end still carries it and /login can
 * say why the session ended. A cookie that ended first (Max-Age rounded down, or
 * this process's clock behind Redis's) would land there without a reason.
 */
const COOKIE_OUTLIVES_SESSION_SECONDS = 60;

/** The cookie lives until the session's absolute end, and a minute more; Redis enforces every end. */
export async function writeSessionCookie(token: string, createdAt: number): Promise<void> {
  const maxAgeSeconds = (createdAt + runtime().config.absoluteTtlMs - Date.now()) / 1000 + COOKIE_OUTLIVES_SESSION_SECONDS;
  (await cookies()).set(sessionCookieName(), token, sessionCookieAttributes(maxAgeSeconds));
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).set(sessionCookieName(), "", sessionCookieAttributes(0));
}

export type Credential = { via: "bearer" | "cookie"; token: string | undefined };

/**
 * `Authorization: Bearer <token>` (RFC 6750): the scheme is case-insensitive, one
 * space, then exactly one token of our shape. Anything else — another scheme, two
 * tokens, a huge or non-ASCII value — is malformed.
 */
const BEARER = /^Bearer ([^\s]+)$/i;

export function bearerToken(header: string): string | undefined {
  const match = BEARER.exec(header);
  return match && isWellFormedToken(match[1]) ? match[1] : undefined;
}

/** A cookie's value from a Cookie header (RFC 6265): the first pair with that exact name, quotes removed, percent-decoded. */
export function cookieValue(header: string | null, name: string): string | undefined {
  for (const pair of (header ?? "").split(";")) {
    const separator = pair.indexOf("=");
    if (separator < 0 || pair.slice(0, separator).trim() !== name) continue;
    let value = pair.slice(separator + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return value; // not valid percent-encoding: kept as sent (and so malformed as a token)
    }
  }
  return undefined;
}

/**
 * Pages take the cookie only (a browser may send Authorization for reasons of its
 * own, such as basic auth in front of a staging site). The API takes the bearer
 * header, which wins when both come, else the cookie, so the app's own pages can
 * call it with fetch. Null when the request carries neither.
 */
export function readCredential(headers: Headers, accept: "cookie" | "bearer-or-cookie"): Credential | null {
  const authorization = accept === "bearer-or-cookie" ? headers.get("authorization") : null;
  if (authorization !== null) return { via: "bearer", token: bearerToken(authorization) };
  const value = cookieValue(headers.get("cookie"), sessionCookieName());
  if (value === undefined) return null;
  return { via: "cookie", token: isWellFormedToken(value) ? value : undefined };
}
