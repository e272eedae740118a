import { expect, test } from "./support/test";
import { attackUrl, mainUrl, proxiedUrl } from "./support/env";
import { formAlert, freshUser, submitSignUp } from "./support/users";
import { closeContexts } from "./support/contexts";

// Sign-up: at most 10 accounts per address per hour, counted before any hashing
// (on the proxied server, where each test forges an address of its own through
// the trusted hop); passwords of 8 to 128 characters that are not among the
// 1,000 most common; demo users listed on /login only in demo mode.

test("the 11th sign-up from one address in an hour is refused with the time to wait", async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "198.51.100.77" } });
  const page = await context.newPage();
  for (let i = 0; i < 10; i++) {
    await submitSignUp(page, freshUser(`many-${i}`), proxiedUrl());
    await expect(page.getByText(/Signed in as/)).toBeVisible();
  }
  const eleventh = freshUser("many-11");
  await submitSignUp(page, eleventh, proxiedUrl());
  await expect(formAlert(page)).toHaveText("Too many attempts. Try again in 60 minutes.");
  await closeContexts(context);
});

test("passwords over 128 characters and common ones are refused next to the field", async ({ page }) => {
  for (const [password, message] of [
    ["x".repeat(129), "Use at most 128 characters"],
    ["y".repeat(500_000), "Use at most 128 characters"],
    ["iloveyou", "This password is too common."],
    ["password1", "This password is too common."],
  ] as const) {
    await page.goto(`${mainUrl()}/signup`);
    await page.getByLabel("Email").fill(freshUser("weak").email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByLabel("Password")).toHaveAccessibleDescription(message);
    await expect(page).toHaveURL(`${mainUrl()}/signup`);
  }
});

test("demo users are listed in demo mode and not with DEMO_USERS=off", async ({ page }) => {
  await page.goto(`${mainUrl()}/login`);
  await expect(page.getByRole("region", { name: "Demo users" })).toContainText("alice@example.com");
  await page.goto(`${attackUrl()}/login`);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByText("Demo users")).toHaveCount(0);
  await expect(page.getByText("alice@example.com")).toHaveCount(0);
});
