import { expect, test } from "@playwright/test";
import { apiLogin, bearer } from "./support/api";
import { mainUrl } from "./support/env";
import { withRedis } from "./support/redis";
import { roundTripsDuring } from "./support/redis-stats";
import { ADMIN, BOB, freshUser, sessionCookie, signIn, signUp } from "./support/users";
import { closeContexts } from "./support/contexts";

// A page view costs one Redis round trip: the proxy checks the session and hands
// its answer to the rendering of the same request. The hand-off travels in a
// request header; a client that sends one itself, claiming someone else's
// session, must get nothing from it.

const HANDOFF_HEADER = "x-session-handoff";

/** A hand-off as a forger would write it: the session of someone else, with a made-up stamp. */
function forgedHandOff(userId: number, sessionId: string): string {
  const claim = { id: sessionId, userId, createdAt: Date.now(), lastSeenAt: Date.now(), endsAt: Date.now() + 3_600_000, ip: "127.0.0.1", browser: "Chrome 142", os: "macOS", device: "desktop", expiresAt: Date.now() + 1_800_000 };
  return `${Buffer.from(JSON.stringify(claim)).toString("base64url")};${Buffer.alloc(32, 7).toString("base64url")}`;
}

test("a signed-in view of / costs exactly one Redis round trip; /devices one plus its listing, its activity log and its key inspector", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, freshUser("rtt"));
  // The counter is the whole server's: no open tab may prefetch the home page's links while it is read.
  await page.close();
  // … and its live stream must be gone, its UNSUBSCRIBE sent, before counting starts.
  await expect.poll(async () => ((await (await context.request.get(`${mainUrl()}/api/health`)).json()) as { live: { listeners: number } }).live.listeners).toBe(0);
  await withRedis(async (redis) => {
    const home = await roundTripsDuring(redis, async () => expect((await context.request.get(`${mainUrl()}/`)).status()).toBe(200));
    expect(home).toBe(1);
    const devices = await roundTripsDuring(redis, async () => expect((await context.request.get(`${mainUrl()}/devices`)).status()).toBe(200));
    // The main server runs in demo mode, so SHOW_REDIS_TRACE is on and the key inspector adds its one pipeline.
    expect(devices, "the check, the listing (the index script and one pipeline of HGETALLs), the activity log (XREVRANGE), the key inspector's pipeline").toBe(5);
  });
  await closeContexts(context);
});

test("a forged hand-off claiming alice's or the admin's session opens no page and no API", async ({ browser, request }) => {
  const admin = await apiLogin(request, ADMIN);
  const { session: adminSession } = (await (await request.get(`${mainUrl()}/api/me`, { headers: bearer(admin.token) })).json()) as {
    session: { id: string };
  };
  const forged = { [HANDOFF_HEADER]: forgedHandOff(admin.user.id, adminSession.id) };

  // No cookie at all: every protected page still sends the visitor to sign in.
  for (const path of ["/", "/devices", "/settings", "/admin"]) {
    const response = await request.get(`${mainUrl()}${path}`, { headers: forged, maxRedirects: 0 });
    expect(response.status(), path).toBe(303);
    expect(response.headers().location).toMatch(/\/login/);
  }
  // The API never takes a hand-off.
  expect((await request.get(`${mainUrl()}/api/me`, { headers: forged })).status()).toBe(401);

  // Bob's own cookie with a hand-off claiming the admin: Bob is who he is.
  const context = await browser.newContext({ extraHTTPHeaders: forged });
  const page = await context.newPage();
  await signIn(page, BOB);
  await expect(page.getByText(`Signed in as ${BOB.email}`)).toBeVisible();
  expect((await page.goto("/admin"))?.status()).toBe(404);
  const bobToken = (await sessionCookie(context))!.value;
  const me = await request.get(`${mainUrl()}/api/me`, { headers: { ...bearer(bobToken), ...forged } });
  expect(((await me.json()) as { user: { email: string } }).user.email).toBe(BOB.email);
  await closeContexts(context);
});
