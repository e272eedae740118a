import { test, expect } from "./support/test";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { closeContexts } from "./support/contexts";
import { currentItem, openDevices } from "./support/devices";
import { mainUrl } from "./support/env";
import { withRedis } from "./support/redis";
import { sessionHashKey, sessionIdOf, TOKEN_PATTERN } from "./support/keys";
import { expectSentToLogin, expectSignedInHome, freshUser, sessionCookie, signUp, type Credentials } from "./support/users";

// "Keep me signed in", in real Chromium against the main server (production
// build, its Redis read directly), with the default lifetimes: unchecked, the
// session cookie has no expiry (it ends with the browser) and the session lives
// SESSION_ABSOLUTE_TTL (12 h) at most, 30 idle minutes; checked, the cookie
// persists for SESSION_REMEMBER_TTL (30 days) and a minute, and the session lives
// that long, 7 idle days. The devices list and the API say which sessions are
// remembered, and revoking ends a remembered session like any other.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ABSOLUTE = 12 * HOUR;
const IDLE = 30 * MINUTE;
const REMEMBER = 30 * DAY;
const REMEMBER_IDLE = 7 * DAY;
/** What "about" means when comparing a lifetime with the clock: the test's own steps, not a threshold on the app's speed. */
const SLACK = 5 * MINUTE;

type Signed = { context: BrowserContext; page: Page };

let opened: BrowserContext[] = [];
test.afterEach(async () => {
  await closeContexts(...opened);
  opened = [];
});

async function newBrowser(browser: Browser): Promise<Signed> {
  const context = await browser.newContext();
  opened.push(context);
  return { context, page: await context.newPage() };
}

/** A fresh user, signed up in a browser of its own (a session that is not remembered). */
async function signedUp(browser: Browser): Promise<Signed & { user: Credentials }> {
  const first = await newBrowser(browser);
  const user = await signUp(first.page, freshUser("remember"));
  return { ...first, user };
}

/** Signs in from /login, with "Keep me signed in" checked or left as it is (unchecked). */
async function signInWith(browser: Browser, user: Credentials, remember: boolean): Promise<Signed & { token: string }> {
  const signed = await newBrowser(browser);
  const { page } = signed;
  await page.goto("/login");
  const box = page.getByLabel("Keep me signed in");
  await expect(box).not.toBeChecked();
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  if (remember) await box.check();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expectSignedInHome(page, user.email);
  const token = (await sessionCookie(signed.context))?.value;
  expect(token).toMatch(TOKEN_PATTERN);
  return { ...signed, token: token! };
}

async function storedSession(token: string): Promise<{ hash: Record<string, string>; pttl: number }> {
  return withRedis(async (redis) => ({ hash: await redis.hgetall(sessionHashKey(token)), pttl: await redis.pttl(sessionHashKey(token)) }));
}

async function meOf(page: Page): Promise<{ remembered: boolean; id: string }> {
  const response = await page.request.get("/api/me");
  expect(response.status()).toBe(200);
  return (await response.json()).session;
}

test("unchecked, the session cookie ends with the browser and the session lives its usual lifetimes", async ({ browser }) => {
  const { user } = await signedUp(browser);
  const { context, page, token } = await signInWith(browser, user, false);

  const cookie = await sessionCookie(context);
  expect(cookie?.expires, "a browser-session cookie: no Max-Age, no Expires").toBe(-1);

  const { hash, pttl } = await storedSession(token);
  expect(hash.remember).toBeUndefined();
  expect(Number(hash.ends_at) - Number(hash.created_at)).toBe(ABSOLUTE);
  expect(pttl).toBeGreaterThan(IDLE - SLACK);
  expect(pttl).toBeLessThanOrEqual(IDLE);
  expect(await meOf(page)).toMatchObject({ remembered: false });
});

test("checked, the cookie persists for the remembered lifetime, and so does the session, idle for days", async ({ browser }) => {
  const { user } = await signedUp(browser);
  const { context, page, token } = await signInWith(browser, user, true);

  const cookie = await sessionCookie(context);
  expect(cookie?.expires).toBeGreaterThan(0);
  const expected = Date.now() + REMEMBER + MINUTE;
  expect(Math.abs(cookie!.expires * 1000 - expected), "the cookie expires about 30 days and a minute from now").toBeLessThan(SLACK);

  const { hash, pttl } = await storedSession(token);
  expect(hash.remember).toBe("1");
  expect(Number(hash.ends_at) - Number(hash.created_at)).toBe(REMEMBER);
  expect(pttl).toBeGreaterThan(REMEMBER_IDLE - SLACK);
  expect(pttl).toBeLessThanOrEqual(REMEMBER_IDLE);

  // After a navigation the session slides by the remembered idle timeout, not the usual one.
  await page.goto("/devices");
  expect((await storedSession(token)).pttl).toBeGreaterThan(REMEMBER_IDLE - SLACK);
  expect(await meOf(page)).toMatchObject({ remembered: true });
});

