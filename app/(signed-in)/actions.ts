"use server";

import { redirect } from "next/navigation";
import { getCheckedSession } from "@/lib/auth/current-session";
import { sessionStore } from "@/lib/auth/store-instances";
import { logEvent, logRef } from "@/lib/log";
import { unlessOutage } from "@/lib/outage";

/**
 * Deletes the session in Redis (hash and index entry), so a copied cookie dies
 * too. The cookie itself is cleared by the sign-in page this redirects to, which
 * first reads the reason the ending left ("You signed out.").
 */
export async function signOut(): Promise<void> {
  const ended = await unlessOutage(async () => {
    const current = await getCheckedSession();
    if (current) {
      await sessionStore().revokeUserSession(current.user, current.session.id, { reason: "signed-out" });
      logEvent("sign_out", { userId: current.user.id, session: logRef(current.session.id) });
    }
    return true;
  }, () => false);
  // While Redis cannot serve, the cookie stays (the session could not be ended) and
  // the page answers with the outage page until it can.
  if (!ended) redirect("/");
  redirect("/login");
}
