import { expect, type Locator, type Page } from "@playwright/test";
import { sessionIdOf, tagOf } from "./keys";

// "Redis behind this page" as a reader finds it: a disclosure at the bottom of
// the page, a table of Step, Command, Key, Time.

export const PANEL_SUMMARY = "Redis behind this page";

export function tracePanel(page: Page): Locator {
  return page.getByRole("group", { name: PANEL_SUMMARY });
}

/** Opens the panel and returns its rows (header rows left out). */
export async function openTrace(page: Page): Promise<Locator> {
  const panel = tracePanel(page);
  await panel.locator("summary").click();
  await expect(panel.getByRole("table")).toBeVisible();
  return panel.getByRole("row").filter({ has: page.getByRole("cell") });
}

/** The four cells of a row, as text. */
export async function cellsOf(row: Locator): Promise<string[]> {
  return (await row.getByRole("cell").allInnerTexts()).map((text) => text.trim());
}

/** How the panel writes a session's key: the user tag and the session id cut to 8 characters. */
export function shownSessionKey(token: string): string {
  return `session:{${tagOf(token).slice(0, 8)}…}:token:${sessionIdOf(token).slice(0, 8)}…`;
}
