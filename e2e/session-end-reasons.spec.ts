import { expect, test } from "./support/test";
import { CHROME_ON_MAC, FIREFOX_ON_WINDOWS, itemOf, openDevices, signedInDevices, closeAll } from "./support/devices";
import { mainUrl } from "./support/env";
import { expectEndedOnLogin, gotoWithLiveStream } from "./support/live";
import { ADMIN, freshUser, SESSION_COOKIE, sessionCookie, signIn, signUp, urlPattern } from "./support/users";
import { closeContexts } from "./support/contexts";

// The sign-in page says why a session ended, from the marker the ending left in
// Redis, for a browser that comes back with the dead cookie: pushed to an open tab,
// or on the next reload without JavaScript. Nobody else can put words there.

test("signing out says so, clears the cookie, and another browser holding the same session is told too", async ({ browser, page, context }) => {
  await signUp(page, freshUser("reason-out"));
  const token = (await sessionCookie(context))!.value;
  // The same session in another browser (a copied cookie), its page open.
  const copy = await browser.newContext();
  try {
    await copy.addCookies([{ name: SESSION_COOKIE, value: token, url: mainUrl().replace(/^http:/, "https:"), httpOnly: true, secure: true, sameSite: "Lax" }]);
    const copyPage = await copy.newPage();
    await gotoWithLiveStream(copyPage, `${mainUrl()}/devices`);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expectEndedOnLogin(page, mainUrl(), "You signed out.", { path: "/login?signedOut=1" });
    expect(await sessionCookie(context)).toBeUndefined();
    // The other browser learns it from the marker the sign-out left, and its cookie is spent there.
    await expectEndedOnLogin(copyPage, mainUrl(), "You signed out.", { path: `/login?next=${encodeURIComponent("/devices")}` });
    expect(await sessionCookie(copy)).toBeUndefined();
    await copyPage.reload();
    await expect(copyPage.getByRole("status")).toHaveCount(0);
  } finally {
    await closeContexts(copy);
  }
});

test("an administrator's sweep sends the user's open tab to /login with its reason", async ({ browser, page }) => {
  const user = freshUser("reason-admin");
  const context = await browser.newContext();
  try {
    const userPage = await context.newPage();
    await signUp(userPage, user);
    await gotoWithLiveStream(userPage, `${mainUrl()}/settings`);

    await signIn(page, ADMIN);
    await page.goto("/admin");
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: user.email, exact: true }) });
    await row.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page.getByRole("status")).toHaveText("Signed out 1 session.");

    await expect(userPage).toHaveURL(urlPattern(mainUrl(), `/login?next=${encodeURIComponent("/settings")}`));
    await expect(userPage.getByRole("status")).toHaveText("An administrator signed you out.");
  } finally {
    await closeContexts(context);
  }
});

test("without JavaScript, the reload after a revoke lands on /login with the reason", async ({ browser }) => {
  const { user, devices } = await signedInDevices(browser, [CHROME_ON_MAC]);
  const plain = await browser.newContext({ javaScriptEnabled: false, userAgent: FIREFOX_ON_WINDOWS.userAgent });
  try {
    const plainPage = await plain.newPage();
    await signIn(plainPage, user);
    const items = await openDevices(devices[0].page);
    await itemOf(items, FIREFOX_ON_WINDOWS).getByRole("button", { name: "Revoke" }).click();
    await expect(devices[0].page.getByRole("status")).toHaveText("Signed out 1 device.");

    await plainPage.reload();
    await expectEndedOnLogin(plainPage, mainUrl(), "You were signed out from another device.");
  } finally {
    await closeContexts(plain);
    await closeAll(devices);
  }
});

test("a forged reason header puts nothing on the sign-in page", async ({ request }) => {
  for (const reason of ["admin", "revoked", "expired", "signed-out"]) {
    const response = await request.get("/login", { headers: { "x-session-ended": reason } });
    expect(response.status()).toBe(200);
    const html = await response.text();
    expect(html).not.toContain("An administrator signed you out.");
    expect(html).not.toContain("You were signed out from another device.");
    expect(html).not.toContain("Your session expired.");
    expect(html).not.toContain("You signed out.");
  }
});
