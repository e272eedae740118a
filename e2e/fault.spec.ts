import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { startRedisServer, type RunningRedis } from "../scripts/lib/redis-server";
import { faultRedisPort, faultUrl, redisServerBin, runDir } from "./support/env";
import { BOB, expectSignedInHome, formAlert, signIn, submitSignIn } from "./support/users";
import { closeContexts } from "./support/contexts";

// Against the third server, whose Redis this test starts, stops and starts again
// (with AOF, as the managed local Redis runs).

const UNAVAILABLE = "Sessions are temporarily unavailable";

test("with Redis down pages answer 503 and sign-in says so; sessions survive a Redis restart", async ({ browser }) => {
  test.setTimeout(60_000);
  const base = faultUrl();
  const redisOptions = { binary: redisServerBin(), port: faultRedisPort(), dir: join(runDir(), "fault-redis"), persistent: true };
  let redis: RunningRedis | undefined = await startRedisServer(redisOptions);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, BOB, base);
    // No live stream left open: one that (re)connects while Redis stops is refused
    // (503) and reloads its tab by itself, which would race the navigations below.
    await page.goto("about:blank");

    await redis.stop();
    redis = undefined;

    // The app notices within its command timeout; give it a few tries. Soft checks
    // from here on, so one failure still lets the rest of the story be checked.
    let status: number | undefined;
    await expect
      .poll(async () => (status = (await page.goto(`${base}/`))?.status()), {
        message: "GET / stops answering 200 once Redis is down",
        timeout: 15_000,
      })
      .not.toBe(200);
    expect.soft(status, "GET / answers 503 while Redis is down").toBe(503);
    await expect.soft(page.locator("body")).toContainText(UNAVAILABLE);
    const devices = await page.goto(`${base}/devices`);
    expect.soft(devices?.status(), "GET /devices answers 503 while Redis is down").toBe(503);
    await expect.soft(page.locator("body")).toContainText(UNAVAILABLE);

    await submitSignIn(page, BOB, { baseUrl: base });
    await expect.soft(formAlert(page)).toContainText(UNAVAILABLE);

    redis = await startRedisServer(redisOptions);
    // The app's client reconnects by itself; the session was written to the AOF before the stop.
    await expect
      .poll(async () => (await page.goto(`${base}/`))?.status(), { message: "GET / answers 200 once Redis is back", timeout: 20_000 })
      .toBe(200);
    await expectSignedInHome(page, BOB.email, base);
  } finally {
    await closeContexts(context);
    await redis?.stop();
  }
});
