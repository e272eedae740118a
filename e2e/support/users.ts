import { randomBytes } from "node:crypto";
import { expect, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { mainUrl } from "./env";

// Signing up, in and out through the real forms, as a user would.

export const SESSION_COOKIE = "__Host-session";

export type Credentials = { email: string; password: string };

export const ALICE: Credentials = { email: "alice@example.com", password: "alice-demo-pass" };
export const BOB: Credentials = { email: "bob@example.com", password: "bob-demo-pass" };
export const ADMIN: Credentials = { email: "admin@example.com", password: "admin-demo-pass" };

/** A user nobody has created yet: sessions pile up in the shared Redis, so tests that count use these. */
export function freshUser(prefix = "u"): Credentials {
  return {
    email: `${prefix}-${Date.now()}-${randomBytes(4).toString("hex")}@example.com`,
    password: `pw-${randomBytes(6).toString("hex")}`,
  };
}

/** `baseUrl` is empty for the context's baseURL, or the origin of another server. */
function at(baseUrl: string, path: string): string {
  return `${baseUrl}${path}`;
}

/** Fills and submits the sign-up form; does not check where it lands. */
export async function submitSignUp(page: Page, user: Credentials, baseUrl = ""): Promise<void> {
  await page.goto(at(baseUrl, "/signup"));
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** Creates the account and checks the browser lands on / signed in as it. */
export async function signUp(page: Page, user: Credentials = freshUser(), baseUrl = ""): Promise<Credentials> {
  await submitSignUp(page, user, baseUrl);
  await expectSignedInHome(page, user.email, baseUrl);
  return user;
}

/** Fills and submits the sign-in form on the page it is on (or opens /login first). */
export async function submitSignIn(page: Page, user: Credentials, options: { baseUrl?: string; open?: boolean } = {}): Promise<void> {
  if (options.open ?? true) await page.goto(at(options.baseUrl ?? "", "/login"));
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in from /login and checks the browser lands on / signed in as the user. */
export async function signIn(page: Page, user: Credentials, baseUrl = ""): Promise<void> {
  await submitSignIn(page, user, { baseUrl });
  await expectSignedInHome(page, user.email, baseUrl);
}

export async function expectSignedInHome(page: Page, email: string, baseUrl = ""): Promise<void> {
  await expect(page).toHaveURL(urlPattern(baseUrl, "/"));
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
}

/** Clicks "Sign out" on / and checks the browser lands on /login ("You signed out."). */
export async function signOut(page: Page, baseUrl = ""): Promise<void> {
  await page.goto(at(baseUrl, "/"));
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(urlPattern(baseUrl, "/login?signedOut=1"));
}

/**
 * Checks that a navigation to `path` is sent to the sign-in page (with ?next= for
 * any path but /). A page still open on a session that just ended may be moving
 * to /login by itself (its live stream was told): a navigation of ours that it
 * interrupts is made again once it has landed.
 */
export async function expectSentToLogin(page: Page, path: string, baseUrl = ""): Promise<void> {
  await gotoPast(page, at(baseUrl, path));
  const expected = path === "/" ? "/login" : `/login?next=${encodeURIComponent(path)}`;
  await expect(page).toHaveURL(urlPattern(baseUrl, expected));
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
}

/**
 * The form's message (role="alert" with text). Next.js keeps a role="alert" route
 * announcer on every page (empty, or the new page's title after a client-side
 * navigation), which this leaves out.
 */
export function formAlert(page: Page): Locator {
  return page.locator('[role="alert"]:not(#__next-route-announcer__)').filter({ hasText: /\S/ });
}

/** The session cookie the context holds, or undefined. */
export async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
}

/** Matches exactly `path` (including its query) on the given origin (the main server when empty). */
export function urlPattern(baseUrl: string, path: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escape(baseUrl || mainUrl())}${escape(path)}$`);
}

/** page.goto, made again (twice at most) when the page's own navigation interrupted it. */
export async function gotoPast(page: Page, url: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await page.goto(url);
      return;
    } catch (error) {
      if (attempt >= 2 || !/interrupted by another navigation|net::ERR_ABORTED/.test(String(error))) throw error;
      await page.waitForLoadState();
    }
  }
}
