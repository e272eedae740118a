import { expect, test } from "./support/test";
import { mainUrl } from "./support/env";
import { formAlert, freshUser, signUp, submitSignIn } from "./support/users";
import { closeContexts } from "./support/contexts";

// At most 5 failed sign-ins per email+IP per 15 minutes. (The suite's server has
// its per-IP limit raised so the suite does not throttle itself; that limit is
// covered against Redis in test/login-limiter.test.ts.)

test("the sign-in form stops after 5 failures, even for the right password", async ({ browser, page }) => {
  const setup = await browser.newContext();
  const user = await signUp(await setup.newPage(), freshUser("limit"));
  await closeContexts(setup);

  for (let i = 0; i < 5; i++) {
    await submitSignIn(page, { email: user.email, password: `wrong-${i}` });
    await expect(formAlert(page)).toHaveText("Invalid email or password");
  }
  await submitSignIn(page, user);
  await expect(formAlert(page)).toHaveText("Too many attempts. Try again in 15 minutes.");
  await expect(page).toHaveURL(/\/login$/);
});

test("the API answers 429 with Retry-After past the limit; a success clears the count", async ({ request, browser }) => {
  const setup = await browser.newContext();
  const user = await signUp(await setup.newPage(), freshUser("limit-api"));
  await closeContexts(setup);
  const login = (password: string) => request.post(`${mainUrl()}/api/auth/login`, { data: { email: user.email, password } });

  for (let i = 0; i < 4; i++) expect((await login("wrong")).status()).toBe(401);
  expect((await login(user.password)).status()).toBe(200); // forgives the four failures
  for (let i = 0; i < 5; i++) expect((await login("wrong")).status()).toBe(401);

  const limited = await login(user.password);
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(800);
  expect(Number(limited.headers()["retry-after"])).toBeLessThanOrEqual(900);
  expect(await limited.json()).toEqual({ error: "Too many attempts. Try again in 15 minutes." });
});
