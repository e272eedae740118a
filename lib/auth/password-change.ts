import { db } from "../db/client";
import { updatePasswordHash } from "../db/users";
import { logEvent, logRef } from "../log";
import { deviceLabel, type ValidSession } from "../session/record";
import type { ClientInfo } from "./client-info";
import type { CurrentSession } from "./current-session";
import { checkOwnPassword } from "./own-password";
import { hashPassword } from "./password";
import { startSession } from "./sign-in";
import { sessionStore } from "./store-instances";

export type PasswordChangeResult =
  | { status: "changed"; token: string; session: ValidSession; signedOutOthers: number }
  | { status: "wrong_password" }
  | { status: "rate_limited"; retryAfterSeconds: number };

/**
 * A new password ends every other session of the user (whoever knew the old one
 * may hold one) and replaces the current session with a fresh token, so a copy of
 * the old cookie is worth nothing either. Guesses of the current password count
 * against the same limits as sign-ins.
 *
 * The order matters: the new hash is stored before the other sessions are ended,
 * so no sign-in with the old password can start after the sweep (a sign-in that
 * read the old hash just before checks it again once its session exists: see
 * sign-in.ts).
 */
export async function changePassword(
  current: CurrentSession,
  currentPassword: string,
  newPassword: string,
  client: ClientInfo,
): Promise<PasswordChangeResult> {
  const { user, session } = current;
  const check = await checkOwnPassword(current, currentPassword, client, "password_change");
  if (check.status !== "ok") return check;

  updatePasswordHash(db(), user.id, await hashPassword(newPassword));
  const by = deviceLabel(session);
  const signedOutOthers = await sessionStore().revokeOtherSessions(user, session.id, { reason: "revoked", by });
  const fresh = await startSession(user, client, { announce: false });
  await sessionStore().revokeUserSession(user, session.id, { reason: "replaced" });
  await sessionStore().recordActivity(user, { type: "password-changed", by });
  logEvent("password_changed", { userId: user.id, signedOutOthers, session: logRef(fresh.session.id) });
  return { status: "changed", token: fresh.token, session: fresh.session, signedOutOthers };
}
