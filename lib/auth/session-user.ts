import { db } from "../db/client";
import type { User } from "../db/schema";
import { findUserById } from "../db/users";
import { logEvent, logRef } from "../log";
import { ownerOf } from "../session/keys";
import type { ValidSession } from "../session/record";
import { sessionStore } from "./store-instances";

/**
 * The user a valid session belongs to, or null. A session records the random uid
 * of its user row; if the row is gone (account deleted) or the id now names
 * another row (the users file was reset while Redis kept its data), the session
 * belongs to nobody: it is deleted on first sight, and the caller treats the
 * request as signed out (and clears the cookie).
 */
export async function userOfSession(session: ValidSession): Promise<User | null> {
  const user = findUserById(db(), session.userId);
  if (user && user.uid === session.userUid) return user;
  await sessionStore().revokeUserSession(ownerOf(session), session.id);
  logEvent("session_without_user", { userId: session.userId, session: logRef(session.id) });
  return null;
}
