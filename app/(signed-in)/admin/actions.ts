"use server";

import { notFound, redirect } from "next/navigation";
import { requireCheckedSession } from "@/lib/auth/current-session";
import { isForm } from "@/lib/auth/form-data";
import { confirmPath, isFresh } from "@/lib/auth/freshness";
import { db } from "@/lib/db/client";
import { findUserById } from "@/lib/db/users";
import { sessionStore } from "@/lib/auth/store-instances";
import { logEvent } from "@/lib/log";
import { unlessOutage } from "@/lib/outage";

/**
 * Ends every session of one user. While Redis cannot serve, back to /admin, which
 * the proxy answers with the outage page. Like ending one's own other devices, it
 * needs a recent sign-in (freshness.ts): an administrator's session left open must
 * not sign everyone out. A non-administrator gets the 404 first, never the detour.
 */
export async function signOutEverywhere(formData: FormData): Promise<void> {
  const count = await unlessOutage(async () => {
    const { user: admin, session } = await requireCheckedSession();
    if (!admin.isAdmin) notFound();
    if (!isFresh(session)) redirect(confirmPath("/admin"));
    const userId = isForm(formData) ? Number(formData.get("userId")) : NaN;
    if (!Number.isSafeInteger(userId) || userId <= 0) return null;
    // No row, no sessions to end: any left would belong to nobody and end at their first request.
    const user = findUserById(db(), userId);
    const revoked = user ? await sessionStore().revokeAllUserSessions(user, { reason: "admin" }) : 0;
    logEvent("sessions_revoked", { byUserId: admin.id, userId, count: revoked });
    return revoked;
  }, () => null);
  redirect(count === null ? "/admin" : `/admin?signedOut=${count}`);
}
