import { randomBytes } from "node:crypto";
import type { BrowserContext } from "@playwright/test";
import { expect, test } from "./support/test";
import { mainUrl } from "./support/env";
import {
  ALICE,
  BOB,
  SESSION_COOKIE,
  expectSentToLogin,
  expectSignedInHome,
  formAlert,
  sessionCookie,
  signIn,
  signOut,
  submitSignIn,
  urlPattern,
} from "./support/users";
import { TOKEN_PATTERN } from "./support/keys";
import { closeContexts } from "./support/contexts";

const TOKEN_SHAPE = TOKEN_PATTERN;

/**
 * Puts a session cookie into the context the way the app's Set-Cookie would have
 * (host-only, Secure, HttpOnly, Lax). The https origin only makes Chromium accept
 * `Secure`; cookies are not bound to a scheme or port, so the app on
 * http://localhost:<port> receives it.
 */
async function plantSessionCookie(context: BrowserContext, value: string): Promise<void> {
  const url = mainUrl().replace(/^http:/, "https:");
  await context.addCookies([{ name: SESSION_COOKIE, value, url, httpOnly: true, secure: true, sameSite: "Lax" }]);
}

test("signing in sets a hardened session cookie, and signing out kills it for good", async ({ browser, page, context }) => {
  await signIn(page, ALICE);

  const cookie = await sessionCookie(context);
  expect(cookie, `a ${SESSION_COOKIE} cookie after sign-in`).toBeDefined();
  expect(cookie!.httpOnly).toBe(true);
  expect(cookie!.secure).toBe(true);
  expect(cookie!.sameSite).toBe("Lax");
  expect(cookie!.path).toBe("/");
  expect(cookie!.value).toMatch(TOKEN_SHAPE);

  // A copy of the cookie in another browser (stolen, or kept by a misbehaving client) works while the session lives…
  const copy = await browser.newContext();
  try {
    await plantSessionCookie(copy, cookie!.value);
    const copyPage = await copy.newPage();
    await copyPage.goto("/");
    await expectSignedInHome(copyPage, ALICE.email);

    await signOut(page);
    expect(await sessionCookie(context), "the cookie is cleared on sign-out").toBeUndefined();
    await expectSentToLogin(page, "/");

    // …and is dead once the session is signed out, in that browser and put back into this one.
    await expectSentToLogin(copyPage, "/");
    await plantSessionCookie(context, cookie!.value);
    await expectSentToLogin(page, "/");
    await plantSessionCookie(context, cookie!.value);
    await expectSentToLogin(page, "/devices");
  } finally {
    await closeContexts(copy);
  }
});

test("a wrong password and an unknown email get the same answer", async ({ page, context }) => {
  await submitSignIn(page, { email: ALICE.email, password: "not-alices-password" });
  const wrongPassword = formAlert(page);
  await expect(wrongPassword).toHaveText("Invalid email or password");
  await expect(page).toHaveURL(urlPattern("", "/login"));

  await submitSignIn(page, { email: `nobody-${randomBytes(4).toString("hex")}@example.com`, password: "whatever-password" });
  const unknownEmail = formAlert(page);
  await expect(unknownEmail).toHaveText("Invalid email or password");
  await expect(page).toHaveURL(urlPattern("", "/login"));

  expect(await sessionCookie(context), "no session after failed sign-ins").toBeUndefined();
});

test("a protected page sends a signed-out visitor to /login and back after sign-in", async ({ page }) => {
  await expectSentToLogin(page, "/devices");
  await submitSignIn(page, ALICE, { open: false });
  await expect(page).toHaveURL(urlPattern("", "/devices"));
  await expect(page.getByRole("heading", { name: "Devices" })).toBeVisible();
});

test("the login page is not an open redirect", async ({ page, context }) => {
  // Should the app ever leave the site, land somewhere recognisable instead of the network.
  await context.route(/^https?:\/\/evil\.example/, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil.example</h1>" }),
  );
  for (const next of ["//evil.example", "https://evil.example"]) {
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await submitSignIn(page, ALICE, { open: false });
    await expectSignedInHome(page, ALICE.email);
  }
});

test("malformed session cookies are treated as signed out", async ({ page, context }) => {
  const malformed = {
    "one character short": randomBytes(32).toString("base64url").slice(0, 42),
    "one character long": `${randomBytes(32).toString("base64url")}A`,
    garbage: "%%%not-a-token!!!***",
    "huge (3000 characters)": "A".repeat(3000),
    "well-formed but unknown": randomBytes(32).toString("base64url"),
  };
  for (const [kind, value] of Object.entries(malformed)) {
    await test.step(kind, async () => {
      await context.clearCookies();
      await plantSessionCookie(context, value);
      expect((await sessionCookie(context))?.value, "the browser holds the planted cookie").toBe(value);
      await expectSentToLogin(page, "/devices");
      await plantSessionCookie(context, value);
      await expectSentToLogin(page, "/");
    });
  }
});

test("signing in ends the session whose cookie the browser already held (no fixation)", async ({ browser }) => {
  const attacker = await browser.newContext();
  const victim = await browser.newContext();
  try {
    const attackerPage = await attacker.newPage();
    await signIn(attackerPage, ALICE);
    const planted = (await sessionCookie(attacker))!.value;

    // The attacker's valid cookie ends up in the victim's browser, who then signs in.
    await plantSessionCookie(victim, planted);
    const victimPage = await victim.newPage();
    await signIn(victimPage, BOB);
    const victimToken = (await sessionCookie(victim))!.value;
    expect(victimToken).toMatch(TOKEN_SHAPE);
    expect(victimToken, "sign-in issues a new token").not.toBe(planted);

    // The planted session is gone: the attacker's copy signs nobody in any more.
    await expectSentToLogin(attackerPage, "/");
    // And the victim's own session works.
    await victimPage.goto("/");
    await expectSignedInHome(victimPage, BOB.email);
  } finally {
    await closeContexts(attacker);
    await closeContexts(victim);
  }
});
