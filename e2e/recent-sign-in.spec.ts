import { expect, test, type Page } from "@playwright/test";
import { apiLogin, bearer } from "./support/api";
import { attackUrl } from "./support/env";
import { ADMIN, expectSignedInHome, formAlert, freshUser, signIn, signUp, type Credentials } from "./support/users";
import { closeContexts } from "./support/contexts";

// "Sudo mode" (ASVS 7.5.1/7.5.2) on the strict server, where a sign-in stays
// recent for 2 seconds (SESSION_FRESH_AGE=2): a fresh session signs out other
// devices in one click; a stale one (an administrator's too) is sent to confirm
// its password first.

const STALE_AFTER_MS = 2500;
const base = attackUrl();
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function twoDevices(browser: import("@playwright/test").Browser): Promise<{ user: Credentials; page: Page; close: () => Promise<void> }> {
  const first = await browser.newContext();
  const user = await signUp(await first.newPage(), freshUser("sudo"), base);
  const second = await browser.newContext();
  const page = await second.newPage();
  await signIn(page, user, base);
  return { user, page, close: async () => closeContexts(first, second) };
}

test("a session that just signed in signs out the other devices in one click", async ({ browser }) => {
  const { page, close } = await twoDevices(browser);
  await page.goto(`${base}/devices`);
  await page.getByRole("button", { name: "Sign out all other devices" }).click();
  await expect(page.getByRole("status")).toContainText("Signed out 1 device.");
  await close();
});

test("a stale session confirms its password first: a wrong one is refused, the right one brings it back and the action is one click", async ({ browser }) => {
  const { user, page, close } = await twoDevices(browser);
  await wait(STALE_AFTER_MS);
  await page.goto(`${base}/devices`);
  await page.getByRole("button", { name: "Sign out all other devices" }).click();
  await expect(page).toHaveURL(`${base}/confirm?next=%2Fdevices`);
  await expect(page.getByRole("heading", { name: "Confirm your password" })).toBeVisible();

  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(formAlert(page)).toHaveText("That password is not correct.");

  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL(`${base}/devices`);
  await page.getByRole("button", { name: "Sign out all other devices" }).click();
  await expect(page.getByRole("status")).toContainText("Signed out 1 device.");
  await close();
});

test("a stale session is sent to confirm before a password change too", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = await signUp(page, freshUser("sudo-pw"), base);
  await wait(STALE_AFTER_MS);
  await page.goto(`${base}/settings`);
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill(`${user.password}-next`);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(`${base}/confirm?next=%2Fsettings`);
  await closeContexts(context);
});

test("a stale administrator confirms the password before \"Sign out everywhere\"; the detour ends nothing", async ({ browser }) => {
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  const user = await signUp(userPage, freshUser("sudo-admin-target"), base);
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, ADMIN, base);
  await wait(STALE_AFTER_MS);

  await admin.goto(`${base}/admin`);
  const row = admin.getByRole("row").filter({ has: admin.getByRole("rowheader", { name: user.email, exact: true }) });
  await row.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(admin).toHaveURL(`${base}/confirm?next=%2Fadmin`);
  await userPage.goto(`${base}/`);
  await expectSignedInHome(userPage, user.email, base);

  await admin.getByLabel("Password").fill(ADMIN.password);
  await admin.getByRole("button", { name: "Confirm" }).click();
  await expect(admin).toHaveURL(`${base}/admin`);
  await row.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(admin.getByRole("status")).toHaveText("Signed out 1 session.");
  await closeContexts(userContext, adminContext);
});

test("wrong confirmations count against the sign-in limit", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, freshUser("sudo-limit"), base);
  for (let i = 0; i < 5; i++) {
    await page.goto(`${base}/confirm?next=%2Fdevices`); // a fresh form each time: no message left from the last try
    await page.getByLabel("Password").fill(`wrong-${i}`);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(formAlert(page)).toHaveText("That password is not correct.");
  }
  await page.goto(`${base}/confirm?next=%2Fdevices`);
  await page.getByLabel("Password").fill("wrong-again");
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(formAlert(page)).toHaveText("Too many attempts. Try again in 15 minutes.");
  await closeContexts(context);
});

test("the API answers 403 reauthentication_required on a stale session until POST /api/auth/confirm", async ({ browser, request }) => {
  const context = await browser.newContext();
  const user = await signUp(await context.newPage(), freshUser("sudo-api"), base);
  await closeContexts(context);
  const { token } = await apiLogin(request, user, "curl/8.5.0", base);
  await wait(STALE_AFTER_MS);

  const stale = await request.delete(`${base}/api/sessions`, { headers: bearer(token) });
  expect(stale.status()).toBe(403);
  expect(await stale.json()).toEqual({ error: "reauthentication_required" });
  const staleDeletion = await request.delete(`${base}/api/me`, { headers: bearer(token), data: { password: user.password } });
  expect(staleDeletion.status(), "the password alone does not make a stale session fresh").toBe(403);
  expect(await staleDeletion.json()).toEqual({ error: "reauthentication_required" });

  const wrong = await request.post(`${base}/api/auth/confirm`, { headers: bearer(token), data: { password: "nope" } });
  expect(wrong.status()).toBe(403);
  const confirmed = await request.post(`${base}/api/auth/confirm`, { headers: bearer(token), data: { password: user.password } });
  expect(confirmed.status()).toBe(200);
  expect(Date.parse(((await confirmed.json()) as { authenticatedAt: string }).authenticatedAt)).toBeGreaterThan(Date.now() - 5000);

  const done = await request.delete(`${base}/api/sessions`, { headers: bearer(token) });
  expect(done.status()).toBe(204);
  expect(done.headers()["revoked-count"]).toBe("1");
});
