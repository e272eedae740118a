import { expect, test } from "./support/test";
import {
  ALICE,
  expectSignedInHome,
  freshUser,
  SESSION_COOKIE,
  sessionCookie,
  signIn,
  signOut,
  signUp,
  submitSignUp,
  urlPattern,
} from "./support/users";
import { TOKEN_PATTERN } from "./support/keys";
import { mainUrl } from "./support/env";
import { encodeForm, fillForm, readForm } from "./support/html-form";
import { findStoredUser } from "./support/users-database";
import { closeContexts } from "./support/contexts";

test("the login page links to sign-up, which creates the account and signs it in", async ({ page, context }) => {
  await page.goto("/login");
  await page.locator('a[href="/signup"]').click();
  await expect(page).toHaveURL(urlPattern("", "/signup"));
  await expect(page.getByRole("button", { name: "Create account" })).toBeVisible();

  const user = freshUser("signup");
  await submitSignUp(page, user);
  await expectSignedInHome(page, user.email);
  expect((await sessionCookie(context))?.value).toMatch(TOKEN_PATTERN);
});

test("an email that is taken is refused with a way to sign in instead", async ({ page, context }) => {
  await submitSignUp(page, { email: ALICE.email, password: "another-long-password" });
  await expect(page.getByText("An account with this email already exists. Sign in instead?")).toBeVisible();
  await expect(page).toHaveURL(urlPattern("", "/signup"));
  expect(await sessionCookie(context), "no session for a refused sign-up").toBeUndefined();
});

test("a password under 8 characters is refused next to the field", async ({ page, context }) => {
  const user = { ...freshUser("short"), password: "1234567" };
  await submitSignUp(page, user);
  const password = page.getByLabel("Password");
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await expect(password).toHaveAccessibleDescription("Use at least 8 characters");
  await expect(page).toHaveURL(urlPattern("", "/signup"));
  expect(await sessionCookie(context), "no session for a refused sign-up").toBeUndefined();

  // Nothing was created: the same email can still sign up, with a long enough password.
  await signUp(page, { email: user.email, password: "kq7-vz2m" });
});

test("a new user can sign out and sign in again", async ({ page }) => {
  const user = await signUp(page, freshUser("again"));
  await signOut(page);
  await signIn(page, user);
});

test("two sign-ups racing for one email create exactly one account", async ({ browser }) => {
  const user = freshUser("race");
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const pages = await Promise.all(contexts.map((context) => context.newPage()));
    for (const page of pages) {
      await page.goto("/signup");
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(user.password);
    }
    await Promise.all(pages.map((page) => page.getByRole("button", { name: "Create account" }).click()));
    const outcome = async (page: (typeof pages)[number]): Promise<string> => {
      const home = page.getByText(`Signed in as ${user.email}`);
      const taken = page.getByText("An account with this email already exists. Sign in instead?");
      await expect(home.or(taken)).toBeVisible();
      return (await home.isVisible()) ? "created" : "taken";
    };
    expect((await Promise.all(pages.map(outcome))).sort()).toEqual(["created", "taken"]);
  } finally {
    await closeContexts(...contexts);
  }
});

test("50 sign-ups racing for one email, posted as browsers post the form, create exactly one account", async ({ request }) => {
  const email = freshUser("race50").email;
  const form = readForm(await (await request.get(`${mainUrl()}/signup`)).text());
  if (!form) throw new Error("no form on /signup");
  const passwords = Array.from({ length: 50 }, (_, i) => `race-password-${i}-${Date.now()}`);
  const answers = await Promise.all(
    passwords.map(async (password) => {
      const { body, contentType } = await encodeForm(fillForm(form, { email, password }), form.enctype);
      const response = await request.post(`${mainUrl()}/signup`, { data: body, headers: { "content-type": contentType, origin: mainUrl() }, maxRedirects: 0 });
      const signedIn = (response.headers()["set-cookie"] ?? "").includes(`${SESSION_COOKIE}=`);
      return { status: response.status(), signedIn };
    }),
  );
  expect(answers.filter((answer) => answer.status >= 500), "no 5xx").toEqual([]);
  const winners = answers.flatMap((answer, i) => (answer.signedIn ? [i] : []));
  expect(winners, "exactly one sign-up got a session").toHaveLength(1);
  // The one account has the winner's password; a loser's does not sign in.
  const login = (password: string) => request.post(`${mainUrl()}/api/auth/login`, { data: { email, password } });
  expect((await login(passwords[winners[0]])).status()).toBe(200);
  expect((await login(passwords[(winners[0] + 1) % passwords.length])).status()).toBe(401);
  expect((await findStoredUser(email))?.email).toBe(email);
});
