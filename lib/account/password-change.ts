import { changeUser } from "../db/users";
import { logEvent, type Runtime } from "../runtime";
import { deviceLabel, logRef, type SignedIn, type ValidSession } from "../session";
import { checkOwnPassword } from "./confirm";
import { hashPassword } from "./password";
import { startSession, type ClientInfo } from "./sign-in";
import { followChange } from "./user-changes";

export type PasswordChangeResult =
  | { status: "changed"; token: string; session: ValidSession; signedOutOthers: number }
  /** Stored, but the sessions could not follow at once (Redis failed, or the row changed again): every session ends; sign in with the new password. */
  | { status: "changed_sign_in_again" }
  | { status: "wrong_password" }
  | { status: "rate_limited"; retryAfterSeconds: number };

/**
 * A new password ends every other session of the user (whoever knew the old one
 * may hold one) and replaces the current session with a fresh token, so a copy of
 * the old cookie is worth nothing either. Guesses of the current password count
 * against the same limits as sign-ins.
 *
 * The order matters (user-changes.ts): the new hash and its session_version are
 * stored first; then the fence is raised, so no sign-in that read the old hash
 * can start a session after the sweep; then the other sessions end.
 */
export async function changePassword(
  rt: Runtime,
  current: SignedIn,
  currentPassword: string,
  newPassword: string,
  client: ClientInfo,
): Promise<PasswordChangeResult> {
  const { user, session } = current;
  const check = await checkOwnPassword(rt, current, currentPassword, client, "password_change");
  if (check.status !== "ok") return check;

  const change = await changeUser(rt.users, user.id, { passwordHash: await hashPassword(newPassword) });
  if (!change) return { status: "wrong_password" }; // the account is gone: its sessions are being ended
  const by = deviceLabel(session);
  const outcome = await followChange(rt, change, async (sessions) => {
    const signedOutOthers = await sessions.revokeOtherSessions(user, session.id, { reason: "revoked", by });
    const fresh = await startSession(rt, change.user, client, { announce: false, remember: session.remembered });
    await sessions.revokeUserSession(user, session.id, { reason: "replaced" });
    await sessions.recordActivity(user, { type: "password-changed", by });
    return { signedOutOthers, fresh };
  });
  if (outcome === "pending" || outcome.fresh.status !== "created") {
    logEvent("password_changed", { userId: user.id, signedOutOthers: "all" });
    return { status: "changed_sign_in_again" };
  }
  const { token, session: fresh } = outcome.fresh;
  logEvent("password_changed", { userId: user.id, signedOutOthers: outcome.signedOutOthers, session: logRef(fresh.id) });
  return { status: "changed", token, session: fresh, signedOutOthers: outcome.signedOutOthers };
}
