import { deviceLabel } from "@/lib/session/record";
import { runtime } from "@/lib/runtime";
import { jsonError, noContent, reauthenticationRequired } from "@/lib/api/responses";
import { isFresh } from "@/lib/auth/freshness";
import { withSession } from "@/lib/api/with-session";
import { logEvent, logRef } from "@/lib/log";

type Context = { params: Promise<{ id: string }> };

/** Revokes one of the caller's sessions by public id; 404 alike for someone else's and for none. */
export const DELETE = withSession<Context>(
  async ({ user, session, via }, _request, { params }) => {
    const { id } = await params;
    // Ending this very session is a sign-out; ending another device needs a recent proof.
    if (id !== session.id && !isFresh(session)) return reauthenticationRequired();
    if (!(await (await runtime()).sessions.revokeUserSession(user, id, { reason: id === session.id ? "signed-out" : "revoked", by: deviceLabel(session) }))) return jsonError(404, "session not found");
    logEvent("session_revoked", { via, userId: user.id, session: logRef(id) });
    return noContent();
  },
  { mutates: true },
);
