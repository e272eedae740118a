import { NextResponse, type NextRequest } from "next/server";
import { sessionCookieAttributes, sessionCookieName } from "./lib/auth/cookies";
import { sessionStore } from "./lib/auth/session-store";
import { unavailableResponse } from "./lib/auth/unavailable-page";
import { isStoreUnavailable } from "./lib/session/errors";

// The gate in front of every page (the design's "middleware": Next 16 calls the
// file proxy.ts and runs it on Node.js, so ioredis works here). It costs one Redis
// round trip per page request: the same one-key script the pages use.

export async function proxy(request: NextRequest): Promise<Response> {
  const token = request.cookies.get(sessionCookieName())?.value;
  try {
    // A malformed or missing token is answered without touching Redis.
    const validation = await sessionStore().validateSession(token);
    if (validation.status === "valid") return NextResponse.next();
  } catch (error) {
    if (isStoreUnavailable(error)) return unavailableResponse();
    throw error;
  }
  return redirectToLogin(request, token !== undefined);
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
  // Everything but static assets and the public pages and endpoints. The other API
  // routes authenticate themselves (bearer or cookie), so they are skipped here
  // rather than checked twice.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|login|signup|api/).*)"],
};