test("the devices page and the API say which sessions are remembered", async ({ browser }) => {
  const { user, page: plainPage } = await signedUp(browser);
  const remembered = await signInWith(browser, user, true);

  const items = await openDevices(remembered.page);
  await expect(items).toHaveCount(2);
  await expect(currentItem(items)).toContainText("Remembered");
  await expect(items.filter({ hasNotText: "This device" })).not.toContainText("Remembered");

  const { sessions } = await (await remembered.page.request.get("/api/sessions")).json();
  expect(sessions.map((s: { current: boolean; remembered: boolean }) => [s.current, s.remembered]).sort()).toEqual([
    [false, false],
    [true, true],
  ]);
  expect(await meOf(plainPage)).toMatchObject({ remembered: false });
});

test("a remembered session ends when another device revokes it", async ({ browser }) => {
  const { user, page: keeper } = await signedUp(browser);
  const remembered = await signInWith(browser, user, true);

  const items = await openDevices(keeper);
  const item = items.filter({ hasText: "Remembered" });
  await expect(item).toHaveCount(1);
  await item.getByRole("button", { name: "Revoke" }).click();
  await expect(keeper.getByRole("status")).toHaveText("Signed out 1 device.");

  await expectSentToLogin(remembered.page, "/devices");
  expect((await storedSession(remembered.token)).pttl, "the session's hash is gone").toBe(-2);
  await keeper.goto("/");
  await expectSignedInHome(keeper, user.email);
});

test("“Sign out all other devices” ends remembered and browser-session ones alike", async ({ browser }) => {
  const { user, page: keeper } = await signedUp(browser);
  const remembered = await signInWith(browser, user, true);
  const plain = await signInWith(browser, user, false);

  const items = await openDevices(keeper);
  await expect(items).toHaveCount(3);
  await keeper.getByRole("button", { name: "Sign out all other devices" }).click();
  await expect(keeper.getByRole("status")).toHaveText("Signed out 2 devices.");
  await expect(items).toHaveCount(1);

  await expectSentToLogin(remembered.page, "/");
  await expectSentToLogin(plain.page, "/devices");
  for (const token of [remembered.token, plain.token]) expect((await storedSession(token)).pttl).toBe(-2);
});

test.describe("POST /api/auth/login", () => {
  test('"remember": true makes a remembered session; without it, or false, it is not', async ({ browser, request }) => {
    const { user } = await signedUp(browser);
    for (const remember of [true, false, undefined]) {
      const response = await request.post(`${mainUrl()}/api/auth/login`, { data: { email: user.email, password: user.password, ...(remember === undefined ? {} : { remember }) } });
      expect(response.status()).toBe(200);
      const body = await response.json();
      expect(body.remembered, JSON.stringify({ remember })).toBe(remember === true);

      const me = await request.get(`${mainUrl()}/api/me`, { headers: { authorization: `Bearer ${body.token}` } });
      expect((await me.json()).session).toMatchObject({ id: sessionIdOf(body.token), remembered: remember === true });
      const { hash, pttl } = await storedSession(body.token);
      expect(hash.remember).toBe(remember === true ? "1" : undefined);
      expect(Number(hash.ends_at) - Number(hash.created_at)).toBe(remember === true ? REMEMBER : ABSOLUTE);
      const idle = remember === true ? REMEMBER_IDLE : IDLE;
      expect(pttl).toBeGreaterThan(idle - SLACK);
      expect(pttl).toBeLessThanOrEqual(idle);
      expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(idle - SLACK);
    }
  });

  for (const remember of ["yes", 1, null, "true"]) {
    test(`answers 400 for "remember": ${JSON.stringify(remember)}`, async ({ request }) => {
      const user = freshUser("remember"); // never signs in: the body is refused before the password is read
      const response = await request.post(`${mainUrl()}/api/auth/login`, { data: { email: user.email, password: user.password, remember } });
      expect(response.status()).toBe(400);
      expect((await response.json()).error).toMatch(/remember/);
    });
  }
});
