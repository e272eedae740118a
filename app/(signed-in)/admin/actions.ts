"use server";

import { isForm } from "@/app/components/form-data";
import { notFound, redirect } from "next/navigation";
import { requireSession } from "@/lib/auth/current-session";
import { sessionStore } from "@/lib/auth/session-store";
import { logEvent } from "@/lib/log";

export async function signOutEverywhere(formData: FormData): Promise<void> {
  const { user: admin } = await requireSession();
  if (!admin.isAdmin) notFound();
  if (!isForm(formData)) redirect("/admin");
  const userId = Number(formData.get("userId"));
  if (!Number.isSafeInteger(userId) || userId <= 0) redirect("/admin");
  const count = await sessionStore().revokeAllUserSessions(userId);
  logEvent("sessions_revoked", { byUserId: admin.id, userId, count });
  redirect(`/admin?signedOut=${count}`);
}
