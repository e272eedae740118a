import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { apiLogin, bearer } from "./support/api";
import { mainUrl, requiredEnv } from "./support/env";
import { withRedis } from "./support/redis";
import { formAlert, freshUser, sessionCookie, signUp, submitSignIn } from "./support/users";
import { sessionHashKey, tagOf, userIndexKeyOf } from "./support/keys";
import { closeContexts } from "./support/contexts";

// Deleting an account (ASVS 7.4.2) ends every session of it in Redis and removes
// the user row; and no session ever outlives its user row or attaches to a later
// row that got the same numeric id.

function usersDb(): Database.Database {
  return new Database(requiredEnv("E2E_DATABASE_URL"));
}

test("Delete account removes the user and every session, and lands on /login saying so", async ({ browser, request }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = await signUp(page, freshUser("delete"));
  const browserToken = (await sessionCookie(context))!.value;
  const other = await apiLogin(request, user);
  const { user: me } = (await (await request.get(`${mainUrl()}/api/me`, { headers: bearer(other.token) })).json()) as { user: { id: number } };

  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Delete account" });
  await section.getByLabel("Confirm password").fill("not-my-password");
  await section.getByRole("button", { name: "Delete account" }).click();
  await expect(formAlert(page)).toHaveText("That password is not correct. Nothing was deleted.");

  await section.getByLabel("Confirm password").fill(user.password);
  await section.getByRole("button", { name: "Delete account" }).click();
  await expect(page).toHaveURL(`${mainUrl()}/login?deleted=1`);
  await expect(page.getByRole("status")).toHaveText("Your account was deleted.");
  expect(await sessionCookie(context)).toBeUndefined();

  await withRedis(async (redis) => {
    expect(await redis.exists(userIndexKeyOf(tagOf(browserToken), me.id))).toBe(0);
    for (const token of [browserToken, other.token]) expect(await redis.exists(sessionHashKey(token))).toBe(0);
  });
  const db = usersDb();
  expect(db.prepare("select count(*) as n from users where email = ?").get(user.email)).toEqual({ n: 0 });
  db.close();
  expect((await request.get(`${mainUrl()}/api/me`, { headers: bearer(other.token) })).status()).toBe(401);

  await submitSignIn(page, user);
  await expect(formAlert(page)).toHaveText("Invalid email or password");
  await closeContexts(context);
});

test("DELETE /api/me deletes the account of a fresh session (204)", async ({ browser, request }) => {
  const context = await browser.newContext();
  const user = await signUp(await context.newPage(), freshUser("delete-api"));
  await closeContexts(context);
  const { token } = await apiLogin(request, user);
  expect((await request.delete(`${mainUrl()}/api/me`, { headers: bearer(token) })).status()).toBe(204);
  expect((await request.get(`${mainUrl()}/api/me`, { headers: bearer(token) })).status()).toBe(401);
  expect((await request.post(`${mainUrl()}/api/auth/login`, { data: user })).status()).toBe(401);
});

test("a session whose user row was replaced by another with the same id is deleted on first sight, its cookie cleared", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = await signUp(page, freshUser("reissued"));
  const token = (await sessionCookie(context))!.value;
  // Nothing open on the old page: its live stream would be told of the deletion
  // below and move the tab by itself, racing the navigation this test makes.
  await page.goto("about:blank");

  // The users file reset while Redis kept its data: the same id now names someone else.
  const db = usersDb();
  const row = db.prepare("select id, password_hash from users where email = ?").get(user.email) as { id: number; password_hash: string };
  db.prepare("delete from users where id = ?").run(row.id);
  db.prepare("insert into users (id, email, password_hash, uid) values (?, ?, ?, ?)").run(row.id, `other-${user.email}`, row.password_hash, `reissued-${row.id}`);
  db.close();

  const response = await page.goto("/");
  expect(response?.url()).toBe(`${mainUrl()}/login`);
  expect(await sessionCookie(context)).toBeUndefined();
  await withRedis(async (redis) => expect(await redis.exists(sessionHashKey(token))).toBe(0));
  await closeContexts(context);
});
