import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { CHROME_ON_MAC, SAFARI_ON_IPHONE, closeAll, openDevices, signedInDevices } from "./support/devices";
import { pngSize } from "./support/png";
import { openTrace, tracePanel } from "./support/redis-trace";
import { ADMIN, ALICE, BOB, signIn, signUp } from "./support/users";
import { closeContexts } from "./support/contexts";

// The docs' screenshots, taken from the real app. Each test first checks that
// the page shows what the docs say it shows, then that the file written is a
// PNG of the whole viewport (not an empty or truncated capture). `npm test`
// writes them to the run's scratch folder; `npm run docs:screenshots` runs this
// spec with SCREENSHOTS_DIR=docs/screenshots to replace the published ones.

const SCREENSHOTS = process.env.SCREENSHOTS_DIR ? join(process.cwd(), process.env.SCREENSHOTS_DIR) : join(process.cwd(), ".test-runs", "screenshots");
const VIEWPORT = { width: 1000, height: 700 };

async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(SCREENSHOTS, name);
  await page.screenshot({ path });
  expect(pngSize(readFileSync(path)), `${path}: one pixel per CSS pixel of the viewport`).toEqual(VIEWPORT);
}

test.beforeAll(() => {
  mkdirSync(SCREENSHOTS, { recursive: true });
});

test("docs/screenshots/login.png", async ({ browser }) => {
  const context = await browser.newContext({ viewport: VIEWPORT, userAgent: CHROME_ON_MAC.userAgent });
  try {
    const page = await context.newPage();
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Sign in", level: 1 })).toBeVisible();
    await expect(page.getByLabel("Email")).toBeVisible();
    await expect(page.getByLabel("Password")).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    // The README's quick start sends readers to these three accounts.
    const demoUsers = page.getByRole("region", { name: "Demo users" });
    await expect(demoUsers).toBeVisible();
    await expect(demoUsers.getByRole("listitem")).toHaveText([
      `${ALICE.email} / ${ALICE.password}`,
      `${BOB.email} / ${BOB.password}`,
      `${ADMIN.email} / ${ADMIN.password} (admin)`,
    ]);
    await screenshot(page, "login.png");
  } finally {
    await closeContexts(context);
  }
});

test("docs/screenshots/devices.png", async ({ browser }) => {
  // A fixed account (each run starts from an empty database), so the picture only
  // changes when the page does.
  const dana = { email: "dana@example.com", password: "dana-demo-pass" };
  const { devices } = await signedInDevices(browser, [CHROME_ON_MAC, SAFARI_ON_IPHONE], { viewport: VIEWPORT, user: dana, create: true });
  try {
    const page = devices[0].page;
    const items = await openDevices(page);
    await expect(page.getByText(`Every browser or app signed in as ${dana.email}.`)).toBeVisible();
    // Two rows, newest first: the iPhone, which signed in after the Mac the page is
    // looked at from; only the other device can be revoked from here.
    await expect(items).toHaveCount(2);
    const [newest, oldest] = [items.nth(0), items.nth(1)];
    await expect(newest).toContainText(SAFARI_ON_IPHONE.label);
    await expect(newest).not.toContainText("This device");
    await expect(newest.getByRole("button", { name: "Revoke" })).toBeVisible();
    await expect(oldest).toContainText(CHROME_ON_MAC.label);
    await expect(oldest.getByText("This device", { exact: true })).toBeVisible();
    await expect(oldest.getByRole("button", { name: "Revoke" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Sign out all other devices" })).toBeVisible();
    await screenshot(page, "devices.png");
  } finally {
    await closeAll(devices);
  }
});

test("docs/screenshots/redis-trace.png", async ({ browser }) => {
  // The README's "Watch it work": the page after signing in, with "Redis behind
  // this page" open on the sign-in action's commands and the page's own check.
  const erin = { email: "erin@example.com", password: "erin-demo-pass" };
  const context = await browser.newContext({ viewport: VIEWPORT, userAgent: CHROME_ON_MAC.userAgent });
  try {
    const page = await context.newPage();
    await signUp(page, erin);
    await context.clearCookies();
    await signIn(page, erin);
    const rows = await openTrace(page);
    await expect(rows.filter({ hasText: "EVALSHA createSession" })).toHaveCount(1);
    await expect(rows.filter({ hasText: "EVALSHA validateSession" })).toHaveCount(1);
    await tracePanel(page).locator("summary").evaluate((summary) => summary.scrollIntoView());
    await screenshot(page, "redis-trace.png");
  } finally {
    await closeContexts(context);
  }
});
