import type { BrowserContext } from "@playwright/test";
import { gotoPast } from "./users";

// Closing a browser context while one of its pages commits a navigation can hang
// in Chromium: the close is acknowledged but never done (microsoft/playwright
// #41900, #42366). Our signed-in pages navigate by themselves (the live stream
// sends a tab whose session ended to /login), so a test that ends a session and
// then closes the contexts would race that. Each page is first parked on
// about:blank, which has no live stream: nothing can navigate during the close.

/** Parks every page of the context on about:blank. */
export async function parkPages(context: BrowserContext): Promise<void> {
  // A page that cannot be parked (already closed, crashed) is closed as it is.
  await Promise.all(context.pages().map((page) => gotoPast(page, "about:blank").catch(() => undefined)));
}

/** Parks every page of the contexts, then closes them. */
export async function closeContexts(...contexts: BrowserContext[]): Promise<void> {
  await Promise.all(
    contexts.map(async (context) => {
      await parkPages(context);
      await context.close();
    }),
  );
}
