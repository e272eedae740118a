import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { runtime } from "../runtime";
import type { PreviousCredential } from "../account/sign-in";
import { sessionUser, type SignedIn, type ValidSession } from "../session";
import { clientInfoFrom, type ClientInfo } from "./client-address";
import { readCredential } from "./credential";
import { receiveHandOff } from "./handoff";

// The session of the request being served, for pages and server actions (from
// the cookie) and for route handlers (bearer header or cookie). Nothing is cached
// across requests, so a revoked session is signed out on its very next request;
// and nothing is read from the users database: the session says who the user is.

/** The signed-in session of a request, with the user it carries. */
export type CurrentSession = SignedIn;

async function resolve(acceptHandOff: boolean): Promise<CurrentSession | null> {
  const requestHeaders = await headers();
  const credential = readCredential(requestHeaders, "cookie");
  const handed = acceptHandOff ? receiveHandOff(requestHeaders, credential?.token) : undefined;
  let session = handed;
  if (!session) {
    const validation = await runtime().sessions.validateSession(credential?.token, credential?.boundCookie); // no Redis call for a missing or malformed token
    if (validation.status !== "valid") return null;
    session = validation.session;
  }
  return { session, user: sessionUser(session) };
}

/**
 * The signed-in user of the page being rendered, or null. The proxy already
 * checked this request's session in Redis and handed its answer over
 * (handoff.ts), so rendering costs no second round trip; where no hand-off came
 * (a route the proxy does not cover) the session is checked here. `cache` makes
 * every layout and page of one render share the answer. Nothing is cached across
 * requests, so a revoked session is signed out on its very next request.
 */
export const getCurrentSession = cache((): Promise<CurrentSession | null> => resolve(true));

/**
 * For server actions: always checked in Redis by the action itself. An action is
 * a POST that may come from a page rendered long ago, and it changes things.
 */
export const getCheckedSession = cache((): Promise<CurrentSession | null> => resolve(false));

/** For pages: the proxy already checked, but it is not the only guard. */
export async function requireSession(): Promise<CurrentSession> {
  const current = await getCurrentSession();
  if (!current) redirect("/login");
  return current;
}

/** For server actions. */
export async function requireCheckedSession(): Promise<CurrentSession> {
  const current = await getCheckedSession();
  if (!current) redirect("/login");
  return current;
}

/** The session credential the browser sent with this request (to end its session at sign-in: no fixation). */
export async function currentCredential(): Promise<PreviousCredential> {
  const credential = readCredential(await headers(), "cookie");
  return { token: credential?.token, boundCookie: credential?.boundCookie };
}

export type RequestSession = CurrentSession & { via: "bearer" | "cookie" };

/**
 * The session of an API request: the bearer header (it wins, even when it is
 * malformed and a valid cookie rides along), else the session cookie. Same store,
 * same one-round-trip validation as the pages, and no database query.
 */
export async function authenticateRequest(request: Request): Promise<RequestSession | null> {
  const credential = readCredential(request.headers, "bearer-or-cookie");
  if (!credential) return null;
  const validation = await runtime().sessions.validateSession(credential.token, credential.boundCookie); // no Redis call for a malformed token
  if (validation.status !== "valid") return null;
  return { via: credential.via, session: validation.session, user: sessionUser(validation.session) };
}

// "Sudo mode" (OWASP ASVS 7.5.1/7.5.2): signing out other devices, changing the
// password and deleting the account need a recent proof of the password, so a
// session left open on a shared computer cannot do them. Judged by Redis's clock
// on both sides (authenticated_at and the check's now).

export function isFresh(session: ValidSession): boolean {
  return session.checkedAt - session.authenticatedAt < runtime().config.freshAgeMs;
}

/** Where a stale session goes to prove the password, and comes back from. */
export function confirmPath(next: string): string {
  return `/confirm?next=${encodeURIComponent(next)}`;
}

/** The client of the request being rendered or acted on (the front door's address, the user agent). */
export async function currentClientInfo(): Promise<ClientInfo> {
  return clientInfoFrom(runtime().stampSecret, await headers());
}
