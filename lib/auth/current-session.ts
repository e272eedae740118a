import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { runtime } from "../runtime";
import type { ValidSession } from "../session/record";
import { readCredential } from "./credential";
import { receiveHandOff } from "./handoff";

/** Who a request is, as its session says: written at sign-in, so knowing it costs no database query. */
export type SessionUser = { id: number; uid: string; email: string; isAdmin: boolean };

export type CurrentSession = { session: ValidSession; user: SessionUser };

export function sessionUser(session: ValidSession): SessionUser {
  return { id: session.userId, uid: session.userUid, email: session.email, isAdmin: session.isAdmin };
}

async function resolve(acceptHandOff: boolean): Promise<CurrentSession | null> {
  const requestHeaders = await headers();
  const token = readCredential(requestHeaders, "cookie")?.token;
  const handed = acceptHandOff ? receiveHandOff(requestHeaders, token) : undefined;
  let session = handed;
  if (!session) {
    const validation = await (await runtime()).sessions.validateSession(token); // no Redis call for a missing or malformed token
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

/** The session token the browser sent with this request (to end it at sign-in: no fixation). */
export async function currentToken(): Promise<string | undefined> {
  return readCredential(await headers(), "cookie")?.token;
}
