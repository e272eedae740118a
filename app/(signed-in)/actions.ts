"use server";

import { redirect } from "next/navigation";
import { clearSessionCookie } from "@/lib/auth/cookies";
import { getCurrentSession } from "@/lib/auth/current-session";
import { sessionStore } from "@/lib/auth/session-store";
import { logEvent, logRef } from "@/lib/log";

/** Deletes the session in Redis (hash and index entry) before clearing the cookie, so a copied cookie dies too. */
export async function signOut(): Promise<void> {
  const current = await getCurrentSession();
  if (current) {
    await sessionStore().revokeUserSession(current.user.id, current.session.id);
    logEvent("sign_out", { userId: current.user.id, session: logRef(current.session.id) });
  }
  await clearSessionCookie();
  redirect("/login");
}
