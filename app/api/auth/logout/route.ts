import { clearSessionCookie } from "@/lib/web/credential";
import { runtime, logEvent } from "@/lib/runtime";
import { noContent, withSession } from "@/lib/web/api";
import { logRef } from "@/lib/session";

/** Ends the caller's own session: the token is dead from the next request on. */
export const POST = withSession(
  async ({ user, session, via }) => {
    await runtime().sessions.revokeUserSession(user, session.id, { reason: "signed-out" });
    logEvent("sign_out", { via, userId: user.id, session: logRef(session.id) });
    if (via === "cookie") await clearSessionCookie();
    return noContent();
  },
  { mutates: true },
);
