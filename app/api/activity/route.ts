import { json } from "@/lib/api/responses";
import { iso } from "@/lib/api/session-json";
import { withSession } from "@/lib/api/with-session";
import { runtime } from "@/lib/runtime";

/** The caller's recent activity, newest first (at most 50 events; see the README's "Activity log"). */
export const GET = withSession(
  async ({ user }) => {
    const events = await (await runtime()).sessions.recentActivity(user);
    return json({
      events: events.map(({ type, at, session, device, ip, by, count }) => ({ type, at: iso(at), session, device, ip, by, count })),
    });
  },
  { mutates: false },
);
