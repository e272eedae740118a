import { deviceLabel, logRef } from "@/lib/session";
import { runtime, logEvent } from "@/lib/runtime";
import { json, noContent, reauthenticationRequired, listedSessionJson, withSession } from "@/lib/web/api";
import { isFresh } from "@/lib/web/current-session";

/** The caller's sessions, newest first, as the devices page shows them. */
export const GET = withSession(
  async ({ user, session }) => {
    const listed = await runtime().sessions.listUserSessions(user);
    return json({ sessions: listed.map((item) => listedSessionJson(item, session.id)) });
  },
  { mutates: false },
);

/** Signs out every other session of the caller; the count is in `Revoked-Count`. */
export const DELETE = withSession(
  async ({ user, session, via }) => {
    if (!isFresh(session)) return reauthenticationRequired();
    const count = await runtime().sessions.revokeOtherSessions(user, session.id, { reason: "revoked", by: deviceLabel(session) });
    logEvent("sessions_revoked", { via, userId: user.id, kept: logRef(session.id), count });
    return noContent({ "revoked-count": String(count) });
  },
  { mutates: true },
);
