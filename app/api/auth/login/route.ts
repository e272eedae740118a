import { clientInfoFrom } from "@/lib/auth/client-info";
import { firstFieldErrors, SignInSchema } from "@/lib/auth/credentials";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { readJsonBody } from "@/lib/api/read-json";
import { json, jsonError, unavailable } from "@/lib/api/responses";
import { iso, userJson } from "@/lib/api/session-json";
import { logEvent } from "@/lib/log";
import { isStoreUnavailable } from "@/lib/session/errors";

const MAX_BODY_BYTES = 8 * 1024;

/** POST {"email","password"} → a bearer token for a new session (a device like any other). */
export async function POST(request: Request): Promise<Response> {
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  if (!body.ok) return jsonError(400, body.message);
  const parsed = SignInSchema.safeParse(body.value);
  if (!parsed.success) {
    const fields = firstFieldErrors(parsed.error);
    const message = Object.entries(fields).map(([field, problem]) => `${field}: ${problem}`).join("; ");
    return jsonError(400, message || 'Send a JSON object {"email": "…", "password": "…"}');
  }
  try {
    const result = await signInWithPassword(parsed.data.email, parsed.data.password, clientInfoFrom(request.headers));
    if (result.status !== "signed_in") {
      logEvent("sign_in_failed", { via: "api" });
      return jsonError(401, "Invalid email or password");
    }
    logEvent("sign_in", { via: "api", userId: result.user.id, sessionId: result.session.id });
    return json({ token: result.token, expiresAt: iso(result.session.expiresAt), user: userJson(result.user) });
  } catch (error) {
    if (isStoreUnavailable(error)) return unavailable();
    throw error;
  }
}
