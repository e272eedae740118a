import { expect, test } from "./support/test";
import {
  ALICE,
  expectSignedInHome,
  freshUser,
  sessionCookie,
  signIn,
  signOut,
  signUp,
  submitSignUp,
  urlPattern,
} from "./support/users";
import { TOKEN_PATTERN } from "./support/keys";
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
