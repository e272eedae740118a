import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { bearer } from "./support/api";
import { closeContexts } from "./support/contexts";
import { proxiedUrl } from "./support/env";
import { formAlert, freshUser, signUp, type Credentials } from "./support/users";

// Someone who stole a session (a copied cookie or bearer token) does not know the
// password, and a right guess would let them change it and end every other
// session: an account takeover. So a session's password proofs (confirm,
// password change, deletion) are limited per session and per user, whatever the
// address: these attacks rotate X-Forwarded-For on the server that trusts one
// proxy hop (TRUST_PROXY=1), as an attacker with many addresses would.

const base = proxiedUrl();
let next = 0;
/** An address of its own for each request (TEST-NET-3 and benchmark ranges). */
const address = (): string => {
  next++;
  return `198.18.${Math.floor(next / 250) % 250}.${(next % 250) + 1}`;
};

async function newUser(browser: import("@playwright/test").Browser): Promise<Credentials> {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": address() } });
  const user = await signUp(await context.newPage(), freshUser("guess"), base);
  await closeContexts(context);
  return user;
}

async function tokenOf(request: APIRequestContext, user: Credentials): Promise<string> {
  const response = await request.post(`${base}/api/auth/login`, { data: user, headers: { "x-forwarded-for": address() } });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

const confirm = (request: APIRequestContext, token: string, password: string): Promise<number> =>
  request.post(`${base}/api/auth/confirm`, { data: { password }, headers: { ...bearer(token), "x-forwarded-for": address() } }).then((response) => response.status());

test("a stolen bearer token guessing the password from 40 addresses is refused from the 6th guess on, the right password included", async ({ browser, request }) => {
  const user = await newUser(browser);
  const token = await tokenOf(request, user);
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) statuses.push(await confirm(request, token, `guess-${i}`));
  expect(statuses.slice(0, 5)).toEqual(Array(5).fill(403));
  expect(statuses.slice(5)).toEqual(Array(35).fill(429));
  expect(await confirm(request, token, user.password), "the right password, now: the limit holds").toBe(429);
  // The stolen session still works (a lock-out, not a sign-out); the owner signs in
  // again, and a session that just signed in needs no confirmation to end the others.
  expect((await request.get(`${base}/api/me`, { headers: bearer(token) })).status()).toBe(200);
  const owner = await tokenOf(request, user);
  expect((await request.delete(`${base}/api/sessions`, { headers: bearer(owner) })).status()).toBe(204);
  expect((await request.get(`${base}/api/me`, { headers: bearer(token) })).status(), "the stolen token, once the owner ended the others").toBe(401);
});

test("guesses spread over many stolen sessions of one user stop at 20 in all", async ({ browser, request }) => {
  const user = await newUser(browser);
  const statuses: number[] = [];
  for (let s = 0; s < 5; s++) {
    const token = await tokenOf(request, user);
    for (let i = 0; i < 5; i++) statuses.push(await confirm(request, token, `guess-${s}-${i}`));
  }
  expect(statuses.slice(0, 20)).toEqual(Array(20).fill(403));
  expect(statuses.slice(20)).toEqual(Array(5).fill(429));
  expect(await confirm(request, await tokenOf(request, user), user.password), "a fresh session, once the user's limit is reached").toBe(429);
});

test("the confirm page, posted from rotating addresses, says \"Too many attempts\" from the 6th wrong password on", async ({ browser }) => {
  const user = await newUser(browser);
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  await page.setExtraHTTPHeaders({ "x-forwarded-for": address() });
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${base}/`);
  for (let i = 0; i < 6; i++) {
    await page.setExtraHTTPHeaders({ "x-forwarded-for": address() });
    await page.goto(`${base}/confirm`);
    await page.getByLabel("Password").fill(`guess-${i}`);
    await page.getByRole("button", { name: "Confirm" }).click();
    const expected = i < 5 ? "That password is not correct." : "Too many attempts";
    await expect(formAlert(page)).toContainText(expected);
  }
  await closeContexts(context);
});
