import { expect, test } from "./support/test";
import { mainUrl } from "./support/env";
import { ALICE, submitSignIn } from "./support/users";

// `next` values the URL parser turns into "//evil.example/": a check on the raw
// text lets them through, and the browser then reads the path as another host.
// Signing in with one must land on this site. Requests to evil.example are
// aborted, so the test never leaves the machine, and recorded: an empty record
// is the proof the browser did not even try.

const PAYLOADS = ["/.//evil.example/", "/%2e//evil.example/", "/a/..//evil.example/"];

/** By host, not by substring: the login URL itself carries "evil.example" in its query. */
function isEvil(url: URL): boolean {
  return url.hostname === "evil.example" || url.hostname.endsWith(".evil.example");
}

for (const payload of PAYLOADS) {
  test(`signing in with next=${payload} stays on the site`, async ({ page, context }) => {
    const attempted: string[] = [];
    let onAttempt: () => void = () => {};
    const evilAttempt = new Promise<void>((resolve) => (onAttempt = resolve));
    await context.route(isEvil, async (route) => {
      attempted.push(route.request().url());
      onAttempt();
      await route.abort();
    });

    await page.goto(`/login?next=${encodeURIComponent(payload)}`);
    // The payload reaches the server action untouched, through the form's hidden field.
    await expect(page.locator('input[type="hidden"][name="next"]')).toHaveValue(payload);
    await submitSignIn(page, ALICE, { open: false });

    const signedIn = page.getByText(`Signed in as ${ALICE.email}`);
    // Whichever comes first: the signed-in home page, or a try at evil.example.
    await Promise.race([signedIn.waitFor({ timeout: 15_000 }).catch(() => {}), evilAttempt]);
    expect(attempted, "requests to evil.example").toEqual([]);
    expect(new URL(page.url()).origin).toBe(mainUrl());
    await expect(signedIn).toBeVisible();
  });
}
