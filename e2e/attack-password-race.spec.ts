import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { bearer } from "./support/api";
import { proxiedUrl } from "./support/env";
import { freshUser, signUp } from "./support/users";
import { closeContexts } from "./support/contexts";

// A password change must leave nothing alive that the old password opened: sign-ins
// with the old password race the change, and afterwards none of their sessions works.
// On the proxied server, each sign-in from an address of its own (through the
// trusted hop), so the per-email+IP limit counts none of them against the change.

const base = proxiedUrl();

const WAVES = 8;
const PER_WAVE = 6;
/** Sign-ins with the old password made, and answered 200, before the change starts: the sessions the change must end. */
const BEFORE = 6;

const signInFrom = (request: APIRequestContext, data: { email: string; password: string }, address: string): Promise<APIResponse> =>
  request.post(`${base}/api/auth/login`, { data, headers: { "x-forwarded-for": address } });

test(`${BEFORE} old-password sessions, and ${WAVES * PER_WAVE} old-password sign-ins racing one password change, leave no old-password session alive`, async ({ browser, request }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = await signUp(page, freshUser("race"), base);

  // Before the change: these must all sign in, or the test proves nothing about ending them.
  const before = await Promise.all(Array.from({ length: BEFORE }, (_, i) => signInFrom(request, user, `203.0.113.${i + 1}`)));
  const tokens: string[] = [];
  for (const response of before) {
    expect(response.status(), `an old-password sign-in before the change: ${await response.text()}`).toBe(200);
    tokens.push(((await response.json()) as { token: string }).token);
  }
  for (const token of tokens) expect((await request.get(`${base}/api/me`, { headers: bearer(token) })).status(), "a session made before the change works until it").toBe(200);

  await page.goto(`${base}/settings`);
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill(`${user.password}-new`);

  // Waves of sign-ins spread over the time the change takes (two argon2 runs).
  const signIns: Promise<APIResponse>[] = [];
  const fire = (async () => {
    for (let wave = 0; wave < WAVES; wave++) {
      for (let i = 0; i < PER_WAVE; i++) signIns.push(signInFrom(request, user, `198.51.100.${wave * PER_WAVE + i + 1}`));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  })();
  await page.getByRole("button", { name: "Change password" }).click();
  // (The old-password sign-ins also raise "New sign-in" notices on this page: another status.)
  await expect(page.getByRole("status").filter({ hasText: "Password changed." })).toHaveCount(1);
  await fire;
  const responses = await Promise.all(signIns);

  let racedIn = 0;
  for (const response of responses) {
    expect([200, 401, 429], `a sign-in answered ${response.status()}: ${await response.text()}`).toContain(response.status());
    if (response.status() === 200) {
      racedIn++;
      tokens.push(((await response.json()) as { token: string }).token);
    }
  }
  test.info().annotations.push({ type: "race", description: `${racedIn} of ${responses.length} racing sign-ins got a session before the change ended them` });
  for (const token of tokens) {
    expect((await request.get(`${base}/api/me`, { headers: bearer(token) })).status(), "an old-password session is dead").toBe(401);
  }
  // The browser that changed the password holds the one session left.
  await page.goto(`${base}/devices`);
  await expect(page.getByRole("list", { name: "Active sessions" }).getByRole("listitem")).toHaveCount(1);
  await closeContexts(context);
});
