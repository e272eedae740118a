import { json } from "@/lib/api/responses";
import { currentSessionJson, userJson } from "@/lib/api/session-json";
import { withSession } from "@/lib/api/with-session";

/** Who the token belongs to, and its session. One Redis round trip. */
export const GET = withSession(async ({ user, session }) => json({ user: userJson(user), session: currentSessionJson(session) }), {
  mutates: false,
});
