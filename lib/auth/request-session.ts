import { readCredential } from "./credential";
import type { CurrentSession } from "./current-session";
import { userOfSession } from "./session-user";
import { sessionStore } from "./store-instances";

export type RequestSession = CurrentSession & { via: "bearer" | "cookie" };

/**
 * The session of an API request: the bearer header (it wins, even when it is
 * malformed and a valid cookie rides along), else the session cookie. Same store,
 * same one-round-trip validation as the pages.
 */
export async function authenticateRequest(request: Request): Promise<RequestSession | null> {
  const credential = readCredential(request.headers, "bearer-or-cookie");
  if (!credential) return null;
  const validation = await sessionStore().validateSession(credential.token); // no Redis call for a malformed token
  if (validation.status !== "valid") return null;
  const user = await userOfSession(validation.session);
  return user ? { via: credential.via, session: validation.session, user } : null;
}
