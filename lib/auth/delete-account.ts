import { deleteUser } from "../db/users";
import { logEvent } from "../log";
import type { Runtime } from "../runtime";
import type { CurrentSession } from "./current-session";
import { followChange } from "./user-changes";

/**
 * Deletes the account (ASVS 7.4.2): the user row first (with a record that its
 * sessions are to end, in the same transaction), then the fence ("deleted": no
 * sign-in that read the row can start a session now), every session, the index
 * and the activity log (user-changes.ts). Returns how many sessions ended, or
 * "pending" when Redis failed after the row was gone: they end as soon as it answers.
 */
export async function deleteAccount(rt: Runtime, { user }: CurrentSession): Promise<number | "pending"> {
  const change = await deleteUser(rt.users, user.id);
  if (!change) return 0; // deleted meanwhile (another tab): its sessions were ended with it
  const ended = await followChange(rt, change, (sessions) => sessions.forgetUser(change.user));
  logEvent("account_deleted", { userId: user.id, sessionsEnded: String(ended) });
  return ended;
}
