import { NextResponse, type NextRequest } from "next/server";
import { runtime } from "./lib/runtime";
import { boundCookieName, readCredential, sessionCookieAttributes, sessionCookieName } from "./lib/web/credential";
import { contentSecurityPolicy, crossSitePage, isSameOrigin, isUnreadableForm, newNonce, outagePage, unreadableFormPage } from "./lib/web/gate";
import { dropEndNotice, dropHandOff, handOff, setEndNotice } from "./lib/web/handoff";
import { unlessOutage } from "./lib/web/outage";

// The gate in front of every page (the design's "middleware": Next 16 calls the
// file proxy.ts and runs it on Node.js, so ioredis works here). For a protected
// page it costs the one Redis round trip of the page view, and no query to the
// users database (the session carries its user): its answer is handed to the
// rendering (lib/web/handoff.ts), which does not ask again.

/** Pages anyone may see, with no session check. (/login is public too, with a branch of its own: loginPage.) */
const PUBLIC_PAGES = new Set(["/signup", "/how-it-works"]);

export async function proxy(request: NextRequest): Promise<Response> {
  // Server actions are POSTs to pages. One from another site is refused here,
  // before Next.js' own Origin check and before any Redis call.
  if (request.method !== "GET" && request.method !== "HEAD" && !isSameOrigin(request)) return crossSitePage();
  if (await isUnreadableForm(request)) return unreadableFormPage();

  const nonce = newNonce();
  const policy = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const forward = new Headers(request.headers);
  dropHandOff(forward); // only this proxy writes these two
  dropEndNotice(forward);
  forward.set("content-security-policy", policy);
  if (request.nextUrl.pathname === "/login") return loginPage(request, forward, policy);
  if (PUBLIC_PAGES.has(request.nextUrl.pathname)) return pass(forward, policy);

  const checked = await unlessOutage(async () => {
    // A malformed or missing token is answered without touching Redis.
    const credential = readCredential(request.headers, "cookie");
    const validation = await runtime().sessions.validateSession(credential?.token, credential?.boundCookie);
    return validation.status === "valid" ? validation.session : undefined;
  }, (message) => ({ outage: message }));
  if (checked && "outage" in checked) return outagePage(checked.outage);
  if (checked === undefined) return redirectToLogin(request);
  handOff(forward, checked);
  return pass(forward, policy);
}

/** Lets the request through; Next.js reads the policy from the request to put the nonce on its scripts. */
function pass(forward: Headers, policy: string): NextResponse {
  const response = NextResponse.next({ request: { headers: forward } });
  response.headers.set("content-security-policy", policy);
  return response;
}

/**
 * The sign-in page. A browser that still sends the cookie of an ended session is
 * told why (lib/web/handoff.ts: one Redis call, only for a well-formed cookie that is
 * not live) and the dead cookie is cleared. Redis unavailable: the form is shown
 * without the reason (signing in will answer with the outage page).
 */
async function loginPage(request: NextRequest, forward: Headers, policy: string): Promise<Response> {
  // Only the page a person will read gets the reason and spends the cookie: not
  // a prefetch or a router fetch racing the tab's own navigation (non-browser
  // clients send no Sec-Fetch-Mode and count as navigations).
  const navigation = (request.headers.get("sec-fetch-mode") ?? "navigate") === "navigate";
  if (!navigation) return pass(forward, policy);
  return unlessOutage(
    async () => {
      const credential = readCredential(request.headers, "cookie");
      if (!credential) return pass(forward, policy);
      const reason = await runtime().sessions.endReason(credential.token);
      if (reason === "live") return pass(forward, policy);
      if (reason) setEndNotice(forward, reason);
      const response = pass(forward, policy);
      response.cookies.set(sessionCookieName(), "", sessionCookieAttributes(0));
      if (credential.boundCookie !== undefined) response.cookies.set(boundCookieName(), "", sessionCookieAttributes(0));
      return response;
    },
    () => pass(forward, policy),
  );
}

/** The cookie stays: the sign-in page reads why its session ended, then clears it. */
function redirectToLogin(request: NextRequest): Response {
  const login = new URL("/login", request.url);
  const { pathname, search } = request.nextUrl;
  if (pathname !== "/") login.searchParams.set("next", `${pathname}${search}`);
  return NextResponse.redirect(login, 303);
}

export const config = {
  // Every page, public ones included (they need the policy too); not static
  // assets (the icon is one: a signed-out tab's icon request must not be sent to
  // /login and spend the cookie there), and not the API routes, which authenticate themselves (bearer or
  // cookie) so the check is not done twice.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt|api/).*)"],
};
