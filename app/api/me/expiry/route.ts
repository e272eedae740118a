import { json, unauthorized, unavailable, iso } from "@/lib/web/api";
import { readCredential } from "@/lib/web/credential";
import { runtime } from "@/lib/runtime";
import { unlessOutage } from "@/lib/web/outage";

/**
 * GET /api/me/expiry: when the caller's session ends unless used, WITHOUT using
 * it (every other call slides the expiry). The idle warning asks this, so a tab
 * that only watches the clock never keeps its session alive, and learns of
 * activity in other tabs of the same session. 401 once the session has ended.
 */
export async function GET(request: Request): Promise<Response> {
  const credential = readCredential(request.headers, "bearer-or-cookie");
  const token = credential?.token;
  if (!token) return unauthorized();
  return unlessOutage(async () => {
    const expiry = await runtime().sessions.peekExpiry(token, credential.boundCookie);
    return expiry ? json({ expiresAt: iso(expiry.expiresAt), now: iso(expiry.now), expiresInMs: expiry.expiresAt - expiry.now }) : unauthorized();
  }, unavailable);
}
