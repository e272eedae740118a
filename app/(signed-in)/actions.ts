"use server";

import { redirect } from "next/navigation";
import { clearSessionCookie } from "@/lib/web/credential";
import { getCheckedSession } from "@/lib/web/current-session";
import { runtime, logEvent } from "@/lib/runtime";
import { logRef } from "@/lib/session";
import { unlessOutage } from "@/lib/web/outage";

/**
 * Deletes the session in Redis (hash and index entry), so a copied cookie dies
 * too, then clears the cookie. Next.js renders the page an action redirects to
 * in the action's own response, without the proxy, so this tab's "You signed
 * out." travels in the address (like "Your account was deleted."); other tabs of
 * the session are told by the marker the ending left.
 */
export async function signOut(): Promise<void> {
  const ended = await unlessOutage(async () => {
    const current = await getCheckedSession();
    if (current) {
      await runtime().sessions.revokeUserSession(current.user, current.session.id, { reason: "signed-out" });
      logEvent("sign_out", { userId: current.user.id, session: logRef(current.session.id) });
    }
    return true;
  }, () => false);
  // While Redis cannot serve, the cookie stays (the session could not be ended) and
  // the page answers with the outage page until it can.
  if (!ended) redirect("/");
  await clearSessionCookie();
  redirect("/login?signedOut=1");
}
