"use server";

import { redirect } from "next/navigation";
import { clearSessionCookie } from "@/lib/auth/cookies";
import { getCheckedSession } from "@/lib/auth/current-session";
import { sessionStore } from "@/lib/auth/store-instances";
import { logEvent, logRef } from "@/lib/log";
import { unlessOutage } from "@/lib/outage";

/** Deletes the session in Redis (hash and index entry) before clearing the cookie, so a copied cookie dies too. */
export async function signOut(): Promise<void> {
  const ended = await unlessOutage(async () => {
    const current = await getCheckedSession();
    if (current) {
      await sessionStore().revokeUserSession(current.user, current.session.id);
      logEvent("sign_out", { userId: current.user.id, session: logRef(current.session.id) });
    }
    return true;
  }, () => false);
  // While Redis cannot serve, the cookie stays (the session could not be ended) and
  // the page answers with the outage page until it can.
  if (!ended) redirect("/");
  await clearSessionCookie();
  redirect("/login");
}
