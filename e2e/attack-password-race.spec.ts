import { expect, test, type APIResponse } from "@playwright/test";
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

test(`${WAVES * PER_WAVE} old-password sign-ins racing one password change leave no old-password session alive`, async ({ browser, request }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = await signUp(page, freshUser("race"), base);
  await page.goto(`${base}/settings`);
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill(`${user.password}-new`);

  // Waves of sign-ins spread over the time the change takes (two argon2 runs).
  const signIns: Promise<APIResponse>[] = [];
  const fire = (async () => {
    for (let wave = 0; wave < WAVES; wave++) {
      for (let i = 0; i < PER_WAVE; i++) {
        const headers = { "x-forwarded-for": `198.51.100.${wave * PER_WAVE + i + 1}` };
        signIns.push(request.post(`${base}/api/auth/login`, { data: user, headers }));
      }
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  })();
  await page.getByRole("button", { name: "Change password" }).click();
  // (The old-password sign-ins also raise "New sign-in" notices on this page: another status.)
  await expect(page.getByRole("status").filter({ hasText: "Password changed." })).toHaveCount(1);
  await fire;
  const responses = await Promise.all(signIns);

  const tokens: string[] = [];
  for (const response of responses) {
    expect([200, 401, 429], `a sign-in answered ${response.status()}: ${await response.text()}`).toContain(response.status());
    if (response.status() === 200) tokens.push(((await response.json()) as { token: string }).token);
  }
  for (const token of tokens) {
    expect((await request.get(`${base}/api/me`, { headers: bearer(token) })).status(), "an old-password session is dead").toBe(401);
  }
  // The browser that changed the password holds the one session left.
  await page.goto(`${base}/devices`);
  await expect(page.getByRole("list", { name: "Active sessions" }).getByRole("listitem")).toHaveCount(1);
  await closeContexts(context);
});
