import { expect, test, type APIResponse } from "@playwright/test";
import { bearer } from "./support/api";
import { tagOf, userIndexKeyOf } from "./support/keys";
import { instances, killMasterFor, type Topology } from "./support/topologies";
import { ADMIN, expectSentToLogin, freshUser, sessionCookie, signIn, signUp } from "./support/users";
import { closeContexts } from "./support/contexts";

// The app on a Redis Cluster (3 masters + 3 replicas) and on Sentinel (a master,
// a replica, 3 sentinels), two app instances each, sign-ins and revocations
// acknowledged by a replica (SESSION_WAIT_REPLICAS=1). Per topology: the core
// flows across instances, then a kill -9 of the master that holds a user's slot.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const topology of ["cluster", "sentinel"] as Topology[]) {
  test.describe(`${topology}, two app instances`, () => {
    test("a session made on A works on B; ended on B, it is signed out on A's very next request; the lists and the API agree", async ({ browser, request }) => {
      const [a, b] = instances(topology);
      const first = await browser.newContext();
      const pageA = await first.newPage();
      const user = await signUp(pageA, freshUser(`scale-${topology}`), a);
      await pageA.goto(`${b}/`);
      await expect(pageA.getByText(`Signed in as ${user.email}`)).toBeVisible();

      const second = await browser.newContext();
      const pageB = await second.newPage();
      await signIn(pageB, user, b);
      const rows = async (base: string): Promise<number> => {
        await pageB.goto(`${base}/devices`);
        return pageB.getByRole("list", { name: "Active sessions" }).getByRole("listitem").count();
      };
      expect(await rows(a)).toBe(2);
      expect(await rows(b)).toBe(2);

      await pageB.goto(`${b}/devices`);
      await pageB.getByRole("button", { name: "Sign out all other devices" }).click();
      await expect(pageB.getByRole("status")).toContainText("Signed out 1 device.");
      // A's tab may be moving to /login by itself (its live stream was told): the
      // helper makes our navigation again once that one has landed.
      await expectSentToLogin(pageA, "/devices", a);

      // The API cycle across instances: a token from A, read and revoked on B, dead on A.
      const login = await request.post(`${a}/api/auth/login`, { data: user });
      expect(login.status()).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const me = await request.get(`${b}/api/me`, { headers: bearer(token) });
      const { session } = (await me.json()) as { session: { id: string } };
      const browserToken = (await sessionCookie(second))!.value;
      expect((await request.delete(`${b}/api/sessions/${session.id}`, { headers: bearer(browserToken) })).status()).toBe(204);
      expect((await request.get(`${a}/api/me`, { headers: bearer(token) })).status()).toBe(401);

      // The admin page counts every user's sessions, one user's slot at a time.
      await signIn(pageA, ADMIN, b);
      expect((await pageA.goto(`${a}/admin`))?.status()).toBe(200);
      await expect(pageA.getByRole("row").filter({ hasText: user.email })).toContainText("1");
      await closeContexts(first);
      await closeContexts(second);
    });

    test("kill -9 of the master holding the user's slot: pages answer 503, never 500, and recover; no acknowledged sign-in is lost", async ({ browser, request }) => {
      test.setTimeout(120_000);
      const [a, b] = instances(topology);
      const context = await browser.newContext();
      const page = await context.newPage();
      const user = await signUp(page, freshUser(`failover-${topology}`), a);
      const cookieToken = (await sessionCookie(context))!.value;
      const { user: me } = (await (await request.get(`${b}/api/me`, { headers: bearer(cookieToken) })).json()) as { user: { id: number } };
      const indexKey = userIndexKeyOf(tagOf(cookieToken), me.id);

      const acknowledged: string[] = [];
      const statuses = new Map<number, number>();
      let killed = false;
      for (let batch = 0; batch < 20; batch++) {
        if (batch === 6) {
          await killMasterFor(topology, indexKey);
          killed = true;
        }
        const replies: APIResponse[] = await Promise.all(Array.from({ length: 10 }, () => request.post(`${a}/api/auth/login`, { data: user })));
        for (const reply of replies) {
          statuses.set(reply.status(), (statuses.get(reply.status()) ?? 0) + 1);
          if (reply.status() === 200) acknowledged.push(((await reply.json()) as { token: string }).token);
        }
      }
      expect(killed).toBe(true);
      expect([...statuses.keys()].filter((status) => status !== 200 && status !== 503), `answers: ${JSON.stringify([...statuses])}`).toEqual([]);
      expect(acknowledged.length).toBeGreaterThan(0);

      // The page on the other instance: 503 while the slot has no master, never a 500, then back by itself
      // (the test Redis's node timeout is 1 s; the promotion takes a few seconds more).
      const pageStatuses: number[] = [];
      const deadline = Date.now() + 15_000;
      for (;;) {
        const status = (await page.goto(`${b}/`))?.status() ?? 0;
        pageStatuses.push(status);
        if (status === 200 || Date.now() > deadline) break;
        await sleep(250);
      }
      expect(pageStatuses.filter((status) => status !== 200 && status !== 503), `page answers: ${pageStatuses.join(",")}`).toEqual([]);
      expect(pageStatuses.at(-1)).toBe(200);
      await expect(page.getByText(`Signed in as ${user.email}`)).toBeVisible();

      for (const token of acknowledged) {
        expect((await request.get(`${b}/api/me`, { headers: bearer(token) })).status(), "an acknowledged sign-in survives the failover").toBe(200);
      }
      await closeContexts(context);
    });
  });
}
