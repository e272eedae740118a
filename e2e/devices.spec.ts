import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import {
  CHROME_ON_MAC,
  FIREFOX_ON_WINDOWS,
  SAFARI_ON_IPHONE,
  closeAll,
  currentItem,
  itemOf,
  openDevices,
  signedInDevices,
  type Device,
} from "./support/devices";
import { readEverything, withRedis } from "./support/redis";
import { expectSentToLogin, expectSignedInHome, sessionCookie, urlPattern } from "./support/users";
import { sessionHashKey, tagOf, TOKEN_PATTERN, userIndexKeyOf } from "./support/keys";

// Every test here signs in a fresh user, so the counts only see its own sessions.

let open: Device[] = [];
test.afterEach(async () => {
  await closeAll(open);
  open = [];
});

test("two browsers of one user are listed, and revoking one signs it out on its next request", async ({ browser }) => {
  const { user, devices } = await signedInDevices(browser, [CHROME_ON_MAC, FIREFOX_ON_WINDOWS]);
  open = devices;
  const [first, second] = devices;

  // Reached from the home page's "Devices" link.
  await first.page.goto("/");
  await first.page.getByRole("link", { name: "Devices" }).click();
  await expect(first.page).toHaveURL(urlPattern("", "/devices"));
  const items = await openDevices(first.page);
  await expect(items).toHaveCount(2);
  await expect(currentItem(items)).toHaveCount(1);
  await expect(currentItem(items)).toContainText(CHROME_ON_MAC.label);
  await expect(currentItem(items).getByRole("button", { name: "Revoke" })).toHaveCount(0);
  const other = itemOf(items, FIREFOX_ON_WINDOWS);
  await expect(other).toHaveCount(1);
  await expect(other).not.toContainText("This device");
  await expect(other.getByRole("button", { name: "Revoke" })).toBeVisible();
  for (const item of await items.all()) {
    // The peer address the server saw (the tests connect over loopback) and when it was used.
    await expect(item).toContainText(/127\.0\.0\.1|::1/);
    await expect(item).toContainText(/just now|minutes? ago/);
  }
  await expect(first.page.getByRole("button", { name: "Sign out all other devices" })).toBeVisible();

  // The second browser is signed in until the first revokes it.
  await second.page.goto("/");
  await expectSignedInHome(second.page, user.email);

  await other.getByRole("button", { name: "Revoke" }).click();
  await expect(first.page.getByRole("status")).toHaveText("Signed out 1 device.");
  await expect(items).toHaveCount(1);
  await expect(currentItem(items)).toHaveCount(1);
  await expect(first.page.getByRole("button", { name: "Sign out all other devices" })).toHaveCount(0);

  await expectSentToLogin(second.page, "/devices");
  await first.page.goto("/");
  await expectSignedInHome(first.page, user.email);
});

test("“Sign out all other devices” signs out every other browser and keeps this one", async ({ browser }) => {
  const { user, devices } = await signedInDevices(browser, [CHROME_ON_MAC, FIREFOX_ON_WINDOWS, SAFARI_ON_IPHONE]);
  open = devices;
  const [first, second, third] = devices;

  const items = await openDevices(first.page);
  await expect(items).toHaveCount(3);
  await expect(items.getByRole("button", { name: "Revoke" })).toHaveCount(2);
  await first.page.getByRole("button", { name: "Sign out all other devices" }).click();
  await expect(first.page.getByRole("status")).toHaveText("Signed out 2 devices.");
  await expect(items).toHaveCount(1);
  await expect(currentItem(items)).toContainText(CHROME_ON_MAC.label);

  await expectSentToLogin(second.page, "/");
  await expectSentToLogin(third.page, "/devices");
  await first.page.goto("/");
  await expectSignedInHome(first.page, user.email);
});

test("the devices list shows the newest session first", async ({ browser }) => {
  const { devices } = await signedInDevices(browser, [CHROME_ON_MAC, FIREFOX_ON_WINDOWS, SAFARI_ON_IPHONE]);
  open = devices;

  // Seen from the middle one, so "This device" is neither first nor last by accident.
  const items = await openDevices(devices[1].page);
  await expect(items).toHaveText([
    new RegExp(SAFARI_ON_IPHONE.label),
    new RegExp(`${FIREFOX_ON_WINDOWS.label}.*This device`),
    new RegExp(CHROME_ON_MAC.label),
  ]);
});

test("Redis holds only hashes of the session tokens, never a token itself", async ({ browser }) => {
  const { devices } = await signedInDevices(browser, [CHROME_ON_MAC, FIREFOX_ON_WINDOWS]);
  open = devices;
  const tokens: string[] = [];
  for (const device of devices) {
    const token = (await sessionCookie(device.context))?.value;
    expect(token, "each browser holds a session cookie").toMatch(TOKEN_PATTERN);
    tokens.push(token!);
  }

  await withRedis(async (redis) => {
    const stored = await readEverything(redis);
    for (const token of tokens) {
      // The session is there, under the SHA-256 of its token, and listed in its user's index.
      const id = createHash("sha256").update(token).digest("base64url");
      const session = stored.find((entry) => entry.key === sessionHashKey(token));
      expect(session, "the session hash is keyed by the user's tag and the token's SHA-256").toBeDefined();
      expect(session!.type).toBe("hash");
      const userId = await redis.hget(sessionHashKey(token), "user_id");
      const index = stored.find((entry) => entry.key === userIndexKeyOf(tagOf(token), userId!));
      expect(index?.type).toBe("zset");
      expect(index!.values).toContain(id);

      for (const entry of stored) {
        expect(entry.key, "no key contains a raw token").not.toContain(token);
        for (const value of entry.values) expect(value, `no value of ${entry.key} contains a raw token`).not.toContain(token);
      }
    }
  });
});
