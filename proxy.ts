import { NextResponse, type NextRequest } from "next/server";
import { sessionCookieAttributes, sessionCookieName } from "./lib/auth/cookies";
import { isSameOrigin } from "./lib/auth/same-origin";
import { contentSecurityPolicy, newNonce } from "./lib/auth/security-headers";
import { sessionStore } from "./lib/auth/session-store";
import { crossSiteResponse, unavailableResponse } from "./lib/auth/unavailable-page";
import { isRedisUnavailable } from "./lib/redis";

// The gate in front of every page (the design's "middleware": Next 16 calls the
// file proxy.ts and runs it on Node.js, so ioredis works here). For a protected
// page it costs one Redis round trip: the same one-key script the pages use.

const PUBLIC_PAGES = new Set(["/login", "/signup", "/benchmark/open"]);

export async function proxy(request: NextRequest): Promise<Response> {
  // Server actions are POSTs to pages. One from another site is refused here,
  // before Next.js' own Origin check and before any Redis call.
  if (request.method !== "GET" && request.method !== "HEAD" && !isSameOrigin(request)) return crossSiteResponse();

  const nonce = newNonce();
  const policy = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  if (PUBLIC_PAGES.has(request.nextUrl.pathname)) return withPolicy(request, policy);

  const token = request.cookies.get(sessionCookieName())?.value;
  try {
    // A malformed or missing token is answered without touching Redis.
    const validation = await sessionStore().validateSession(token);
    if (validation.status === "valid") return withPolicy(request, policy);
  } catch (error) {
    if (isRedisUnavailable(error)) return unavailableResponse();
    throw error;
  }
  return redirectToLogin(request, token !== undefined);
}

/** Lets the request through; Next.js reads the policy from the request to put the nonce on its scripts. */
function withPolicy(request: NextRequest, policy: string): Response {
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

function redirectToLogin(request: NextRequest, clearCookie: boolean): Response {
  const login = new URL("/login", request.url);
  const { pathname, search } = request.nextUrl;
  if (pathname !== "/") login.searchParams.set("next", `${pathname}${search}`);
  const response = NextResponse.redirect(login, 303);
  if (clearCookie) response.cookies.set(sessionCookieName(), "", sessionCookieAttributes(0));
  return response;
}

export const config = {
  // Every page, public ones included (they need the policy too); not static
  // assets, and not the API routes, which authenticate themselves (bearer or
  // cookie) so the check is not done twice.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|api/).*)"],
};
