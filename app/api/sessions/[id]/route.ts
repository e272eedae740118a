import { deviceLabel, logRef } from "@/lib/session";
import { runtime, logEvent } from "@/lib/runtime";
import { jsonError, noContent, reauthenticationRequired, withSession } from "@/lib/web/api";
import { isFresh } from "@/lib/web/current-session";

type Context = { params: Promise<{ id: string }> };

/** Revokes one of the caller's sessions by public id; 404 alike for someone else's and for none. */
export const DELETE = withSession<Context>(
  async ({ user, session, via }, _request, { params }) => {
    const { id } = await params;
    // Ending this very session is a sign-out; ending another device needs a recent proof.
    if (id !== session.id && !isFresh(session)) return reauthenticationRequired();
    if (!(await runtime().sessions.revokeUserSession(user, id, { reason: id === session.id ? "signed-out" : "revoked", by: deviceLabel(session) }))) return jsonError(404, "session not found");
    logEvent("session_revoked", { via, userId: user.id, session: logRef(id) });
    return noContent();
  },
  { mutates: true },
);
