"use server";

import { redirect } from "next/navigation";
import { requireCheckedSession, confirmPath, isFresh } from "@/lib/web/current-session";
import { deviceName, isForm } from "@/lib/account/forms";
import { runtime, logEvent } from "@/lib/runtime";
import { logRef, deviceLabel } from "@/lib/session";
import { unlessOutage } from "@/lib/web/outage";

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
    const done = await runtime().sessions.revokeUserSession(user, sessionId, { reason: "revoked", by: deviceLabel(session) });
    if (done) logEvent("session_revoked", { userId: user.id, session: logRef(sessionId) });
    return done;
  }, () => null);
  redirect(revoked === null ? "/devices" : `/devices?signedOut=${revoked ? 1 : 0}`);
}

export async function revokeOtherDevices(): Promise<void> {
  const count = await unlessOutage(async () => {
    const { user, session } = await requireCheckedSession();
    if (!isFresh(session)) redirect(confirmPath("/devices"));
    const revoked = await runtime().sessions.revokeOtherSessions(user, session.id, { reason: "revoked", by: deviceLabel(session) });
    logEvent("sessions_revoked", { userId: user.id, kept: logRef(session.id), count: revoked });
    return revoked;
  }, () => null);
  redirect(count === null ? "/devices" : `/devices?signedOut=${count}`);
}

/**
 * Names one of the user's own sessions ("Rename"). At most 40 characters, control
 * characters dropped; an empty name goes back to the browser and OS label.
 * Needs no recent sign-in: a name changes what the list shows, nothing more.
 */
export async function renameDevice(formData: FormData): Promise<void> {
  const outcome = await unlessOutage(async () => {
    const { user } = await requireCheckedSession();
    if (!isForm(formData)) return "invalid";
    const name = deviceName(formData.get("name"));
    if (name === undefined) return "too-long";
    const done = await runtime().sessions.renameSession(user, String(formData.get("sessionId") ?? ""), name);
    return done ? "renamed" : "gone";
  }, () => null);
  redirect(outcome === null ? "/devices" : `/devices?rename=${outcome}`);
}
