import { expect, type Page } from "@playwright/test";
import { urlPattern } from "./users";

// The live stream every signed-in page keeps open (GET /api/live), and the
// sign-in page's word on why a session ended.

/** Navigates and resolves once the page's live stream has answered (its events can reach it from then on). */
export async function gotoWithLiveStream(page: Page, url: string): Promise<void> {
  const opened = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/live" && response.status() === 200);
  await page.goto(url);
  await opened;
}

/** The sign-in page (at `path`) with the reason its session ended (role="status"). */
export async function expectEndedOnLogin(
  page: Page,
  baseUrl: string,
  message: string,
  options: { timeout?: number; path?: string } = {},
): Promise<void> {
  await expect(page).toHaveURL(urlPattern(baseUrl, options.path ?? "/login"), { timeout: options.timeout });
  await expect(page.getByRole("status")).toHaveText(message);
}
