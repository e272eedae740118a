import type { Page } from "@playwright/test";

// Reading a Content-Security-Policy header, and catching what the browser blocks.

export type Policy = Map<string, string[]>;

/** Directive name → its source list (names lower-cased; the first occurrence wins, as in browsers). */
export function parsePolicy(header: string): Policy {
  const policy: Policy = new Map();
  for (const directive of header.split(";")) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name && !policy.has(name.toLowerCase())) policy.set(name.toLowerCase(), sources);
  }
  return policy;
}

/** The nonce of script-src ('nonce-…'), if any. */
export function scriptNonce(policy: Policy): string | undefined {
  const source = (policy.get("script-src") ?? []).find((item) => /^'nonce-[^']+'$/.test(item));
  return source?.slice("'nonce-".length, -1);
}

export type CspWatch = {
  /** securitypolicyviolation events, one line each. */
  violations: string[];
  /** What Chromium printed to the console when it blocked something (the same blocks, in its words). */
  console: string[];
  /** Uncaught page errors (a page that works throws none). */
  errors: string[];
};

/**
 * Starts recording CSP violations on a page: a `securitypolicyviolation` listener
 * installed before any of the page's own scripts run (init scripts are not subject
 * to the page's policy), plus the console messages Chromium prints when it blocks.
 */
export async function watchCsp(page: Page): Promise<CspWatch> {
  const watch: CspWatch = { violations: [], console: [], errors: [] };
  await page.exposeBinding("__reportCspViolation", (_source, text: string) => {
    watch.violations.push(text);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      report(
        `${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} on ${event.documentURI} ` +
          `at ${event.sourceFile || "?"}:${event.lineNumber} ${event.sample ? JSON.stringify(event.sample) : ""}`.trim(),
      );
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame|evaluate)/i.test(message.text())) {
      watch.console.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => watch.errors.push(error.message));
  return watch;
}
