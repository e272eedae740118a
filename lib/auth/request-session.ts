import { bearerToken } from "../api/bearer";
import { db } from "../db/client";
import { findUserById } from "../db/users";
import { sessionCookieName } from "./cookies";
import type { CurrentSession } from "./current-session";
import { sessionStore } from "./session-store";

export type RequestSession = CurrentSession & { via: "bearer" | "cookie" };

/** Reads a cookie from the raw Cookie header (route handlers get a plain Request). */
function cookieValue(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/**
 * The session of an API request: the Authorization header when there is one (it
 * wins, even when it is malformed and a valid cookie rides along), else the
 * session cookie, so the app's own pages can call the API with fetch. Same store,
 * same one-round-trip validation as the pages.
 */
export async function authenticateRequest(request: Request): Promise<RequestSession | null> {
  const header = request.headers.get("authorization");
  const via = header !== null ? "bearer" : "cookie";
  const token = header !== null ? bearerToken(header) : cookieValue(request, sessionCookieName());
  const validation = await sessionStore().validateSession(token); // no Redis call for a missing or malformed token
  if (validation.status !== "valid") return null;
  const user = findUserById(db(), validation.session.userId);
  return user ? { via, session: validation.session, user } : null;
}
