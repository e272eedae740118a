"use server";

import { redirect } from "next/navigation";
import { requireCheckedSession } from "@/lib/auth/current-session";
import { isForm } from "@/lib/auth/form-data";
import { confirmPath, isFresh } from "@/lib/auth/freshness";
import { sessionStore } from "@/lib/auth/store-instances";
import { logEvent, logRef } from "@/lib/log";
import { unlessOutage } from "@/lib/outage";

// While Redis cannot serve, each action goes back to /devices, which the proxy
// answers with the outage page (503) until Redis is back. Ending other devices
// needs a recent proof of the password (freshness.ts): a stale session is sent
// to /confirm first.

/** Revokes one of the signed-in user's own sessions by its public id. */
export async function revokeDevice(formData: FormData): Promise<void> {
  const revoked = await unlessOutage(async () => {
    const { user, session } = await requireCheckedSession();
    if (!isFresh(session)) redirect(confirmPath("/devices"));
    if (!isForm(formData)) return false;
    const sessionId = String(formData.get("sessionId") ?? "");
    const done = await sessionStore().revokeUserSession(user, sessionId);
    if (done) logEvent("session_revoked", { userId: user.id, session: logRef(sessionId) });
    return done;
  }, () => null);
  redirect(revoked === null ? "/devices" : `/devices?signedOut=${revoked ? 1 : 0}`);
}

export async function revokeOtherDevices(): Promise<void> {
  const count = await unlessOutage(async () => {
    const { user, session } = await requireCheckedSession();
    if (!isFresh(session)) redirect(confirmPath("/devices"));
    const revoked = await sessionStore().revokeOtherSessions(user, session.id);
    logEvent("sessions_revoked", { userId: user.id, kept: logRef(session.id), count: revoked });
    return revoked;
  }, () => null);
  redirect(count === null ? "/devices" : `/devices?signedOut=${count}`);
}
