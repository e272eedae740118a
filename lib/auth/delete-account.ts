import { db } from "../db/client";
import { deleteUser } from "../db/users";
import { logEvent } from "../log";
import type { CurrentSession } from "./current-session";
import { sessionStore } from "./store-instances";

/**
 * Deletes the account (ASVS 7.4.2): the user row first, so no new sign-in can
 * start, then every session and the index. A sign-in that read the row just
 * before and creates a session just after finds no user behind it at its first
 * request (session-user.ts) and is deleted there.
 */
export async function deleteAccount({ user }: CurrentSession): Promise<number> {
  deleteUser(db(), user.id);
  const ended = await sessionStore().forgetUser(user);
  logEvent("account_deleted", { userId: user.id, sessionsEnded: ended });
  return ended;
}
