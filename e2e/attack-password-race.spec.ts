import { expect, test, type APIResponse } from "@playwright/test";
import { bearer } from "./support/api";
import { mainUrl } from "./support/env";
import { freshUser, signUp } from "./support/users";

// A password change must leave nothing alive that the old password opened: sign-ins
// with the old password race the change, and afterwards none of their sessions works.

const WAVES = 8;
const PER_WAVE = 6;

test(`${WAVES * PER_WAVE} old-password sign-ins racing one password change leave no old-password session alive`, async ({ browser, request }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = await signUp(page, freshUser("race"));
  await page.goto("/settings");
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill(`${user.password}-new`);

  // Waves of sign-ins spread over the time the change takes (two argon2 runs).
  const signIns: Promise<APIResponse>[] = [];
  const fire = (async () => {
    for (let wave = 0; wave < WAVES; wave++) {
      for (let i = 0; i < PER_WAVE; i++) signIns.push(request.post(`${mainUrl()}/api/auth/login`, { data: user }));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  })();
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Password changed.");
  await fire;
  const responses = await Promise.all(signIns);

  const tokens: string[] = [];
  for (const response of responses) {
    expect([200, 401, 429]).toContain(response.status());
    if (response.status() === 200) tokens.push(((await response.json()) as { token: string }).token);
  }
  for (const token of tokens) {
    expect((await request.get(`${mainUrl()}/api/me`, { headers: bearer(token) })).status(), "an old-password session is dead").toBe(401);
  }
  // The browser that changed the password holds the one session left.
  await page.goto("/devices");
  await expect(page.getByRole("list", { name: "Active sessions" }).getByRole("listitem")).toHaveCount(1);
  await context.close();
});
