import { clearSessionCookie } from "@/lib/auth/cookies";
import { runtime } from "@/lib/runtime";
import { noContent } from "@/lib/api/responses";
import { withSession } from "@/lib/api/with-session";
import { logEvent, logRef } from "@/lib/log";

/** Ends the caller's own session: the token is dead from the next request on. */
export const POST = withSession(
  async ({ user, session, via }) => {
    await (await runtime()).sessions.revokeUserSession(user, session.id, { reason: "signed-out" });
    logEvent("sign_out", { via, userId: user.id, session: logRef(session.id) });
    if (via === "cookie") await clearSessionCookie();
    return noContent();
  },
  { mutates: true },
);
