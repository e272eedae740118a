import { expect, test, type Browser, type Page } from "@playwright/test";
import { CHROME_ON_MAC, FIREFOX_ON_WINDOWS, itemOf, SAFARI_ON_IPHONE, sessionItems, type Agent } from "./support/devices";
import { instances } from "./support/topologies";
import { expectEndedOnLogin, gotoWithLiveStream } from "./support/live";
import { freshUser, signIn, signUp, type Credentials } from "./support/users";
import { closeContexts } from "./support/contexts";

// Two devices of one user, each on its own app instance, the instances sharing
// one Redis (the Sentinel set: classic pub/sub; the Cluster: shard channels).
// What one device does reaches the other's open tab through Redis, with no click.

async function deviceOn(browser: Browser, agent: Agent, baseUrl: string, user: Credentials, create: boolean): Promise<Page> {
  const context = await browser.newContext({ userAgent: agent.userAgent });
  const page = await context.newPage();
  if (create) await signUp(page, user, baseUrl);
  else await signIn(page, user, baseUrl);
  return page;
}

for (const topology of ["sentinel", "cluster"] as const) {
  test(`a new sign-in appears on another instance's open devices page, a revoked tab is on /login within a second, a signed-out session leaves the list (${topology})`, async ({ browser }) => {
    const [a, b] = instances(topology);
    const user = freshUser(`live-${topology}`);
    const first = await deviceOn(browser, CHROME_ON_MAC, a, user, true);
    try {
      await gotoWithLiveStream(first, `${a}/devices`);
      await expect(sessionItems(first)).toHaveCount(1);

      const second = await deviceOn(browser, FIREFOX_ON_WINDOWS, b, user, false);
      // No reload on the first device: the sign-in on the other instance arrives by itself.
      await expect(itemOf(sessionItems(first), FIREFOX_ON_WINDOWS)).toBeVisible();
      await expect(first.getByRole("status").filter({ hasText: "New sign-in:" })).toHaveText(`New sign-in: ${FIREFOX_ON_WINDOWS.label}`);

      await gotoWithLiveStream(second, `${b}/`);
      await itemOf(sessionItems(first), FIREFOX_ON_WINDOWS).getByRole("button", { name: "Revoke" }).click();
      // The revoked tab does nothing; the issue asks for "within 1 second" of the revoke.
      await expectEndedOnLogin(second, b, "You were signed out from another device.", { timeout: 1000 });
      await expect(sessionItems(first)).toHaveCount(1);
      await closeContexts(second.context());

      // A session signed out on the other instance leaves the open list by itself too.
      const third = await deviceOn(browser, SAFARI_ON_IPHONE, b, user, false);
      await expect(itemOf(sessionItems(first), SAFARI_ON_IPHONE)).toBeVisible();
      await third.getByRole("button", { name: "Sign out" }).click();
      await expect(itemOf(sessionItems(first), SAFARI_ON_IPHONE)).toHaveCount(0);
      await expect(sessionItems(first)).toHaveCount(1);
      await closeContexts(third.context());
    } finally {
      await closeContexts(first.context());
    }
  });
}
