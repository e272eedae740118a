import { expect, test } from "@playwright/test";
import { apiLogin, bearer } from "./support/api";
import { mainUrl } from "./support/env";
import { withRedis } from "./support/redis";
import { formAlert, freshUser, sessionCookie, signUp, submitSignIn } from "./support/users";
import { sessionHashKey, tagOf, userIndexKeyOf } from "./support/keys";
import { closeContexts } from "./support/contexts";
import { findStoredUser } from "./support/users-database";

// Deleting an account (ASVS 7.4.2) ends every session of it in Redis and removes
// the user row. (A users database reset under the app's feet: users-database-reset.spec.ts.)

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
  expect(await findStoredUser(user.email), "the user row is gone").toBeUndefined();
  expect((await request.get(`${mainUrl()}/api/me`, { headers: bearer(other.token) })).status()).toBe(401);

  await submitSignIn(page, user);
  await expect(formAlert(page)).toHaveText("Invalid email or password");
  await closeContexts(context);
});

test("DELETE /api/me needs the password, as the form does, then deletes the account of a fresh session (204)", async ({ browser, request }) => {
  const context = await browser.newContext();
  const user = await signUp(await context.newPage(), freshUser("delete-api"));
  await closeContexts(context);
  const { token } = await apiLogin(request, user);
  const me = `${mainUrl()}/api/me`;
  // A fresh session alone (a token stolen right after sign-in) deletes nothing.
  const bare = await request.delete(me, { headers: bearer(token) });
  expect(bare.status()).toBe(415);
  expect((await bare.json()).error).toContain('{"password": "…"}');
  const wrong = await request.delete(me, { headers: bearer(token), data: { password: "not-the-password" } });
  expect(wrong.status()).toBe(403);
  expect(await wrong.json()).toEqual({ error: "wrong password" });
  expect((await request.delete(me, { headers: bearer(token), data: { nope: 1 } })).status()).toBe(400);
  expect((await request.get(me, { headers: bearer(token) })).status(), "nothing was deleted").toBe(200);
  expect((await request.delete(me, { headers: bearer(token), data: { password: user.password } })).status()).toBe(204);
  expect((await request.get(`${mainUrl()}/api/me`, { headers: bearer(token) })).status()).toBe(401);
  expect((await request.post(`${mainUrl()}/api/auth/login`, { data: user })).status()).toBe(401);
});
