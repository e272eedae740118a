import { clientInfoFrom } from "@/lib/web/client-address";
import { firstFieldErrors, SignInSchema } from "@/lib/account/forms";
import { signInWithPassword, tooManyAttemptsMessage } from "@/lib/account/sign-in";
import { declaresJson, readJsonBody, json, jsonError, unavailable, iso, userJson } from "@/lib/web/api";
import { unlessOutage } from "@/lib/web/outage";
import { DBSC_HEADERS, isBrowserRequest, registrationHeader } from "@/lib/web/device-binding";
import { runtime } from "@/lib/runtime";

const MAX_BODY_BYTES = 8 * 1024;

/** POST {"email","password","remember"?} → a bearer token for a new session (a device like any other). */
export async function POST(request: Request): Promise<Response> {
  if (!declaresJson(request)) {
    return jsonError(415, 'Send the credentials as JSON (Content-Type: application/json): {"email": "…", "password": "…"}');
  }
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  if (!body.ok) return jsonError(400, body.message);
  const parsed = SignInSchema.safeParse(body.value);
  if (!parsed.success) {
    const fields = firstFieldErrors(parsed.error);
    const message = Object.entries(fields).map(([field, problem]) => `${field}: ${problem}`).join("; ");
    return jsonError(400, message || 'Send a JSON object {"email": "…", "password": "…"}');
  }
  const { email, password, remember } = parsed.data;
  const client = clientInfoFrom(runtime().stampSecret, request.headers);
  const result = await unlessOutage(async () => signInWithPassword(runtime(), email, password, client, { via: "api", remember }), unavailable);
  if (result instanceof Response) return result;
  if (result.status === "rate_limited") {
    const retryAfter = String(result.retryAfterSeconds);
    return jsonError(429, tooManyAttemptsMessage(result.retryAfterSeconds), { "retry-after": retryAfter });
  }
  if (result.status === "invalid_credentials") return jsonError(401, "Invalid email or password");
  // A browser's fetch may bind the session to its device (DBSC); other clients are not offered it.
  const offer = isBrowserRequest(request) ? await registrationHeader(result.session) : undefined;
  const headers: Record<string, string> = offer ? { [DBSC_HEADERS.registration]: offer } : {};
  return json({ token: result.token, expiresAt: iso(result.session.expiresAt), remembered: result.session.remembered, user: userJson(result.user) }, 200, headers);
}
