import { declaresJson, readJsonBody, json, jsonError, unauthorized, iso, withSession } from "@/lib/web/api";
import { clientInfoFrom } from "@/lib/web/client-address";
import { ConfirmPasswordSchema } from "@/lib/account/forms";
import { confirmPassword } from "@/lib/account/confirm";
import { tooManyAttemptsMessage } from "@/lib/account/sign-in";
import { runtime } from "@/lib/runtime";

const MAX_BODY_BYTES = 8 * 1024;

/** POST {"password"}: the session proves the password again; sensitive calls work for SESSION_FRESH_AGE from now. */
export const POST = withSession(
  async (caller, request) => {
    if (!declaresJson(request)) return jsonError(415, 'Send the password as JSON (Content-Type: application/json): {"password": "…"}');
    const body = await readJsonBody(request, MAX_BODY_BYTES);
    if (!body.ok) return jsonError(400, body.message);
    const parsed = ConfirmPasswordSchema.safeParse(body.value);
    if (!parsed.success) return jsonError(400, 'Send a JSON object {"password": "…"}');
    const result = await confirmPassword(runtime(), caller, parsed.data.password, clientInfoFrom(runtime().stampSecret, request.headers));
    if (result.status === "rate_limited") {
      return jsonError(429, tooManyAttemptsMessage(result.retryAfterSeconds), { "retry-after": String(result.retryAfterSeconds) });
    }
    if (result.status === "wrong_password") return jsonError(403, "wrong password");
    if (result.status === "ended") return unauthorized();
    return json({ authenticatedAt: iso(result.authenticatedAt) });
  },
  { mutates: true },
);
