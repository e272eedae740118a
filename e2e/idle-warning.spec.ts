import { expect, test } from "./support/test";
import { shortIdleUrl } from "./support/env";
import { sessionHashKey } from "./support/keys";
import { expectEndedOnLogin, gotoWithLiveStream } from "./support/live";
import { withRedis } from "./support/redis";
import { freshUser, sessionCookie, signUp, urlPattern } from "./support/users";

// Against the server with SESSION_IDLE_TTL=3: the warning (120 seconds by default)
// is clamped to half the idle timeout, so the dialog opens 1.5 seconds after the
// last use of the session.

test("the idle warning offers to stay signed in, and staying slides the session's expiry in Redis", async ({ page, context }) => {
  const base = shortIdleUrl();
  await signUp(page, freshUser("idle-warning"), base);
  // Once the page and its live stream have opened (both use the session), nothing
  // but "Stay signed in" uses it: the dialog asks the expiry without sliding it.
  await gotoWithLiveStream(page, `${base}/`);
  const dialog = page.getByRole("alertdialog", { name: "Are you still there?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Sign out" })).toBeVisible();

  const key = sessionHashKey((await sessionCookie(context))!.value);
  const before = await withRedis((client) => client.pexpiretime(key));
  expect(before).toBeGreaterThan(0);
  await dialog.getByRole("button", { name: "Stay signed in" }).click();
  await expect.poll(() => withRedis((client) => client.pexpiretime(key))).toBeGreaterThan(before);
  // …and the dialog closes, not to open again at once (a warning longer than the
  // time a fresh session has left would be open again the moment it closed).
  await expect(dialog).toBeHidden();
  await page.waitForTimeout(700);
  expect(await dialog.isVisible(), "still closed 0.7 s after staying").toBe(false);
});

test("an ignored idle warning ends on /login with the expiry message", async ({ page }) => {
  const base = shortIdleUrl();
  await signUp(page, freshUser("idle-ignored"), base);
  await expect(page.getByRole("alertdialog", { name: "Are you still there?" })).toBeVisible();
  await expectEndedOnLogin(page, base, "Your session expired. Sign in again.", { timeout: 15_000 });
});

test("the dialog's Sign out ends the session", async ({ page }) => {
  const base = shortIdleUrl();
  await signUp(page, freshUser("idle-out"), base);
  await page.getByRole("alertdialog", { name: "Are you still there?" }).getByRole("button", { name: "Sign out" }).click();
  await expectEndedOnLogin(page, base, "You signed out.", { path: "/login?signedOut=1" });
});

test("a session used in another tab keeps this tab signed in instead of signing it out", async ({ page, context }) => {
  const base = shortIdleUrl();
  await signUp(page, freshUser("idle-other-tab"), base);
  await gotoWithLiveStream(page, `${base}/`);
  await expect(page.getByRole("alertdialog", { name: "Are you still there?" })).toBeVisible();

  // Another tab of the same browser uses the session every second for more than
  // twice the 3-second idle timeout. This tab asks the server before it would
  // sign out, sees the expiry has moved, and stays.
  const other = await context.newPage();
  for (let i = 0; i < 7; i++) {
    expect((await other.request.get(`${base}/api/me`)).status()).toBe(200);
    await other.waitForTimeout(1000);
  }
  await expect(page).toHaveURL(urlPattern(base, "/"));

  // Nobody uses it any more: this tab is the one that tells.
  await expectEndedOnLogin(page, base, "Your session expired. Sign in again.", { timeout: 15_000 });
});
