"use server";

import { notFound, redirect } from "next/navigation";
import { requireCheckedSession, confirmPath, isFresh } from "@/lib/web/current-session";
import { isForm } from "@/lib/account/forms";
import { setAdminFlag } from "@/lib/account/user-changes";
import { findUserById } from "@/lib/db/users";
import { logEvent, runtime } from "@/lib/runtime";
import { unlessOutage } from "@/lib/web/outage";

// While Redis or the users database cannot serve, each action goes back to
// /admin, which then answers with the outage. Like ending one's own other
// devices, they need a recent sign-in (freshness.ts): an administrator's session
// left open must not sign everyone out. A non-administrator gets the 404 first,
// never the detour.

/** The signed-in administrator and the user id the form names, or the 404 / the /confirm detour. */
async function adminAndTarget(formData: FormData): Promise<{ adminId: number; userId: number | null }> {
  const { user: admin, session } = await requireCheckedSession();
  if (!admin.isAdmin) notFound();
  if (!isFresh(session)) redirect(confirmPath("/admin"));
  const userId = isForm(formData) ? Number(formData.get("userId")) : NaN;
  return { adminId: admin.id, userId: Number.isSafeInteger(userId) && userId > 0 ? userId : null };
}

/** Ends every session of one user. */
export async function signOutEverywhere(formData: FormData): Promise<void> {
  const count = await unlessOutage(async () => {
    const { adminId, userId } = await adminAndTarget(formData);
    if (userId === null) return null;
    const rt = runtime();
    // No row, no sessions to end: any left would be of a row deleted with them.
    const user = await findUserById(rt.users, userId);
    const revoked = user ? await rt.sessions.revokeAllUserSessions(user, { reason: "admin" }) : 0;
    logEvent("sessions_revoked", { byUserId: adminId, userId, count: revoked });
    return revoked;
  }, () => null);
  redirect(count === null ? "/admin" : `/admin?signedOut=${count}`);
}

/**
 * "Make admin" / "Remove admin" for another user: the row changes, then that
 * user's sessions end (user-changes.ts), so the new flag counts from their next
 * sign-in and no session keeps a right it lost. An administrator cannot change
 * their own flag here (the last one could lock everyone out).
 */
export async function changeAdminFlag(formData: FormData): Promise<void> {
  const outcome = await unlessOutage(async () => {
    const { adminId, userId } = await adminAndTarget(formData);
    if (userId === null || userId === adminId) return null;
    const change = await setAdminFlag(runtime(), userId, formData.get("admin") === "1");
    logEvent("admin_flag_set", { byUserId: adminId, userId, done: change.status });
    return change.status === "changed" ? `/admin?roleChanged=${userId}&ended=${change.sessionsEnded}` : null;
  }, () => null);
  redirect(outcome ?? "/admin");
}
