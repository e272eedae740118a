import { json, iso, withSession } from "@/lib/web/api";
import { runtime } from "@/lib/runtime";

/** The caller's recent activity, newest first (at most 50 events; see the README's "Activity log"). */
export const GET = withSession(
  async ({ user }) => {
    const events = await runtime().sessions.recentActivity(user);
    return json({
      events: events.map(({ type, at, session, device, ip, by, count, why }) => ({ type, at: iso(at), session, device, ip, by, count, why })),
    });
  },
  { mutates: false },
);
