import { expect, test } from "@playwright/test";
import { startAppServer, type AppServer } from "./support/app-server";
import { closeContexts } from "./support/contexts";
import { redisDatabaseUrl, requiredEnv } from "./support/env";
import { sessionHashKey } from "./support/keys";
import { expectEndedOnLogin } from "./support/live";
import { withRedis } from "./support/redis";
import { ALICE, expectSignedInHome, SESSION_COOKIE, signIn } from "./support/users";

// Redis decides when a session ends; the cookie only has to outlive it, so that
// the request after the end still carries it and /login can say why. A cookie
// whose Max-Age is rounded down ends up to a second before the session, and a tab
// in use at its absolute end then lands on /login without a reason. (Without
// "Keep me signed in" the cookie has no Max-Age at all: e2e/remember.spec.ts.)

test("a remembered session's cookie outlives the session's absolute end in Redis", async ({ page, context }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ALICE.email);
  await page.getByLabel("Password").fill(ALICE.password);
  await page.getByLabel("Keep me signed in").check();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expectSignedInHome(page, ALICE.email);
  const cookie = (await context.cookies()).find((candidate) => candidate.name === SESSION_COOKIE);
  if (!cookie) throw new Error("no session cookie after sign-in");
  const endsAt = Number(await withRedis((client) => client.hget(sessionHashKey(cookie.value), "ends_at")));
  expect(endsAt).toBeGreaterThan(Date.now());
  expect(cookie.expires * 1000, "the cookie's expiry against the session's ends_at (ms)").toBeGreaterThan(endsAt);
});

test.describe("a tab in use when its session reaches the absolute end (SESSION_IDLE_TTL=4, SESSION_ABSOLUTE_TTL=10)", () => {
  const REDIS_DATABASE = 6;
  let server: AppServer;

  test.beforeAll(async () => {
    server = await startAppServer({
      REDIS_URL: redisDatabaseUrl(REDIS_DATABASE),
      DATABASE_URL: requiredEnv("E2E_DATABASE_URL"),
      SESSION_IDLE_TTL: "4",
      SESSION_ABSOLUTE_TTL: "10",
    });
  });

  test.afterAll(async () => {
    await server?.stop();
  });

  test("lands on /login with \"Your session expired.\"", async ({ browser }) => {
    test.setTimeout(60_000);
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, ALICE, server.url);
    const signedInAt = Date.now();
    // The session is used every 1.5 s (well within the idle timeout), with the
    // browser's cookie, until it is refused; the tab itself stays open on /.
    while (Date.now() - signedInAt < 20_000) {
      if ((await page.request.get(`${server.url}/api/me`)).status() !== 200) break;
      await page.waitForTimeout(1500);
    }
    expect(Date.now() - signedInAt, "it lasted about its absolute lifetime").toBeGreaterThan(8_000);
    // The tab notices by itself (its idle clock or its live stream) and still holds the cookie to say why.
    await expectEndedOnLogin(page, server.url, "Your session expired. Sign in again.", { timeout: 15_000 });
    await closeContexts(context);
  });
});
