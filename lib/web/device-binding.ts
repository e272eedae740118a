import { logEvent, runtime } from "../runtime";
import { bindingIdentifier, logRef, type BindingOutcome } from "../session";
import { setResponseHeader } from "./action-response";
import { boundCookieName } from "./credential";

// Device Bound Session Credentials, the HTTP side (W3C WebAppSec DBSC draft; the
// README names the version these names were checked against). The Redis side is
// lib/session/binding.ts.
//  1. A sign-in's response offers binding: Secure-Session-Registration names the
//     algorithm (ES256), the registration path and a challenge.
//  2. A browser that can (Chrome with DBSC) makes a key pair it cannot export
//     and POSTs to that path a JWT signed with it (Secure-Session-Response),
//     naming the public key and answering the challenge. We store the key and
//     answer with the session's configuration (which cookie the browser must
//     keep alive, where to refresh it) and set that short-lived cookie.
//  3. When the cookie has ended, the browser holds back its requests to the site
//     and POSTs to the refresh path; we answer 403 with a Secure-Session-Challenge,
//     it answers with a JWT signed by the same key, and we set a new cookie.
// A browser without DBSC ignores the header: its session stays as it was.

export const REGISTRATION_PATH = "/api/auth/dbsc/register";
export const REFRESH_PATH = "/api/auth/dbsc/refresh";

/** The headers of the protocol, as the draft names them. */
export const DBSC_HEADERS = {
  registration: "Secure-Session-Registration",
  challenge: "Secure-Session-Challenge",
  response: "Secure-Session-Response",
  sessionId: "Sec-Secure-Session-Id",
} as const;

/**
 * Secure-Session-Registration for a new session: one challenge kept in Redis
 * (one use, a minute). Undefined when device binding is off, or when Redis
 * failed just now: the sign-in stands, unbound, and the failure is logged.
 */
export async function registrationHeader(session: { id: string; userUid: string }): Promise<string | undefined> {
  const rt = runtime();
  if (!rt.config.deviceBound.enabled) return undefined;
  try {
    const challenge = await rt.sessions.binding.issueChallenge(session, "register");
    return challenge ? `(ES256);path="${REGISTRATION_PATH}";challenge="${challenge}"` : undefined;
  } catch (error) {
    logEvent("session_binding_not_offered", { session: logRef(session.id), message: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/** For server actions (sign-in, sign-up, a password change's new session): offers binding on the action's response. */
export async function offerBindingOnAction(session: { id: string; userUid: string }): Promise<void> {
  const header = await registrationHeader(session);
  if (header) setResponseHeader(DBSC_HEADERS.registration, header);
}

/**
 * Only browsers answer the offer, and every current one sends Sec-Fetch-Site;
 * curl and API clients do not, so their responses carry no header they would
 * ignore anyway.
 */
export function isBrowserRequest(request: Request): boolean {
  return request.headers.has("sec-fetch-site");
}

/** The cookie's attributes: the Set-Cookie header and the configuration's `credentials` say the same, so the browser recognises the cookie it must keep. */
function boundCookieAttributes(): string {
  return ["Path=/", "HttpOnly", "SameSite=Lax", ...(runtime().config.secureCookies ? ["Secure"] : [])].join("; ");
}

function setBoundCookie(value: string): string {
  const maxAgeSeconds = Math.ceil(runtime().config.deviceBound.cookieTtlMs / 1000);
  return `${boundCookieName()}=${value}; Max-Age=${maxAgeSeconds}; ${boundCookieAttributes()}`;
}

/**
 * The session's configuration, the answer to a registration (and again to each
 * refresh). The scope is this origin, as the cookies are (`__Host-`: no
 * subdomain sees them), so include_site is false (Chrome also refuses true
 * unless the origin is the site's root), minus the build's static files: no
 * request for a script waits for a refresh. The one credential is the short cookie.
 */
function sessionConfiguration(outcome: Extract<BindingOutcome, { status: "bound" }>, request: Request): Record<string, unknown> {
  const url = siteUrl(request);
  return {
    session_identifier: bindingIdentifier({ id: outcome.sessionId, userUid: outcome.tag }),
    refresh_url: REFRESH_PATH,
    scope: {
      origin: url.origin,
      include_site: false,
      scope_specification: [{ type: "exclude", domain: url.hostname, path: "/_next/static" }],
    },
    credentials: [{ type: "cookie", name: boundCookieName(), attributes: boundCookieAttributes() }],
  };
}

const NO_STORE = { "cache-control": "no-store" };

/**
 * The origin the browser used: Next.js builds request.url from the address the
 * server listens on, not from the Host header. The front door (server.ts) drops
 * X-Forwarded-* unless a trusted proxy sent them.
 */
function siteUrl(request: Request): URL {
  const url = new URL(request.url);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const proto = request.headers.get("x-forwarded-proto");
  if (host) url.host = host;
  if (proto === "http" || proto === "https") url.protocol = `${proto}:`;
  return url;
}

function configurationResponse(outcome: Extract<BindingOutcome, { status: "bound" }>, request: Request): Response {
  return Response.json(sessionConfiguration(outcome, request), { headers: { ...NO_STORE, "set-cookie": setBoundCookie(outcome.cookie) } });
}

/** What a refusal answers: an ended session tells the browser to stop ({"continue": false}); anything else gets an error and no cookie. */
function refusal(outcome: Extract<BindingOutcome, { status: "refused" }>): Response {
  if (outcome.why === "gone") return Response.json({ continue: false }, { headers: NO_STORE });
  const messages = {
    malformed: "the Secure-Session-Response header is not an ES256 dbsc+jwt proof",
    challenge: "the challenge is unknown, expired or already used",
    "wrong-key": "the proof is not signed by this session's key",
    "already-bound": "this session is already bound to a key",
  } as const;
  return Response.json({ error: messages[outcome.why] }, { status: outcome.why === "already-bound" ? 409 : 400, headers: NO_STORE });
}

/** POST REGISTRATION_PATH. */
export async function handleRegistration(request: Request): Promise<Response> {
  const outcome = await runtime().sessions.binding.register(request.headers.get(DBSC_HEADERS.response));
  return outcome.status === "bound" ? configurationResponse(outcome, request) : refusal(outcome);
}

/** POST REFRESH_PATH: without a proof, a challenge (403); with one, a new cookie. */
export async function handleRefresh(request: Request): Promise<Response> {
  // The draft makes it a structured-field string ("…"); Chrome 156 sends it bare: both are read.
  const identifier = request.headers.get(DBSC_HEADERS.sessionId)?.replace(/^"(.*)"$/, "$1") ?? null;
  const proof = request.headers.get(DBSC_HEADERS.response);
  const { binding } = runtime().sessions;
  if (proof === null) {
    const issued = await binding.refreshChallenge(identifier);
    if ("gone" in issued) return Response.json({ continue: false }, { headers: NO_STORE });
    return new Response(null, {
      status: 403,
      headers: { ...NO_STORE, [DBSC_HEADERS.challenge]: `"${issued.challenge}";id="${identifier}"` },
    });
  }
  const outcome = await binding.refresh(identifier, proof);
  return outcome.status === "bound" ? configurationResponse(outcome, request) : refusal(outcome);
}
