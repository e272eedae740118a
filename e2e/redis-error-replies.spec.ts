import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { Redis } from "ioredis";
import { findFreePort, startRedisServer, type RunningRedis } from "../scripts/lib/redis-server";
import { apiLogin, bearer } from "./support/api";
import { faultRedisPort, faultUrl, redisServerBin, runDir } from "./support/env";
import { BOB, expectSignedInHome, formAlert, signIn, submitSignIn } from "./support/users";
import { closeContexts } from "./support/contexts";

// A Redis that answers, but with an error: a replica after a failover (READONLY)
// or a full one (OOM). Against the fault server, whose Redis this spec starts, puts
// in those states, brings back and stops again (the other fault specs expect it
// stopped). Pages answer the 503 page, the API a 503 JSON, never a 500; the app
// recovers by itself.

const UNAVAILABLE = "Sessions are temporarily unavailable";

let redis: RunningRedis;
let admin: Redis;

test.beforeAll(async () => {
  redis = await startRedisServer({ binary: redisServerBin(), port: faultRedisPort(), dir: join(runDir(), "fault-redis-replies"), persistent: false });
  admin = new Redis(redis.url);
});

test.afterAll(async () => {
  admin.disconnect();
  await redis.stop();
});

test("READONLY: pages answer the 503 page and the API a 503 JSON, then everything recovers by itself", async ({ browser, request }) => {
  test.setTimeout(60_000);
  const base = faultUrl();
  const context = await browser.newContext();
  const page = await context.newPage();
  // The app's client reconnects to the new Redis in the background.
  await expect.poll(async () => (await request.get(`${base}/api/health`)).status(), { timeout: 15_000 }).toBe(200);
  await signIn(page, BOB, base);
  const { token } = await apiLogin(request, BOB, "curl/8.5.0", base);

  await admin.replicaof("127.0.0.1", await findFreePort()); // follows a master that does not exist
  try {
    for (const path of ["/", "/devices", "/settings"]) {
      const response = await page.goto(`${base}${path}`);
      expect(response?.status(), `GET ${path}`).toBe(503);
      await expect(page.locator("h1")).toHaveText(UNAVAILABLE);
    }
    const me = await request.get(`${base}/api/me`, { headers: bearer(token) });
    expect(me.status()).toBe(503);
    expect(await me.json()).toEqual({ error: UNAVAILABLE });
    const login = await request.post(`${base}/api/auth/login`, { data: BOB });
    expect(login.status()).toBe(503);
    expect(await login.json()).toEqual({ error: UNAVAILABLE });
    await submitSignIn(page, BOB, { baseUrl: base });
    await expect(formAlert(page)).toContainText(UNAVAILABLE);
  } finally {
    await admin.replicaof("NO", "ONE");
  }
  await expect.poll(async () => (await page.goto(`${base}/`))?.status(), { timeout: 10_000 }).toBe(200);
  expect((await request.get(`${base}/api/me`, { headers: bearer(token) })).status()).toBe(200);
  await closeContexts(context);
});

test("OOM: sign-in answers 503 (API) and says so (form); no page answers 500; recovery is automatic", async ({ browser, request }) => {
  test.setTimeout(60_000);
  const base = faultUrl();
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, BOB, base);

  await admin.config("SET", "maxmemory-policy", "noeviction");
  await admin.config("SET", "maxmemory", "1");
  try {
    const login = await request.post(`${base}/api/auth/login`, { data: BOB });
    expect(login.status()).toBe(503);
    expect(await login.json()).toEqual({ error: UNAVAILABLE });
    await submitSignIn(page, BOB, { baseUrl: base });
    await expect(formAlert(page)).toContainText(UNAVAILABLE);
    // A check that only slides the expiry writes no new memory and may pass; one that
    // must write is refused. Either way: a page or the 503 page, never a 500.
    for (const path of ["/", "/devices"]) {
      const response = await page.goto(`${base}${path}`);
      expect([200, 503], `GET ${path}`).toContain(response?.status());
    }
  } finally {
    await admin.config("SET", "maxmemory", "0");
  }
  const again = await request.post(`${base}/api/auth/login`, { data: BOB });
  expect(again.status()).toBe(200);
  await page.goto(`${base}/`);
  await expectSignedInHome(page, BOB.email, base);
  await closeContexts(context);
});
