import { expect, test } from "@playwright/test";
import { prepareDatabase } from "../scripts/lib/database";
import { startPostgresServer, type RunningPostgres } from "../scripts/lib/postgres-server";
import { findFreePort } from "../scripts/lib/redis-server";
import { apiLogin, bearer } from "./support/api";
import { startAppServer, type AppServer } from "./support/app-server";
import { closeContexts } from "./support/contexts";
import { redisDatabaseUrl } from "./support/env";
import { ALICE, BOB, formAlert, freshUser, signIn, submitSignIn, submitSignUp } from "./support/users";

// PostgreSQL stopped under a running app. Signed-in pages and API reads do not
// need it (the session carries the user) and keep answering 200. What does need
// it — sign-in, sign-up, a password change or confirmation, deleting the account —
// answers "Accounts are temporarily unavailable" (a 503 for the API), never a 500
// and never a hang; and everything works again once PostgreSQL is back, with no
// restart of the app. This spec starts its own PostgreSQL server and app server.

const UNAVAILABLE = "Accounts are temporarily unavailable";
const WITHIN_MS = 2000; // what "not a hang" means here: a request that takes longer fails the test

let postgres: RunningPostgres;
let app: AppServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  postgres = await startPostgresServer({ port: await findFreePort() });
  await postgres.createDatabase("users");
  const target = { kind: "postgres", url: postgres.urlOf("users"), poolMax: 10, statementTimeoutMs: 1000 } as const;
  await prepareDatabase(target);
  app = await startAppServer({ DATABASE_URL: target.url, REDIS_URL: redisDatabaseUrl(5) });
});

test.afterAll(async () => {
  await app?.stop();
  await postgres?.destroy();
});

test("PostgreSQL down: signed-in pages and reads answer 200; sign-in, sign-up, password changes and deletion say it is unavailable; all recovers", async ({ browser, request }) => {
  const context = await browser.newContext();
  const visitor = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, ALICE, app.url);
    const { token } = await apiLogin(request, BOB, "curl/8.5.0", app.url);

    await postgres.stop();

    // What a signed-in user reads needs no users database.
    for (const path of ["/", "/devices", "/settings"]) {
      const response = await page.goto(`${app.url}${path}`);
      expect(response?.status(), path).toBe(200);
    }
    await page.goto(`${app.url}/`);
    await expect(page.getByText(`Signed in as ${ALICE.email}`)).toBeVisible();
    for (const path of ["/api/me", "/api/sessions", "/api/activity", "/api/me/expiry"]) {
      expect((await request.get(`${app.url}${path}`, { headers: bearer(token), timeout: WITHIN_MS })).status(), path).toBe(200);
    }
    const health = await request.get(`${app.url}/api/health`, { timeout: WITHIN_MS });
    expect(health.status()).toBe(503);
    expect(await health.json()).toMatchObject({ redis: "ok", database: "down", databaseKind: "postgres" });

    // What needs it: an answer that says so, at once.
    const login = await request.post(`${app.url}/api/auth/login`, { data: ALICE, timeout: WITHIN_MS });
    expect(login.status()).toBe(503);
    expect(await login.json()).toEqual({ error: UNAVAILABLE });
    const confirm = await request.post(`${app.url}/api/auth/confirm`, { data: { password: BOB.password }, headers: bearer(token), timeout: WITHIN_MS });
    expect(confirm.status()).toBe(503);
    expect(await confirm.json()).toEqual({ error: UNAVAILABLE });
    const deletion = await request.delete(`${app.url}/api/me`, { headers: bearer(token), data: { password: BOB.password }, timeout: WITHIN_MS });
    expect(deletion.status()).toBe(503);
    expect(await deletion.json()).toEqual({ error: UNAVAILABLE });

    const form = await visitor.newPage();
    await submitSignIn(form, ALICE, { baseUrl: app.url });
    await expect(formAlert(form)).toHaveText(`${UNAVAILABLE}. Please try again in a moment.`, { timeout: WITHIN_MS });
    await submitSignUp(form, freshUser("pg-down"), app.url);
    await expect(formAlert(form)).toHaveText(`${UNAVAILABLE}. Nothing was created; try again in a moment.`, { timeout: WITHIN_MS });

    await page.goto(`${app.url}/settings`);
    await page.getByLabel("Current password").fill(ALICE.password);
    await page.getByLabel("New password").fill("a-brand-new-password");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(formAlert(page)).toHaveText(`${UNAVAILABLE}. Nothing was changed; try again in a moment.`, { timeout: WITHIN_MS });

    // Back: the pool reconnects by itself.
    await postgres.start();
    await expect.poll(async () => (await request.get(`${app.url}/api/health`)).status(), { timeout: 10_000 }).toBe(200);
    expect((await request.post(`${app.url}/api/auth/login`, { data: ALICE })).status()).toBe(200);
    await submitSignIn(form, BOB, { baseUrl: app.url });
    await expect(form.getByText(`Signed in as ${BOB.email}`)).toBeVisible();
    // Nothing was lost or half-done while it was down: the old password still signs in, bob still exists.
    expect((await request.get(`${app.url}/api/me`, { headers: bearer(token) })).status()).toBe(200);
  } finally {
    await closeContexts(context, visitor);
  }
});
