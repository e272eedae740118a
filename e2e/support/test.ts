import { test as base } from "@playwright/test";
import { parkPages } from "./contexts";

export { expect } from "@playwright/test";

/**
 * Playwright's test, whose own `context` (and so `page`) is parked on about:blank
 * before Playwright closes it: see contexts.ts for the hang this avoids.
 */
export const test = base.extend({
  context: async ({ context }, run) => {
    await run(context);
    await parkPages(context);
  },
});
