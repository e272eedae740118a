import { declaresJson, json, jsonError, noContent, readJsonBody, reauthenticationRequired, currentSessionJson, userJson, withSession } from "@/lib/web/api";
import { clientInfoFrom } from "@/lib/web/client-address";
import { clearSessionCookie } from "@/lib/web/credential";
import { checkOwnPassword } from "@/lib/account/confirm";
import { ConfirmPasswordSchema } from "@/lib/account/forms";
import { tooManyAttemptsMessage } from "@/lib/account/sign-in";
import { deleteAccount } from "@/lib/account/user-changes";
import { isFresh } from "@/lib/web/current-session";
import { runtime } from "@/lib/runtime";

const MAX_BODY_BYTES = 8 * 1024;

/** Who the token belongs to, and its session. One Redis round trip. */
export const GET = withSession(async ({ user, session }) => json({ user: userJson(user), session: currentSessionJson(session) }), {
  mutates: false,
});

/**
 * Deletes the caller's account and every session of it. Like the form on
 * /settings it needs both a recent sign-in (else 403 reauthentication_required:
 * POST /api/auth/confirm) and the password, in the body: {"password": "…"}. The
 * password is counted like every proof of it (per session, per user, per address),
 * so a stolen token cannot delete the account, nor guess its way there.
 */
export const DELETE = withSession(
  async (caller, request) => {
    if (!isFresh(caller.session)) return reauthenticationRequired();
    if (!declaresJson(request)) return jsonError(415, 'Send the password as JSON (Content-Type: application/json): {"password": "…"}');
    const body = await readJsonBody(request, MAX_BODY_BYTES);
    if (!body.ok) return jsonError(400, body.message);
    const parsed = ConfirmPasswordSchema.safeParse(body.value);
    if (!parsed.success) return jsonError(400, 'Send a JSON object {"password": "…"}');
    const rt = runtime();
    const check = await checkOwnPassword(rt, caller, parsed.data.password, clientInfoFrom(rt.stampSecret, request.headers), "delete_account");
    if (check.status === "rate_limited") {
      return jsonError(429, tooManyAttemptsMessage(check.retryAfterSeconds), { "retry-after": String(check.retryAfterSeconds) });
    }
    if (check.status === "wrong_password") return jsonError(403, "wrong password");
    await deleteAccount(rt, caller); // "pending": the row is gone; its sessions end as soon as Redis answers
    if (caller.via === "cookie") await clearSessionCookie();
    return noContent();
  },
  { mutates: true },
);
