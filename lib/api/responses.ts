// JSON answers of the API: `{"error": "<message>"}` for every failure, and never
// cached, since each one describes a session at one moment.

const NO_STORE = { "cache-control": "no-store" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return json({ error: message }, status, headers);
}

export function noContent(headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 204, headers: { ...NO_STORE, ...headers } });
}

/** Missing, malformed, expired and revoked tokens all get this one answer. */
export function unauthorized(): Response {
  return jsonError(401, "unauthorized", { "www-authenticate": 'Bearer realm="api"' });
}

/** A sensitive call on a session whose last password proof is too old: POST /api/auth/confirm first. */
export function reauthenticationRequired(): Response {
  return jsonError(403, "reauthentication_required");
}

/** Redis or the users database cannot serve: 503 with the outage's words (lib/outage.ts). */
export function unavailable(message: string): Response {
  return jsonError(503, message, { "retry-after": "5" });
}
