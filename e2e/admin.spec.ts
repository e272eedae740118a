import { type Locator, type Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { CHROME_ON_MAC, FIREFOX_ON_WINDOWS, closeAll, signedInDevices, type Device } from "./support/devices";
import { ADMIN, ALICE, BOB, expectSentToLogin, expectSignedInHome, signIn, urlPattern } from "./support/users";

/** The table row whose row header is this user's email. */
function userRow(page: Page, email: string): Locator {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: email, exact: true }) });
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
