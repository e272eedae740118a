import { expect, test } from "./support/test";
import { watchCsp } from "./support/csp";
import { freshUser, signUp } from "./support/users";
import { closeContexts } from "./support/contexts";

// /how-it-works tells the pattern's story: public, linked from the sign-in page
// and the signed-in header, drawn under the strict CSP without a violation.

test("/how-it-works is public, has the six steps with their commands, a diagram and the choices to keep", async ({ page }) => {
  const watch = await watchCsp(page);
  const response = await page.goto("/how-it-works");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "How it works", level: 1 })).toBeVisible();
  for (const [i, step] of ["Sign in", "Each request", "Sign out", "Devices", "Device-bound sessions", "Expiry"].entries()) {
    await expect(page.getByRole("heading", { name: `${i + 1}. ${step}` })).toBeVisible();
  }
  await expect(page.getByText(/EVALSHA validateSession → HMGET session:\{<uid>\}:token:<id>/)).toBeVisible();
  await expect(page.getByText(/EVALSHA createSession → GET session:\{<uid>\}:fence:/)).toBeVisible();
  await expect(page.getByText(/EVALSHA setBoundCookie → HMGET session:\{<uid>\}:token:<id>/).first()).toBeVisible();
  await expect(page.getByRole("img", { name: /Sequence diagram/ })).toBeVisible();
  for (const choice of ["Hash the token", "Absolute and idle expiry", "One atomic check", "The user in the session, and sessions that follow the user", "An index instead of SCAN"]) {
    await expect(page.getByRole("term").filter({ hasText: choice })).toBeVisible();
  }
  await expect(page.getByText("lib/session/scripts.ts (VALIDATE_SESSION)")).toBeVisible();
  expect([...watch.violations, ...watch.console, ...watch.errors]).toEqual([]);
});

test("the sign-in page and the signed-in header link to it", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByRole("link", { name: "How it works" }).click();
  await expect(page).toHaveURL(/\/how-it-works$/);
  await signUp(page, freshUser("story"));
  await page.getByRole("banner").getByRole("link", { name: "How it works" }).click();
  await expect(page.getByRole("heading", { name: "How it works", level: 1 })).toBeVisible();
  await closeContexts(context);
});
