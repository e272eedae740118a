import { expect, test } from "@playwright/test";
import { CHROME_ON_MAC, closeAll, currentItem, FIREFOX_ON_WINDOWS, openDevices, signedInDevices } from "./support/devices";
import { sessionHashKey, tagOf } from "./support/keys";
import { withRedis } from "./support/redis";
import { shownSessionKey } from "./support/redis-trace";
import { sessionCookie } from "./support/users";

// The key inspector on /devices: each session's Redis key as redis-cli would show
// it, and the user's index once above the list, read from the real Redis.

test("each device shows its key, type, encoding, fields and a TTL that matches Redis's PTTL", async ({ browser }) => {
  const { devices } = await signedInDevices(browser, [CHROME_ON_MAC, FIREFOX_ON_WINDOWS]);
  try {
    const { page, context } = devices[0];
    const token = (await sessionCookie(context))!.value;
    const items = await openDevices(page);
    await expect(items).toHaveCount(2);

    const index = page.getByRole("region", { name: "This user's index key" });
    await expect(index).toContainText(`session:{${tagOf(token).slice(0, 8)}…}:user:`);
    await expect(index).toContainText("zset");
    await expect(index).toContainText("2 sessions");

    const mine = currentItem(items);
    await mine.getByText("Show Redis key").click();
    const key = mine.getByRole("group", { name: "Redis key" });
    await expect(key).toContainText(shownSessionKey(token));
    await expect(key).toContainText("hash");
    await expect(key).toContainText("listpack");
    for (const field of ["created_at", "last_seen_at", "ends_at", "browser", "os", "device"]) await expect(key).toContainText(field);
    await expect(key).toContainText("Chrome 142");

    // The countdown runs in the browser; Redis's own PTTL, read now, must agree within a second.
    const shown = Number((await key.locator("[data-ttl]").innerText()).replace(/ s$/, ""));
    const pttl = await withRedis((redis) => redis.pttl(sessionHashKey(token)));
    expect(pttl).toBeGreaterThan(0);
    expect(Math.abs(shown - pttl / 1000)).toBeLessThanOrEqual(1);
  } finally {
    await closeAll(devices);
  }
});
