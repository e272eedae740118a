import { expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { freshUser, signIn, signUp, type Credentials } from "./users";
import { closeContexts } from "./contexts";

// Browsers for the devices tests: each context gets a user agent of its own, so
// its row on the devices page can be told apart from the others.

export type Agent = { userAgent: string; label: string };

export const CHROME_ON_MAC: Agent = {
  userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
  label: "Chrome 142 on macOS",
};

export const FIREFOX_ON_WINDOWS: Agent = {
  userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
  label: "Firefox 128 on Windows 10",
};

export const SAFARI_ON_IPHONE: Agent = {
  userAgent:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  label: "Mobile Safari 17 on iOS 17.5",
};

export type Device = { agent: Agent; context: BrowserContext; page: Page };

/**
 * One fresh user signed in on several browsers, in order: the first signs up, the
 * others sign in. The caller closes the contexts (see `closeAll`).
 */
export async function signedInDevices(
  browser: Browser,
  agents: Agent[],
  options: { user?: Credentials; create?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<{ user: Credentials; devices: Device[] }> {
  const user = options.user ?? freshUser("devices");
  const devices: Device[] = [];
  try {
    for (const [i, agent] of agents.entries()) {
      const context = await browser.newContext({ userAgent: agent.userAgent, viewport: options.viewport });
      const page = await context.newPage();
      devices.push({ agent, context, page });
      if (i === 0 && (options.create ?? !options.user)) await signUp(page, user);
      else await signIn(page, user);
    }
  } catch (error) {
    await closeAll(devices);
    throw error;
  }
  return { user, devices };
}

export async function closeAll(devices: Device[]): Promise<void> {
  await closeContexts(...devices.map((device) => device.context));
}

/** Opens /devices and returns its "Active sessions" items. */
export async function openDevices(page: Page): Promise<Locator> {
  await page.goto("/devices");
  await expect(page.getByRole("heading", { name: "Devices" })).toBeVisible();
  return sessionItems(page);
}

export function sessionItems(page: Page): Locator {
  return page.getByRole("list", { name: "Active sessions" }).getByRole("listitem");
}

/** The item of the session that made the request. */
export function currentItem(items: Locator): Locator {
  return items.filter({ hasText: "This device" });
}

/** The item whose browser/OS line is this agent's. */
export function itemOf(items: Locator, agent: Agent): Locator {
  return items.filter({ hasText: agent.label });
}
