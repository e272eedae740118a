import { chromium, type Browser } from "@playwright/test";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { percentile, median } from "./stats";

// Revoke → the revoked tab moves: a real Chromium holds a signed-in page open on
// the app (its live stream open), an API client revokes that session, and the
// clock runs until the tab starts its navigation (the Server-Sent Event arrived
// and was acted on) and until the sign-in page has loaded in it (that navigation,
// through the proxy and its one Redis call, done). A figure, not a pass/fail.

export type LiveResults = {
  revokes: number;
  /** Revoke sent → the revoked tab's navigation request. */
  toNavigationMs: { median: number; p99: number; max: number };
  /** Revoke sent → /login loaded in that tab (DOMContentLoaded). */
  toLoginPageMs: { median: number; p99: number; max: number };
};

const COOKIE_NAME = "__Host-session";

function launchChromium(): Promise<Browser> {
  const own = chromium.executablePath();
  return chromium.launch({ executablePath: existsSync(own) ? undefined : (process.env.CHROMIUM_PATH ?? "/usr/bin/chromium") });
}

async function apiSignIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

async function sessionIdOf(baseUrl: string, token: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { session: { id: string } }).session.id;
}

const summary = (samples: number[]) => ({ median: median(samples), p99: percentile(samples, 99), max: Math.max(...samples) });

export async function runRevokeLatency(serverUrl: string, user: { email: string; password: string }, revokes: number): Promise<LiveResults> {
  // The browser speaks to "localhost", a secure context, where the __Host- cookie is kept over plain HTTP.
  const baseUrl = serverUrl.replace("127.0.0.1", "localhost");
  const revoker = await apiSignIn(serverUrl, user.email, user.password);
  const browser = await launchChromium();
  const toNavigation: number[] = [];
  const toLoginPage: number[] = [];
  try {
    for (let i = 0; i < revokes; i++) {
      const token = await apiSignIn(serverUrl, user.email, user.password);
      const context = await browser.newContext();
      // Set for the https origin (a Secure cookie cannot be set for http); the browser still sends it to http://localhost.
      await context.addCookies([{ name: COOKIE_NAME, value: token, url: baseUrl.replace(/^http:/, "https:"), secure: true, httpOnly: true, sameSite: "Lax" }]);
      const page = await context.newPage();
      const streamOpen = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/live");
      await page.goto(`${baseUrl}/`);
      await streamOpen;
      const id = await sessionIdOf(serverUrl, token);

      const navigating = page.waitForRequest((request) => request.isNavigationRequest()).then(() => performance.now());
      const loginLoaded = page.waitForURL(/\/login$/, { waitUntil: "domcontentloaded" }).then(() => performance.now());
      const sent = performance.now();
      const response = await fetch(`${serverUrl}/api/sessions/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${revoker}` } });
      if (response.status !== 204) throw new Error(`revoke: ${response.status}`);
      toNavigation.push((await navigating) - sent);
      toLoginPage.push((await loginLoaded) - sent);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { revokes, toNavigationMs: summary(toNavigation), toLoginPageMs: summary(toLoginPage) };
}
