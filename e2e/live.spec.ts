import { expect, test, type Browser, type Page } from "@playwright/test";
import { CHROME_ON_MAC, FIREFOX_ON_WINDOWS, itemOf, SAFARI_ON_IPHONE, sessionItems, type Agent } from "./support/devices";
import { mainUrl } from "./support/env";
import { tagOf, userChannelOf } from "./support/keys";
import { withRedis } from "./support/redis";
import { instances } from "./support/topologies";
import { expectEndedOnLogin, gotoWithLiveStream } from "./support/live";
import { freshUser, sessionCookie, signIn, signUp, type Credentials } from "./support/users";
import { closeContexts } from "./support/contexts";

// Two devices of one user, each on its own app instance, the instances sharing
// one Redis (the Sentinel set: classic pub/sub; the Cluster: shard channels).
// What one device does reaches the other's open tab through Redis, with no click.
// And on the main server: a tab outlives a dropped pub/sub connection.

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

test("an open devices page survives a dropped subscription: it stays, its stream comes back, and new sign-ins appear again", async ({ browser }) => {
  const base = mainUrl();
  const user = freshUser("live-gap");
  const first = await deviceOn(browser, CHROME_ON_MAC, base, user, true);
  try {
    await gotoWithLiveStream(first, `${base}/devices`);
    // The app's subscription is in place before it is dropped.
    const token = (await sessionCookie(first.context()))!.value;
    const { user: me } = (await (await first.request.get(`${base}/api/me`)).json()) as { user: { id: number } };
    const channel = userChannelOf(tagOf(token), me.id);
    await expect.poll(() => withRedis(async (client) => Number((await client.pubsub("NUMSUB", channel))[1]))).toBe(1);
    const reopened = first.waitForResponse((response) => new URL(response.url()).pathname === "/api/live" && response.status() === 200);
    // Redis drops every pub/sub connection, as a restart would. The app's subscriber
    // connects and subscribes again, then closes its streams so the tabs catch up.
    const killed = await withRedis((client) => client.call("CLIENT", "KILL", "TYPE", "pubsub"));
    expect(Number(killed)).toBeGreaterThanOrEqual(1);
    await reopened;
    await expect(first).toHaveURL(`${base}/devices`);

    const second = await deviceOn(browser, FIREFOX_ON_WINDOWS, base, user, false);
    await expect(itemOf(sessionItems(first), FIREFOX_ON_WINDOWS)).toBeVisible();
    await closeContexts(second.context());
  } finally {
    await closeContexts(first.context());
  }
});
