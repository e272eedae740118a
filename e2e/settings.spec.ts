import { expect, test } from "@playwright/test";
import { CHROME_ON_MAC, FIREFOX_ON_WINDOWS, SAFARI_ON_IPHONE, closeAll, signedInDevices } from "./support/devices";
import { expectSentToLogin, formAlert, sessionCookie, signIn, signOut, submitSignIn, SESSION_COOKIE } from "./support/users";
import { TOKEN_PATTERN } from "./support/keys";
import { closeContexts } from "./support/contexts";

test("changing the password signs out the other devices and gives this one a new token", async ({ browser }) => {
  const { user, devices } = await signedInDevices(browser, [CHROME_ON_MAC, FIREFOX_ON_WINDOWS, SAFARI_ON_IPHONE]);
  try {
    const [mine, ...others] = devices;
    const oldCookie = await sessionCookie(mine.context);
    await mine.page.goto("/");
    await mine.page.getByRole("link", { name: "Settings" }).click();
    await mine.page.getByLabel("Current password").fill(user.password);
    await mine.page.getByLabel("New password").fill("a-brand-new-password");
    await mine.page.getByRole("button", { name: "Change password" }).click();
    await expect(mine.page.getByRole("status")).toHaveText("Password changed. Signed out 2 other devices.");

    const newCookie = await sessionCookie(mine.context);
    expect(newCookie?.value).toMatch(TOKEN_PATTERN);
    expect(newCookie?.value).not.toBe(oldCookie?.value);
    for (const other of others) await expectSentToLogin(other.page, "/devices");
    await mine.page.goto("/devices");
    await expect(mine.page.getByRole("list", { name: "Active sessions" }).getByRole("listitem")).toHaveCount(1);

    // The rotated-out token is dead too: replay it in a clean browser.
    const replay = await browser.newContext();
    await replay.addCookies([{ ...oldCookie!, name: SESSION_COOKIE }]);
    await expectSentToLogin(await replay.newPage(), "/devices");
    await closeContexts(replay);

    await signOut(mine.page);
    await submitSignIn(mine.page, user);
    await expect(formAlert(mine.page)).toHaveText("Invalid email or password");
    await signIn(mine.page, { email: user.email, password: "a-brand-new-password" });
  } finally {
    await closeAll(devices);
  }
});

test("a wrong current password changes nothing", async ({ browser }) => {
  const { user, devices } = await signedInDevices(browser, [CHROME_ON_MAC, FIREFOX_ON_WINDOWS]);
  try {
    const [mine, other] = devices;
    await mine.page.goto("/settings");
    await mine.page.getByLabel("Current password").fill("not-my-password");
    await mine.page.getByLabel("New password").fill("a-brand-new-password");
    await mine.page.getByRole("button", { name: "Change password" }).click();
    await expect(formAlert(mine.page)).toHaveText("Your current password is not correct. Nothing was changed.");

    await other.page.goto("/devices");
    await expect(other.page.getByRole("heading", { name: "Devices" })).toBeVisible();
    await signOut(other.page);
    await signIn(other.page, user); // the old password still works
  } finally {
    await closeAll(devices);
  }
});
