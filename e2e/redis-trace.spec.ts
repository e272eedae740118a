import { expect, test } from "./support/test";
import { CHROME_ON_MAC, closeAll, FIREFOX_ON_WINDOWS, openDevices, signedInDevices } from "./support/devices";
import { attackUrl, mainUrl } from "./support/env";
import { sessionIdOf } from "./support/keys";
import { cellsOf, openTrace, PANEL_SUMMARY, shownSessionKey, tracePanel } from "./support/redis-trace";
import { freshUser, sessionCookie, signIn, signUp } from "./support/users";
import { closeContexts } from "./support/contexts";

// "Redis behind this page": the commands the real client sent for the request
// that made the page, the server action that led to it included, with no secret.

test("after sign-in, / shows the validation script on the session's key, timed, and nothing secret", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, freshUser("trace"));
  const token = (await sessionCookie(context))!.value;
  await page.goto("/");

  const rows = await openTrace(page);
  const validation = rows.filter({ hasText: "EVALSHA validateSession" });
  await expect(validation).toHaveCount(1);
  const [step, command, key, time] = await cellsOf(validation);
  expect(step).toBe("check the session and slide its expiry");
  expect(command).toBe("EVALSHA validateSession");
  expect(key).toBe(shownSessionKey(token));
  expect(time).toMatch(/^\d+ µs$/);
  // What the script does inside, from its own source, marked as inside it.
  await expect(rows.filter({ hasText: "↳ inside validateSession" }).filter({ hasText: "PEXPIREAT" })).toHaveCount(1);

  const panelHtml = await tracePanel(page).innerHTML();
  for (const secret of [token, token.split(".")[1], sessionIdOf(token)]) expect(panelHtml, "a token or a full session id in the panel").not.toContain(secret);
  await closeContexts(context);
});

test("a sign-in's page shows the server action's commands first: the attempt counters, then the new session", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = await signUp(page, freshUser("trace-action"));
  await context.clearCookies();
  await signIn(page, user);

  const panel = tracePanel(page);
  const rows = await openTrace(page);
  await expect(panel.getByRole("rowheader", { name: "POST /login (the server action)" })).toBeVisible();
  await expect(panel.getByRole("rowheader", { name: "GET / (the page it redirected to)" })).toBeVisible();
  await expect(rows.filter({ hasText: "EVALSHA countAttempt" }).first()).toContainText("count a sign-in attempt");
  await expect(rows.filter({ hasText: "EVALSHA createSession" })).toContainText(shownSessionKey((await sessionCookie(context))!.value));
  await closeContexts(context);
});

test("after \"Sign out all other devices\", the resulting page lists the revoke script", async ({ browser }) => {
  const { devices } = await signedInDevices(browser, [CHROME_ON_MAC, FIREFOX_ON_WINDOWS]);
  try {
    const { page, context } = devices[0];
    await openDevices(page);
    await page.getByRole("button", { name: "Sign out all other devices" }).click();
    await expect(page).toHaveURL(/\/devices\?signedOut=1$/);
    const rows = await openTrace(page);
    const revoke = rows.filter({ hasText: "EVALSHA revokeSessions" });
    await expect(revoke).toHaveCount(1);
    expect((await cellsOf(revoke))[0]).toBe("end the session");
    await expect(rows.filter({ hasText: "↳ inside revokeSessions" }).filter({ hasText: "DEL" })).toHaveCount(1);
    const token = (await sessionCookie(context))!.value;
    expect(await tracePanel(page).innerHTML()).not.toContain(sessionIdOf(token));
  } finally {
    await closeAll(devices);
  }
});

test("the API answers with one Server-Timing entry per Redis command", async ({ request }) => {
  const response = await request.get(`${mainUrl()}/api/health`);
  expect(response.headers()["server-timing"]).toMatch(/^redis;dur=\d+\.\d{3};desc="health check: PING"/);
});

test("SHOW_REDIS_TRACE=off: no panel, no Server-Timing", async ({ page, request }) => {
  // The strict server runs with SHOW_REDIS_TRACE=off (playwright.config.ts).
  // The panel is drawn in the browser from the trace id the page carries: off, the page carries none.
  const offHtml = await (await request.get(`${attackUrl()}/login`)).text();
  expect(offHtml).toContain("Sign in");
  expect(offHtml).not.toContain("traceId");
  await page.goto(`${attackUrl()}/login`);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expect(page.getByText(PANEL_SUMMARY)).toHaveCount(0);
  const health = await request.get(`${attackUrl()}/api/health`);
  expect(health.status()).toBe(200);
  expect(health.headers()["server-timing"]).toBeUndefined();
  // The same page on the main server (demo mode: on) carries its trace id, and the browser draws the panel.
  const onHtml = await (await request.get(`${mainUrl()}/login`)).text();
  expect(onHtml).toMatch(/traceId\\?":\\?"[A-Za-z0-9_-]{22}/);
  expect(onHtml, "no HTML for the panel from the server").not.toContain(PANEL_SUMMARY);
  await page.goto(`${mainUrl()}/login`);
  await expect(tracePanel(page)).toBeVisible();
});
