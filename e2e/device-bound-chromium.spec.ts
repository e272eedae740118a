import { existsSync } from "node:fs";
import { chromium, expect, test, type Browser, type BrowserContext, type Cookie } from "@playwright/test";
import { closeContexts } from "./support/contexts";
import { boundUrl, requiredEnv } from "./support/env";
import { BOUND_COOKIE_TTL_SECONDS } from "./support/servers";
import { deviceBoundChromiumArgs } from "./support/tls";
import { freshUser, SESSION_COOKIE, signUp, urlPattern, type Credentials } from "./support/users";

// Device-bound sessions in a real Chromium (Debian's, headless) with DBSC on and
// software keys (no TPM here), against the production build on https (Chromium
// ignores DBSC on http://, localhost included). The browser does everything
// itself: it answers the sign-in's Secure-Session-Registration, keeps the key,
// and when the short-lived cookie (BOUND_COOKIE_TTL_SECONDS on this server) has
// ended it holds the next request back, signs the refresh challenge and sends
// the request with the new cookie. Nothing here calls the DBSC endpoints.

const BOUND_COOKIE = "__Host-session-bound";

let browser: Browser;

test.beforeAll(async () => {
  const executablePath = existsSync(chromium.executablePath()) ? undefined : (process.env.CHROMIUM_PATH ?? "/usr/bin/chromium");
  browser = await chromium.launch({
    executablePath,
    args: deviceBoundChromiumArgs({ certFile: requiredEnv("E2E_TLS_CERT_FILE"), keyFile: requiredEnv("E2E_TLS_KEY_FILE"), spkiHash: requiredEnv("E2E_TLS_SPKI_HASH") }),
  });
});

test.afterAll(async () => {
  await browser.close();
});

async function cookieOf(context: BrowserContext, name: string): Promise<Cookie | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name === name);
}

/** Signs a new user up through the form (a sign-in like any other: it offers binding) and waits until the browser has bound the session. */
async function signUpBound(context: BrowserContext): Promise<{ user: Credentials; bound: Cookie }> {
  const page = await context.newPage();
  const user = await signUp(page, freshUser("bound"), boundUrl());
  // The browser registers in the background, right after the sign-up's response.
  await expect.poll(async () => (await cookieOf(context, BOUND_COOKIE))?.value ?? "none", { timeout: 15_000 }).not.toBe("none");
  const bound = (await cookieOf(context, BOUND_COOKIE))!;
  return { user, bound };
}

/** Waits, without a request of the browser's, until its short-lived cookie has ended (Chromium drops it from the jar). */
async function waitForBoundCookieToEnd(context: BrowserContext): Promise<void> {
  await expect.poll(async () => (await cookieOf(context, BOUND_COOKIE)) === undefined, { timeout: (BOUND_COOKIE_TTL_SECONDS + 10) * 1000, intervals: [500] }).toBe(true);
}

test("signing in binds the session to a key the browser holds, and the devices page says so", async () => {
  const context = await browser.newContext();
  const { bound } = await signUpBound(context);
  expect(bound.httpOnly).toBe(true);
  expect(bound.secure).toBe(true);
  expect(bound.expires).toBeGreaterThan(Date.now() / 1000);
  expect(bound.expires).toBeLessThanOrEqual(Date.now() / 1000 + BOUND_COOKIE_TTL_SECONDS + 1);

  const page = await context.newPage();
  await page.goto(`${boundUrl()}/devices`);
  const thisDevice = page.getByRole("listitem").filter({ hasText: "This device" });
  await expect(thisDevice.getByText("Bound to this device's key")).toBeVisible();
  await expect(page.getByText(/bound its session to its key/)).toBeVisible(); // the activity log
  await closeContexts(context);
});

test("the short-lived cookie is refreshed after its lifetime without the user noticing", async () => {
  const context = await browser.newContext();
  const { bound } = await signUpBound(context);
  // Close every page: an open page's requests would refresh the cookie before it ends.
  for (const open of context.pages()) await open.close();
  await waitForBoundCookieToEnd(context);

  // The next navigation waits for the browser's refresh (challenge, signed proof, new cookie), then goes out with it.
  const page = await context.newPage();
  await page.goto(`${boundUrl()}/devices`);
  await expect(page).toHaveURL(urlPattern(boundUrl(), "/devices"));
  await expect(page.getByRole("heading", { name: "Devices", exact: true })).toBeVisible();
  const renewed = await cookieOf(context, BOUND_COOKIE);
  expect(renewed?.value).toBeDefined();
  expect(renewed?.value).not.toBe(bound.value);
  // Still the same session: refreshed, not signed in again.
  await expect(page.getByRole("listitem").filter({ hasText: "This device" }).getByText("Bound to this device's key")).toBeVisible();
  await closeContexts(context);
});

test("a copied long-lived cookie in another browser context is signed out once the short one has ended", async () => {
  const owner = await browser.newContext();
  await signUpBound(owner);
  // The owner's pages make no request meanwhile, so its short cookie is not refreshed under the thief's feet.
  for (const open of owner.pages()) await open.close();
  const stolen = (await cookieOf(owner, SESSION_COOKIE))!;
  const bound = (await cookieOf(owner, BOUND_COOKIE))!;

  // The thief's context has no key: the long-lived cookie alone is refused (once
  // the few seconds after registration, when the owner's browser may not hold its short cookie yet, are over).
  const thief = await browser.newContext();
  await thief.addCookies([stolen]);
  const thiefPage = await thief.newPage();
  await expect
    .poll(
      async () => {
        await thiefPage.goto(`${boundUrl()}/devices`);
        return new URL(thiefPage.url()).pathname;
      },
      { timeout: 15_000, intervals: [1000] },
    )
    .toBe("/login");

  // With the short cookie copied too, it works only until that cookie has ended.
  await thief.addCookies([bound]);
  await thiefPage.goto(`${boundUrl()}/devices`);
  await expect(thiefPage).toHaveURL(urlPattern(boundUrl(), "/devices"));
  await expect
    .poll(
      async () => {
        await thiefPage.goto(`${boundUrl()}/devices`);
        return new URL(thiefPage.url()).pathname;
      },
      { timeout: (BOUND_COOKIE_TTL_SECONDS + 15) * 1000, intervals: [1000] },
    )
    .toBe("/login");

  // The owner's browser refreshes with its key and carries on.
  const ownerPage = await owner.newPage();
  await ownerPage.goto(`${boundUrl()}/devices`);
  await expect(ownerPage).toHaveURL(urlPattern(boundUrl(), "/devices"));
  await expect(ownerPage.getByRole("heading", { name: "Devices", exact: true })).toBeVisible();
  await closeContexts(owner, thief);
});
