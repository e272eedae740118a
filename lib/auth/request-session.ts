import { runtime } from "../runtime";
import { readCredential } from "./credential";
import { sessionUser, type CurrentSession } from "./current-session";

export type RequestSession = CurrentSession & { via: "bearer" | "cookie" };

/**
 * The session of an API request: the bearer header (it wins, even when it is
 * malformed and a valid cookie rides along), else the session cookie. Same store,
 * same one-round-trip validation as the pages, and no database query.
 */
export async function authenticateRequest(request: Request): Promise<RequestSession | null> {
  const credential = readCredential(request.headers, "bearer-or-cookie");
  if (!credential) return null;
  const validation = await (await runtime()).sessions.validateSession(credential.token); // no Redis call for a malformed token
  if (validation.status !== "valid") return null;
  return { via: credential.via, session: validation.session, user: sessionUser(validation.session) };
}
