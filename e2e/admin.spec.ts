import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { CHROME_ON_MAC, FIREFOX_ON_WINDOWS, closeAll, signedInDevices, type Device } from "./support/devices";
import { ADMIN, ALICE, BOB, expectSentToLogin, expectSignedInHome, signIn, urlPattern } from "./support/users";

/** The table row whose row header is this user's email (an administrator's says so after it: "… (admin)"). */
function userRow(page: Page, email: string): Locator {
  const header = page.getByRole("rowheader", { name: email, exact: true }).or(page.getByRole("rowheader", { name: `${email} (admin)`, exact: true }));
  return page.getByRole("row").filter({ has: header });
}

/** The "Active sessions" cell of a user's row, found by its column header. */
async function sessionCountCell(page: Page, email: string): Promise<Locator> {
  const headers = await page.getByRole("columnheader").allInnerTexts();
  const column = headers.findIndex((header) => /active sessions/i.test(header));
  expect(column, `an "Active sessions" column among ${JSON.stringify(headers)}`).toBeGreaterThanOrEqual(0);
  return userRow(page, email).locator("th, td").nth(column);
}

let open: Device[] = [];
test.afterEach(async () => {
  await closeAll(open);
  open = [];
});

test("a user who is not an admin gets a 404 for /admin", async ({ page }) => {
  await signIn(page, ALICE);
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("table")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Sign out everywhere" })).toHaveCount(0);
});

test("an admin sees every user's session count and can sign one user out everywhere", async ({ browser, page }) => {
  // A fresh user on two browsers, and alice on one (so her count is at least 1).
  const { user, devices } = await signedInDevices(browser, [CHROME_ON_MAC, FIREFOX_ON_WINDOWS]);
  open = devices;
  const alice = await browser.newContext();
  open.push({ agent: CHROME_ON_MAC, context: alice, page: await alice.newPage() });
  const alicePage = open[open.length - 1].page;
  await signIn(alicePage, ALICE);

  await signIn(page, ADMIN);
  await page.getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL(urlPattern("", "/admin"));
  await expect(page.getByRole("table")).toBeVisible();

  for (const email of [ALICE.email, BOB.email]) {
    await expect(userRow(page, email)).toHaveCount(1);
    await expect(await sessionCountCell(page, email)).toHaveText(/^\s*\d+\s*$/);
    await expect(userRow(page, email).getByRole("button", { name: "Sign out everywhere" })).toBeVisible();
  }
  const aliceCount = Number((await (await sessionCountCell(page, ALICE.email)).innerText()).trim());
  expect(aliceCount).toBeGreaterThanOrEqual(1);
  await expect(await sessionCountCell(page, user.email)).toHaveText(/^\s*2\s*$/);

  await userRow(page, user.email).getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page.getByRole("status")).toHaveText("Signed out 2 sessions.");
  await expect(await sessionCountCell(page, user.email)).toHaveText(/^\s*0\s*$/);

  // Both of the user's browsers are signed out on their next request; nobody else is.
  await expectSentToLogin(devices[0].page, "/");
  await expectSentToLogin(devices[1].page, "/devices");
  await alicePage.goto("/");
  await expectSignedInHome(alicePage, ALICE.email);
  await page.goto("/");
  await expectSignedInHome(page, ADMIN.email);
});

test("an administrator makes a user an administrator and takes it back; each change ends the user's sessions, and counts from their next sign-in", async ({ browser, page }) => {
  const { user, devices } = await signedInDevices(browser, [CHROME_ON_MAC]);
  open = devices;
  const userPage = devices[0].page;
  await expect(userPage.getByRole("link", { name: "Admin" })).toHaveCount(0);
  await userPage.goto("about:blank"); // its live stream would move it to /login by itself

  await signIn(page, ADMIN);
  await page.goto("/admin");
  await expect(userRow(page, ADMIN.email).getByRole("button", { name: /admin$/ }), "no changing one's own flag").toHaveCount(0);

  await userRow(page, user.email).getByRole("button", { name: "Make admin" }).click();
  await expect(page.getByRole("status").filter({ hasText: user.email })).toHaveText(
    `${user.email} is now an administrator. Their sessions were ended: the change counts from their next sign-in.`,
  );
  await expect(userRow(page, user.email).getByRole("rowheader")).toHaveText(`${user.email} (admin)`);
  await userPage.goto("/");
  await expect(userPage).toHaveURL(urlPattern("", "/login"));
  await expect(userPage.getByRole("status")).toHaveText("An administrator signed you out.");
  await signIn(userPage, user);
  await expect(userPage.getByRole("link", { name: "Admin" })).toBeVisible();
  expect((await userPage.goto("/admin"))?.status()).toBe(200);
  await userPage.goto("about:blank");

  await page.goto("/admin");
  await userRow(page, user.email).getByRole("button", { name: "Remove admin" }).click();
  await expect(page.getByRole("status").filter({ hasText: user.email })).toHaveText(
    `${user.email} is no longer an administrator. Their sessions were ended: the change counts from their next sign-in.`,
  );
  await userPage.goto("/admin");
  await expect(userPage, "the session that was an administrator's is gone").toHaveURL(urlPattern("", "/login?next=%2Fadmin"));
  await expect(userPage.getByRole("status")).toHaveText("An administrator signed you out.");
  await signIn(userPage, user);
  await expect(userPage.getByRole("link", { name: "Admin" })).toHaveCount(0);
  expect((await userPage.goto("/admin"))?.status()).toBe(404);
});
