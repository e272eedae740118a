import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { Redis } from "ioredis";
import { startRedisServer, type RunningRedis } from "../scripts/lib/redis-server";
import { faultRedisPort, faultUrl, redisServerBin, runDir } from "./support/env";
import { BOB, expectSignedInHome, formAlert, SESSION_COOKIE, signIn, submitSignIn } from "./support/users";
import { closeContexts } from "./support/contexts";

// Against the third server, whose Redis these tests start, stop and start again
// (with AOF, as the managed local Redis runs), or leave in a bad state.

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

test("a page whose own Redis work fails after the proxy let it through answers 503 with Retry-After, never 500", async ({ browser }) => {
  test.setTimeout(60_000);
  const base = faultUrl();
  const port = faultRedisPort();
  const redis = await startRedisServer({ binary: redisServerBin(), port, dir: join(runDir(), "fault-redis-mid-page"), persistent: false });
  const client = new Redis(`redis://127.0.0.1:${port}`);
  try {
    // The app's client reconnects to this Redis by itself: sign in once it has.
    let login: { token: string; user: { id: number } } | undefined;
    await expect
      .poll(async () => {
        const response = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(BOB) });
        if (response.status === 200) login = (await response.json()) as typeof login;
        return response.status;
      }, { timeout: 20_000 })
      .toBe(200);
    const { token, user } = login!;
    const uid = token.split(".")[0];
    // Redis in a bad state: Bob's index bloated with 40,000 entries of sessions that
    // do not exist, and replies over 1 MB cut off. The proxy's one-session check still
    // passes (a short reply); the devices page's read of the index does not.
    const index = `session:{${uid}}:user:${user.id}`;
    for (let batch = 0; batch < 40; batch++) {
      const members = Array.from({ length: 1000 }, (_, i) => [String(Date.now() + 3_600_000), `bloat-${batch}-${i}-${"x".repeat(30)}`]).flat();
      await client.zadd(index, ...members);
    }
    await client.config("SET", "client-output-buffer-limit", "normal 1mb 1mb 0");

    const context = await browser.newContext();
    try {
      await context.setExtraHTTPHeaders({ cookie: `${SESSION_COOKIE}=${token}` });
      const page = await context.newPage();
      const answer = await page.goto(`${base}/devices`);
      expect(answer?.status(), "the page failed halfway because Redis could not serve: 503, not 500").toBe(503);
      expect(answer?.headers()["retry-after"]).toBe("5");
      // The body is the error boundary's: what happened, and a way to try again.
      await expect(page.getByRole("alert").filter({ hasText: UNAVAILABLE })).toBeVisible();
      await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();
    } finally {
      await closeContexts(context);
    }
    // The session itself is fine: the proxy's check and the API still answer.
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
  } finally {
    await client.config("SET", "client-output-buffer-limit", "normal 0 0 0").catch(() => undefined);
    client.disconnect();
    await redis.stop();
  }
});
