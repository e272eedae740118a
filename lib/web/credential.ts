import { cookies } from "next/headers";
import { runtime } from "../runtime";
import { isWellFormedToken, type ValidSession } from "../session";

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

/**
 * The short-lived cookie of a device-bound session (lib/web/device-binding.ts):
 * without it a bound session's token authenticates nothing.
 */
export function boundCookieName(): string {
  return runtime().config.secureCookies ? "__Host-session-bound" : "session-bound";
}

/**
 * The attributes every write of the cookie carries (a `__Host-` cookie is only
 * cleared by a write with Secure). No Max-Age: a browser-session cookie, gone
 * when the browser closes.
 */
export function sessionCookieAttributes(maxAgeSeconds?: number) {
  return {
    httpOnly: true,
    sameSite: "lax",
    secure: runtime().config.secureCookies,
    path: "/",
    ...(maxAgeSeconds === undefined ? {} : { maxAge: Math.max(Math.ceil(maxAgeSeconds), 0) }),
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

/**
 * "Keep me signed in": the cookie lives until the session's absolute end, and a
 * minute more. Otherwise it has no Max-Age and ends with the browser. Either
 * way Redis enforces every end.
 */
export async function writeSessionCookie(token: string, session: Pick<ValidSession, "remembered" | "endsAt" | "checkedAt">): Promise<void> {
  const maxAgeSeconds = session.remembered ? (session.endsAt - session.checkedAt) / 1000 + COOKIE_OUTLIVES_SESSION_SECONDS : undefined;
  (await cookies()).set(sessionCookieName(), token, sessionCookieAttributes(maxAgeSeconds));
}

/** Clears the session cookie, and a device-bound session's short-lived one with it. */
export async function clearSessionCookie(): Promise<void> {
  const jar = await cookies();
  jar.set(sessionCookieName(), "", sessionCookieAttributes(0));
  if (jar.has(boundCookieName())) jar.set(boundCookieName(), "", sessionCookieAttributes(0));
}

/** The token and where it came from, and the short-lived cookie of a device-bound session if one came. */
export type Credential = { via: "bearer" | "cookie"; token: string | undefined; boundCookie?: string };

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
  // A bound session asks for its short-lived cookie whatever carried the token: a bearer copy of a bound token needs it too.
  const boundCookie = cookieValue(headers.get("cookie"), boundCookieName());
  if (authorization !== null) return { via: "bearer", token: bearerToken(authorization), boundCookie };
  const value = cookieValue(headers.get("cookie"), sessionCookieName());
  if (value === undefined) return null;
  return { via: "cookie", token: isWellFormedToken(value) ? value : undefined, boundCookie };
}
