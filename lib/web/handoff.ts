import { runtime } from "../runtime";
import { isEndReason, sessionIdFromToken, type EndReason, type ValidSession } from "../session";
import { stampValue, verifyStamp } from "./stamp";

// What the proxy tells the page it lets through, in request headers it always
// overwrites, so a client cannot put words in its mouth:
//  - the hand-off: the proxy checks the session of a page request in Redis; the
//    page rendered for that same request takes the proxy's answer instead of
//    asking Redis again, so a page view costs one round trip. It is stamped with a
//    secret of this process and bound to the request's own token: a copy sent by a
//    client, or one taken from another request, is ignored;
//  - the end notice: "why am I signed out?" on the sign-in page. The proxy asks
//    Redis once when a browser comes to /login with a well-formed cookie whose
//    session is gone (the marker the ending left, or "expired" without one).
//    Works without JavaScript: a reload of a page of a revoked session lands there.

const HANDOFF_HEADER = "x-session-handoff";
const PURPOSE = "session-handoff";

/** Removes whatever a client sent under the hand-off's name (the proxy does it on every request). */
export function dropHandOff(headers: Headers): void {
  headers.delete(HANDOFF_HEADER);
}

export function handOff(headers: Headers, session: ValidSession): void {
  headers.set(HANDOFF_HEADER, stampValue(runtime().stampSecret, PURPOSE, Buffer.from(JSON.stringify(session)).toString("base64url")));
}

/** The session the proxy validated for this request and this token, or undefined. */
export function receiveHandOff(headers: Headers, token: string | undefined): ValidSession | undefined {
  if (token === undefined) return undefined;
  const value = verifyStamp(runtime().stampSecret, PURPOSE, headers.get(HANDOFF_HEADER));
  if (value === undefined) return undefined;
  const session = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as ValidSession;
  return session.id === sessionIdFromToken(token) ? session : undefined;
}

const END_HEADER = "x-session-ended";

export const END_MESSAGES: Record<EndReason, string | undefined> = {
  revoked: "You were signed out from another device.",
  admin: "An administrator signed you out.",
  expired: "Your session expired. Sign in again.",
  "signed-out": "You signed out.",
  // The same browser signed in again: its new cookie replaced this one; nothing to tell.
  replaced: undefined,
};

/** Removes whatever a client sent under the header's name (the proxy does it on every request). */
export function dropEndNotice(headers: Headers): void {
  headers.delete(END_HEADER);
}

export function setEndNotice(headers: Headers, reason: EndReason): void {
  headers.set(END_HEADER, reason);
}

/** The message for the page, if the proxy found an ended session behind this request's cookie. */
export function endNoticeOf(headers: Headers): string | undefined {
  const reason = headers.get(END_HEADER);
  return isEndReason(reason) ? END_MESSAGES[reason] : undefined;
}
