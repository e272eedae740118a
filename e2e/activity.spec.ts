import { expect, test } from "@playwright/test";
import { CHROME_ON_MAC, closeAll, FIREFOX_ON_WINDOWS, itemOf, openDevices, sessionItems, signedInDevices } from "./support/devices";
import { mainUrl } from "./support/env";
import { gotoWithLiveStream } from "./support/live";

// "Recent activity" on /devices and GET /api/activity: what happened to the
// user's sessions, newest first, from the capped stream in Redis. And "Rename".

type Event = { type: string; at: string; session?: string; device?: string; ip?: string; by?: string };

test("the activity log lists sign-ins, a revoke with the revoking device, and a sign-out, newest first, on the page and in the API", async ({ browser }) => {
  const { devices } = await signedInDevices(browser, [CHROME_ON_MAC, FIREFOX_ON_WINDOWS, FIREFOX_ON_WINDOWS]);
  try {
    const [first, second, third] = devices;
    const items = await openDevices(first.page);
    await expect(items).toHaveCount(3);
    await itemOf(items, FIREFOX_ON_WINDOWS).first().getByRole("button", { name: "Revoke" }).click();
    await expect(first.page.getByRole("status")).toHaveText("Signed out 1 device.");
    // Whichever Firefox was revoked, the other one signs out by itself.
    const survivor = (await second.page.request.get("/api/me")).status() === 200 ? second : third;
    await survivor.page.goto("/");
    await survivor.page.getByRole("button", { name: "Sign out" }).click();
    await expect(survivor.page.getByRole("status")).toHaveText("You signed out.");

    const response = await first.page.request.get("/api/activity");
    expect(response.status()).toBe(200);
    const { events } = (await response.json()) as { events: Event[] };
    expect(events.map((event) => event.type)).toEqual(["signed-out", "revoked", "signed-in", "signed-in", "signed-in"]);
    expect(events[1].by).toContain("Chrome 142 on macOS");
    expect(events[1].device).toContain("Firefox 128 on Windows");
    expect(events[4]).toMatchObject({ ip: "127.0.0.1" });
    expect(events[4].device).toContain("Chrome 142 on macOS");
    const times = events.map((event) => Date.parse(event.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const event of events) expect(event.session).toMatch(/^[A-Za-z0-9_-]{8}$/);

    await first.page.reload();
    const lines = first.page.getByRole("list", { name: "Recent activity" }).getByRole("listitem");
    await expect(lines).toHaveCount(5);
    await expect(lines.nth(0)).toContainText("Signed out on Firefox 128 on Windows");
    await expect(lines.nth(1)).toContainText(/Firefox 128 on Windows .* was signed out from Chrome 142 on macOS/);
    await expect(lines.nth(4)).toContainText("Signed in on Chrome 142 on macOS");
  } finally {
    await closeAll(devices);
  }
});

test("the API's activity needs a session", async ({ request }) => {
  expect((await request.get(`${mainUrl()}/api/activity`)).status()).toBe(401);
});

test("a device renamed on one device shows its name on the other's open devices page, and names stay short", async ({ browser }) => {
  const { devices } = await signedInDevices(browser, [CHROME_ON_MAC, FIREFOX_ON_WINDOWS]);
  try {
    const [first, second] = devices;
    await gotoWithLiveStream(second.page, `${mainUrl()}/devices`);
    const items = await openDevices(first.page);
    const row = itemOf(items, FIREFOX_ON_WINDOWS);
    await row.getByText("Rename").click();
    await row.getByRole("textbox", { name: "Device name" }).fill("Work laptop");
    await row.getByRole("button", { name: "Save" }).click();
    await expect(first.page.getByRole("status").filter({ hasText: "Device renamed." })).toBeVisible();
    await expect(sessionItems(first.page).filter({ hasText: "Work laptop" })).toHaveCount(1);
    // The other device's page, untouched, shows its new name.
    await expect(sessionItems(second.page).filter({ hasText: "This device" })).toContainText("Work laptop");

    // 41 characters, the field's own limit taken off: refused by the server, nothing changed.
    const again = sessionItems(first.page).filter({ hasText: "Work laptop" });
    await again.getByText("Rename").click();
    const field = again.getByRole("textbox", { name: "Device name" });
    await field.evaluate((input) => input.removeAttribute("maxlength"));
    await field.fill("x".repeat(41));
    await again.getByRole("button", { name: "Save" }).click();
    await expect(first.page.locator('[role="alert"]:not(#__next-route-announcer__)')).toHaveText("A device name can have at most 40 characters.");
    await expect(sessionItems(first.page).filter({ hasText: "Work laptop" })).toHaveCount(1);
  } finally {
    await closeAll(devices);
  }
});
