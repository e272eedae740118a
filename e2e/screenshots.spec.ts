import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { CHROME_ON_MAC, SAFARI_ON_IPHONE, closeAll, currentItem, itemOf, openDevices, signedInDevices } from "./support/devices";

// The README's screenshots, taken from the real app.

const SCREENSHOTS = join(process.cwd(), "docs", "screenshots");
const VIEWPORT = { width: 1000, height: 700 };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function expectPng(path: string): void {
  expect(readFileSync(path).subarray(0, 8).equals(PNG_SIGNATURE), `${path} is a PNG`).toBe(true);
}

test.beforeAll(() => {
  mkdirSync(SCREENSHOTS, { recursive: true });
});

test("docs/screenshots/login.png", async ({ browser }) => {
  const context = await browser.newContext({ viewport: VIEWPORT, userAgent: CHROME_ON_MAC.userAgent });
  try {
    const page = await context.newPage();
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(page.getByLabel("Email")).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    const path = join(SCREENSHOTS, "login.png");
    await page.screenshot({ path });
    expectPng(path);
  } finally {
    await context.close();
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
    await expect(items).toHaveCount(2);
    await expect(currentItem(items)).toContainText(CHROME_ON_MAC.label);
    await expect(itemOf(items, SAFARI_ON_IPHONE)).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out all other devices" })).toBeVisible();
    const path = join(SCREENSHOTS, "devices.png");
    await page.screenshot({ path });
    expectPng(path);
  } finally {
    await closeAll(devices);
  }
});
