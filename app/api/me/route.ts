import { json, noContent, reauthenticationRequired, currentSessionJson, userJson, withSession } from "@/lib/web/api";
import { clearSessionCookie } from "@/lib/web/credential";
import { deleteAccount } from "@/lib/account/user-changes";
import { isFresh } from "@/lib/web/current-session";
import { runtime } from "@/lib/runtime";

/** Who the token belongs to, and its session. One Redis round trip. */
export const GET = withSession(async ({ user, session }) => json({ user: userJson(user), session: currentSessionJson(session) }), {
  mutates: false,
});

/** Deletes the caller's account and every session of it; needs a recent proof of the password (POST /api/auth/confirm). */
export const DELETE = withSession(
  async (caller) => {
    if (!isFresh(caller.session)) return reauthenticationRequired();
    await deleteAccount(runtime(), caller); // "pending": the row is gone; its sessions end as soon as Redis answers
    if (caller.via === "cookie") await clearSessionCookie();
    return noContent();
  },
  { mutates: true },
);
