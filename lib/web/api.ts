import type { SessionRecord, SessionUser, ValidSession } from "../session";
import { authenticateRequest, type RequestSession } from "./current-session";
import { readCredential } from "./credential";
import { isSameOrigin } from "./gate";
import { unlessOutage } from "./outage";

// For the route handlers of app/api alone: the JSON answers, a bounded JSON
// body, the shapes of users and sessions, and withSession, which every handler
// that needs a signed-in caller is wrapped in. Errors are `{"error": "<message>"}`,
// and no answer is cached, since each one describes a session at one moment.
// `id` is the public session id (the SHA-256 of the token): it revokes, it never
// authenticates. Times are ISO 8601.

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

/** Redis or the users database cannot serve: 503 with the outage's words (outage.ts). */
export function unavailable(message: string): Response {
  return jsonError(503, message, { "retry-after": "5" });
}

/**
 * JSON only: an HTML form from another site cannot send it, so a cross-site form
 * cannot make the server run argon2. Checked before the body is even read.
 */
export function declaresJson(request: Request): boolean {
  return (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase() === "application/json";
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string };

export async function readJsonBody(request: Request, maxBytes: number): Promise<JsonBody> {
  const tooLarge = { ok: false, message: `Request body is larger than ${maxBytes} bytes` } as const;
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return tooLarge;
  if (!request.body) return { ok: false, message: "Request body is missing: send JSON" };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return tooLarge;
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return { ok: false, message: "Request body is missing: send JSON" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, message: "Request body is not valid JSON" };
  }
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export function userJson(user: Pick<SessionUser, "id" | "email" | "isAdmin">) {
  return { id: user.id, email: user.email, isAdmin: user.isAdmin };
}

export function currentSessionJson(session: ValidSession) {
  return {
    id: session.id,
    createdAt: iso(session.createdAt),
    lastSeenAt: iso(session.lastSeenAt),
    authenticatedAt: iso(session.authenticatedAt),
    expiresAt: iso(session.expiresAt),
    remembered: session.remembered,
    bound: session.bound,
  };
}

export function listedSessionJson(session: SessionRecord, currentId: string) {
  return {
    id: session.id,
    current: session.id === currentId,
    browser: session.browser,
    os: session.os,
    device: session.device,
    ip: session.ip,
    createdAt: iso(session.createdAt),
    lastSeenAt: iso(session.lastSeenAt),
    remembered: session.remembered,
    bound: session.bound,
  };
}

type Handler<Context> = (caller: RequestSession, request: Request, context: Context) => Promise<Response>;

/**
 * Wraps a route handler that needs a signed-in caller: 401 without a valid session,
 * 403 for a mutation authenticated by the cookie from another origin (checked
 * before any Redis call), 503 when Redis cannot serve. A request with no
 * credentials at all has nothing a forger could borrow: it gets the plain 401.
 */
export function withSession<Context>(handler: Handler<Context>, options: { mutates: boolean }) {
  return async (request: Request, context: Context): Promise<Response> => {
    // A cookie of the wrong shape authenticates nothing (known without Redis): 401, like none.
    const credential = readCredential(request.headers, "bearer-or-cookie");
    const byCookie = credential?.via === "cookie" && credential.token !== undefined;
    if (options.mutates && byCookie && !isSameOrigin(request)) {
      return jsonError(403, "cross-origin request refused: send the Origin header of this site, or use a bearer token");
    }
    return unlessOutage(async () => {
      const caller = await authenticateRequest(request);
      return caller ? handler(caller, request, context) : unauthorized();
    }, unavailable);
  };
}
