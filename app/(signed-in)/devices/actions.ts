"use server";

import { isForm } from "@/app/components/form-data";
import { redirect } from "next/navigation";
import { requireSession } from "@/lib/auth/current-session";
import { sessionStore } from "@/lib/auth/session-store";
import { logEvent, logRef } from "@/lib/log";

/** Revokes one of the signed-in user's own sessions by its public id. */
export async function revokeDevice(formData: FormData): Promise<void> {
  const { user } = await requireSession();
  if (!isForm(formData)) redirect("/devices");
  const sessionId = String(formData.get("sessionId") ?? "");
  const revoked = await sessionStore().revokeUserSession(user.id, sessionId);
  if (revoked) logEvent("session_revoked", { userId: user.id, session: logRef(sessionId) });
  redirect(`/devices?signedOut=${revoked ? 1 : 0}`);
}

export async function revokeOtherDevices(): Promise<void> {
  const { user, session } = await requireSession();
  const count = await sessionStore().revokeOtherSessions(user.id, session.id);
  logEvent("sessions_revoked", { userId: user.id, kept: logRef(session.id), count });
  redirect(`/devices?signedOut=${count}`);
}
