import { test } from "@playwright/test";
import { shortIdleUrl } from "./support/env";
import { expectSentToLogin, expectSignedInHome, freshUser, signUp } from "./support/users";
import { closeContexts } from "./support/contexts";

// Against the server started with SESSION_IDLE_TTL=3 (same Redis and database).

test("a session is kept alive by use and ends after 3 idle seconds", async ({ browser }) => {
  const base = shortIdleUrl();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const user = await signUp(page, freshUser("idle"), base);

    // Used twice within the timeout: by the second visit more than 3 seconds have
    // passed since sign-in, so the expiry must have slid on each request.
    // about:blank in between makes sure the page sends nothing while it waits.
    for (let visit = 0; visit < 2; visit++) {
      await page.goto("about:blank");
      await page.waitForTimeout(1800);
      await page.goto(`${base}/`);
      await expectSignedInHome(page, user.email, base);
    }

    await page.goto("about:blank");
    await page.waitForTimeout(4500); // past the 3-second idle timeout, no requests
    await expectSentToLogin(page, "/devices", base);
  } finally {
    await closeContexts(context);
  }
});
