import { redirect } from "next/navigation";
import { cache } from "react";
import { db } from "../db/client";
import type { User } from "../db/schema";
import { findUserById } from "../db/users";
import type { ValidSession } from "../session/record";
import { readSessionToken } from "./cookies";
import { sessionStore } from "./session-store";

export type CurrentSession = { session: ValidSession; user: User };

/**
 * The signed-in user of this request, or null. `cache` makes every layout, page
 * and action of one render share a single validation: one Redis round trip,
 * however many components ask. Nothing is cached across requests, so a revoked
 * session is signed out on its very next request.
 */
export const getCurrentSession = cache(async (): Promise<CurrentSession | null> => {
  const validation = await sessionStore().validateSession(await readSessionToken());
  if (validation.status !== "valid") return null;
  const user = findUserById(db(), validation.session.userId);
  return user ? { session: validation.session, user } : null;
});

/** For pages and actions: the proxy already checked, but it is not the only guard. */
export async function requireSession(): Promise<CurrentSession> {
  const current = await getCurrentSession();
  if (!current) redirect("/login");
  return current;
}
