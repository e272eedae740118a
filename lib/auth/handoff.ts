import type { ValidSession } from "../session/record";
import { sessionIdFromToken } from "../session/token";
import { stampValue, verifyStamp } from "../http/stamp";

// The proxy checks the session of a page request in Redis; the page rendered for
// that same request takes the proxy's answer instead of asking Redis again, so a
// page view costs one round trip. The answer travels as a request header that the
// proxy always overwrites, stamped with a secret of this process, and bound to the
// request's own token: a copy sent by a client, or one taken from another request,
// is ignored.

const HANDOFF_HEADER = "x-session-handoff";
const PURPOSE = "session-handoff";

/** Removes whatever a client sent under the hand-off's name (the proxy does it on every request). */
export function dropHandOff(headers: Headers): void {
  headers.delete(HANDOFF_HEADER);
}

export function handOff(headers: Headers, session: ValidSession): void {
  headers.set(HANDOFF_HEADER, stampValue(PURPOSE, Buffer.from(JSON.stringify(session)).toString("base64url")));
}

/** The session the proxy validated for this request and this token, or undefined. */
export function receiveHandOff(headers: Headers, token: string | undefined): ValidSession | undefined {
  if (token === undefined) return undefined;
  const value = verifyStamp(PURPOSE, headers.get(HANDOFF_HEADER));
  if (value === undefined) return undefined;
  const session = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as ValidSession;
  return session.id === sessionIdFromToken(token) ? session : undefined;
}
