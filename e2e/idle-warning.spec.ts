import { expect, test } from "./support/test";
import { shortIdleUrl } from "./support/env";
import { sessionHashKey } from "./support/keys";
import { expectEndedOnLogin, gotoWithLiveStream } from "./support/live";
import { withRedis } from "./support/redis";
import { freshUser, sessionCookie, signUp, urlPattern } from "./support/users";

// Against the server with SESSION_IDLE_TTL=3: a session there is always within the
// warning window (120 seconds by default), so the dialog opens as soon as a page does.

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

test("a session used in another tab keeps this tab's warning counting instead of signing it out", async ({ page, context }) => {
  const base = shortIdleUrl();
  await signUp(page, freshUser("idle-other-tab"), base);
  await gotoWithLiveStream(page, `${base}/`);
  await expect(page.getByRole("alertdialog", { name: "Are you still there?" })).toBeVisible();

  // Another tab of the same browser uses the session every second for more than
  // twice the 3-second idle timeout. This tab asks the server at zero, sees the
  // expiry has moved, and stays.
  const other = await context.newPage();
  for (let i = 0; i < 7; i++) {
    expect((await other.request.get(`${base}/api/me`)).status()).toBe(200);
    await other.waitForTimeout(1000);
  }
  await expect(page).toHaveURL(urlPattern(base, "/"));
  await expect(page.getByRole("alertdialog", { name: "Are you still there?" })).toBeVisible();

  // Nobody uses it any more: this tab is the one that tells.
  await expectEndedOnLogin(page, base, "Your session expired. Sign in again.", { timeout: 15_000 });
});
