import type { APIRequestContext, APIResponse, BrowserContext, Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { pingRedis } from "../scripts/lib/redis-server";
import { apiLogin, bearer } from "./support/api";
import { parsePolicy, scriptNonce, watchCsp, type CspWatch } from "./support/csp";
import { faultRedisPort, faultUrl, mainUrl } from "./support/env";
import { withRedis } from "./support/redis";
import { actionIdOfForm, hiddenFormFields, jsActionParts, multipartBody, noJsActionParts, serverActionId } from "./support/server-actions";
import { ALICE, SESSION_COOKIE, expectSignedInHome, freshUser, sessionCookie, signUp, submitSignUp, type Credentials } from "./support/users";
import { tagOf, UNKNOWN_TOKEN, userIndexKeyOf } from "./support/keys";
import { closeContexts } from "./support/contexts";

// The headers every page carries (a Content-Security-Policy with a fresh nonce per
// request, and the usual hardening headers), that Chromium runs the pages under that
// policy without blocking anything, and that a server action posted from another
// site is refused by the proxy before it runs.

const FOREIGN_ORIGIN = "https://evil.example";
const NOT_FOUND_PATH = "/no-such-page-here";

type PageUnderTest = { name: string; path: string; signedIn: boolean; status: number };

const PAGES: PageUnderTest[] = [
  { name: "/login", path: "/login", signedIn: false, status: 200 },
  { name: "/signup", path: "/signup", signedIn: false, status: 200 },
  { name: "/", path: "/", signedIn: true, status: 200 },
  { name: "/devices", path: "/devices", signedIn: true, status: 200 },
  { name: "/settings", path: "/settings", signedIn: true, status: 200 },
  { name: "a 404 page", path: NOT_FOUND_PATH, signedIn: true, status: 404 },
];

/** A fresh user, signed up through the form, and the token of that browser session. */
let member: { user: Credentials; token: string };

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  try {
    const user = await signUp(await context.newPage(), freshUser("csp"));
    const cookie = await sessionCookie(context);
    expect(cookie, "a session cookie after sign-up").toBeDefined();
    member = { user, token: cookie!.value };
  } finally {
    await closeContexts(context);
  }
});

/** The session cookie as the app's Set-Cookie would have put it (see auth.spec.ts). */
async function plantSessionCookie(context: BrowserContext, value: string): Promise<void> {
  const url = mainUrl().replace(/^http:/, "https:");
  await context.addCookies([{ name: SESSION_COOKIE, value, url, httpOnly: true, secure: true, sameSite: "Lax" }]);
}

function nonceOf(response: APIResponse): string | undefined {
  const header = response.headers()["content-security-policy"];
  return header ? scriptNonce(parsePolicy(header)) : undefined;
}

function expectPagePolicy(response: APIResponse, label: string): void {
  const headers = response.headers();
  const header = headers["content-security-policy"];
  expect(header, `${label}: Content-Security-Policy`).toBeTruthy();
  const policy = parsePolicy(header);
  const scriptSrc = policy.get("script-src") ?? [];
  expect(scriptNonce(policy), `${label}: a nonce in script-src (${header})`).toMatch(/^[A-Za-z0-9+/_-]{16,}={0,2}$/);
  expect(scriptSrc, `${label}: script-src`).toContain("'strict-dynamic'");
  expect(scriptSrc, `${label}: script-src`).not.toContain("'unsafe-eval'");
  expect(scriptSrc, `${label}: script-src`).not.toContain("'unsafe-inline'");
  expect(policy.get("frame-ancestors"), `${label}: frame-ancestors`).toEqual(["'none'"]);
  expect(headers["referrer-policy"], `${label}: Referrer-Policy`).toBe("strict-origin-when-cross-origin");
  expect(headers["x-content-type-options"], `${label}: X-Content-Type-Options`).toBe("nosniff");
  expect(headers["x-frame-options"], `${label}: X-Frame-Options`).toBe("DENY");
  expect(headers["x-powered-by"], `${label}: no X-Powered-By`).toBeUndefined();
}

/** The strict policy of the plain pages the proxy writes itself (403, 503): nothing may load or run. */
function expectPlainPagePolicy(response: APIResponse, label: string): void {
  const header = response.headers()["content-security-policy"];
  expect(header, `${label}: Content-Security-Policy`).toBeTruthy();
  const policy = parsePolicy(header);
  expect(policy.get("default-src"), `${label}: default-src (${header})`).toEqual(["'none'"]);
  expect(policy.get("script-src") ?? ["'none'"], `${label}: no script source`).toEqual(["'none'"]);
  expect(header, `${label}: no nonce`).not.toContain("'nonce-");
  expect(policy.get("frame-ancestors"), `${label}: frame-ancestors`).toEqual(["'none'"]);
  expect(response.headers()["x-content-type-options"], `${label}: X-Content-Type-Options`).toBe("nosniff");
}

test.describe("headers of every page", () => {
  for (const target of PAGES) {
    test(`${target.name}: nonce-based CSP, frame-ancestors 'none', hardening headers, a new nonce per load`, async ({ request }) => {
      const load = (): Promise<APIResponse> =>
        request.get(target.path, { headers: target.signedIn ? { cookie: `${SESSION_COOKIE}=${member.token}` } : {}, maxRedirects: 0 });
      const first = await load();
      const second = await load();
      for (const [i, response] of [first, second].entries()) {
        expect(response.status(), `${target.path}, load ${i + 1}`).toBe(target.status);
        expectPagePolicy(response, `${target.path}, load ${i + 1}`);
      }
      if (target.path === "/") expect(await first.text()).toContain(member.user.email);
      expect(nonceOf(first), "each load gets a nonce of its own").not.toBe(nonceOf(second));
    });
  }
});

const softExpect = expect.configure({ soft: true });

/** Waits until Next.js' own scripts have run: the inline flight data and the bootstrap chunk (a soft check, so violations still get reported). */
async function expectScriptsRan(page: Page, label: string): Promise<void> {
  await softExpect
    .poll(
      () =>
        page.evaluate(() => {
          const w = window as unknown as { next?: { version?: string }; __next_f?: unknown };
          return Array.isArray(w.__next_f) && typeof w.next?.version === "string";
        }),
      { message: `${label}: the page's scripts ran (window.next and self.__next_f are set)` },
    )
    .toBe(true);
}

type Mark = { violations: number; console: number };
const mark = (watch: CspWatch): Mark => ({ violations: watch.violations.length, console: watch.console.length });

function expectNoViolations(watch: CspWatch, from: Mark, label: string): void {
  expect.soft(watch.violations.slice(from.violations), `${label}: securitypolicyviolation events`).toEqual([]);
  expect.soft(watch.console.slice(from.console), `${label}: CSP messages on the console`).toEqual([]);
}

test.describe("the pages under their CSP in Chromium", () => {
  test("/login and /signup load without a violation, and signing up lands on / signed in", async ({ page }) => {
    const watch = await watchCsp(page);
    for (const path of ["/login", "/signup"]) {
      const before = mark(watch);
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      await expectScriptsRan(page, path);
      expectNoViolations(watch, before, path);
    }
    const before = mark(watch);
    const user = freshUser("csp-browser");
    await submitSignUp(page, user);
    await expectSignedInHome(page, user.email);
    await expectScriptsRan(page, "/ after sign-up");
    expectNoViolations(watch, before, "sign-up and /");
    expect(watch.errors, "uncaught errors in the pages").toEqual([]);
  });

  const signedInPages: { target: PageUnderTest; ready: (page: Page) => Promise<void> }[] = [
    { target: PAGES[2], ready: (page) => expect(page.getByText(`Signed in as ${member.user.email}`)).toBeVisible() },
    { target: PAGES[3], ready: (page) => expect(page.getByRole("heading", { name: "Devices" })).toBeVisible() },
    { target: PAGES[4], ready: (page) => expect(page.getByRole("heading", { name: "Settings" })).toBeVisible() },
    { target: PAGES[5], ready: (page) => expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible() },
  ];
  for (const { target, ready } of signedInPages) {
    test(`${target.name} loads signed in without a violation`, async ({ browser }) => {
      const context = await browser.newContext();
      try {
        await plantSessionCookie(context, member.token);
        const page = await context.newPage();
        const watch = await watchCsp(page);
        const response = await page.goto(target.path);
        expect(response?.status()).toBe(target.status);
        await ready(page);
        await expectScriptsRan(page, target.path);
        expectNoViolations(watch, { violations: 0, console: 0 }, target.path);
        expect.soft(watch.errors, `${target.path}: uncaught errors`).toEqual([]);
      } finally {
        await closeContexts(context);
      }
    });
  }
});

test.describe("server actions from another origin", () => {
  /** The sign-in form's hidden fields, and the id of the signIn action they name (checked against the build's manifest). */
  async function signInForm(request: APIRequestContext): Promise<{ hidden: [string, string][]; actionId: string }> {
    const hidden = hiddenFormFields(await (await request.get("/login")).text());
    const actionId = serverActionId("app/login/actions.ts", "signIn");
    expect(actionIdOfForm(hidden), "the sign-in form names the signIn action").toBe(actionId);
    return { hidden, actionId };
  }

  /** Alice's user id (1 in a fresh database), read from /api/me rather than assumed. */
  /** Alice's index key (her user id, and the tag her tokens carry). */
  async function aliceIndexKey(request: APIRequestContext): Promise<string> {
    const { token } = await apiLogin(request, ALICE);
    const me = await request.get("/api/me", { headers: bearer(token) });
    const id = (await me.json()).user.id as number;
    await request.post("/api/auth/logout", { headers: bearer(token) });
    return userIndexKeyOf(tagOf(token), id);
  }

  const sessionsOf = (indexKey: string): Promise<{ ids: string[]; count: number }> =>
    withRedis(async (client) => ({
      ids: (await client.zrange(indexKey, "0", "-1")).sort(),
      count: await client.zcard(indexKey),
    }));

  test("the signIn action posted with a foreign Origin and alice's real password is refused with 403: no cookie, no session", async ({ request }) => {
    const id = await aliceIndexKey(request);
    expect(id, "alice is the first demo user").toMatch(/^session:\{[0-9a-f]{32}\}:user:1$/);
    const { hidden, actionId } = await signInForm(request);
    const before = await sessionsOf(id);

    const { body, contentType } = multipartBody(jsActionParts(hidden, [["email", ALICE.email], ["password", ALICE.password]]));
    const response = await request.post("/login", {
      headers: { origin: FOREIGN_ORIGIN, "next-action": actionId, accept: "text/x-component", "content-type": contentType },
      data: body,
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain("Request refused");
    expect(response.headers()["set-cookie"], "no cookie for a refused action").toBeUndefined();
    // Member ids, not just the count: at the per-user cap a new session would evict an old one and keep ZCARD the same.
    expect(await sessionsOf(id), `no new session in ${id}`).toEqual(before);
  });

  test("without JavaScript: the sign-in form posted as multipart from a foreign Origin is refused with 403", async ({ request }) => {
    const id = await aliceIndexKey(request);
    const { hidden } = await signInForm(request);
    const before = await sessionsOf(id);
    const { body, contentType } = multipartBody(noJsActionParts(hidden, [["email", ALICE.email], ["password", ALICE.password]]));
    for (const origin of [FOREIGN_ORIGIN, "null", `${mainUrl()}.evil.example`]) {
      const response = await request.post("/login", { headers: { origin, "content-type": contentType }, data: body, maxRedirects: 0 });
      expect(response.status(), `Origin: ${origin}`).toBe(403);
      expect(response.headers()["set-cookie"], `Origin: ${origin}`).toBeUndefined();
    }
    const noOrigin = await request.post("/login", { headers: { "content-type": contentType }, data: body, maxRedirects: 0 });
    expect(noOrigin.status(), "no Origin at all").toBe(403);
    expect(await sessionsOf(id)).toEqual(before);
  });

  test("the same posts from this site's Origin with a wrong password get the normal answer: the 403 is about the Origin", async ({ request }) => {
    const { hidden, actionId } = await signInForm(request);
    const wrong: [string, string][] = [["email", ALICE.email], ["password", "not-alices-password"]];

    const js = multipartBody(jsActionParts(hidden, wrong));
    const withScript = await request.post("/login", {
      headers: { origin: mainUrl(), "next-action": actionId, accept: "text/x-component", "content-type": js.contentType },
      data: js.body,
      maxRedirects: 0,
    });
    expect(withScript.status()).toBe(200);
    expect(await withScript.text(), "the action ran and answered with its error state").toContain("Invalid email or password");

    const plain = multipartBody(noJsActionParts(hidden, wrong));
    const withoutScript = await request.post("/login", {
      headers: { origin: mainUrl(), "content-type": plain.contentType },
      data: plain.body,
      maxRedirects: 0,
    });
    expect(withoutScript.status()).toBe(200);
    expect(withoutScript.headers()["content-type"]).toContain("text/html");
    expect(await withoutScript.text(), "the sign-in page with the action's message").toContain("Invalid email or password");

    for (const response of [withScript, withoutScript]) expect(response.headers()["set-cookie"] ?? "").not.toContain(`${SESSION_COOKIE}=`);
    // A success forgives alice's failures (these two count against her per-account limit).
    await aliceIndexKey(request);
  });
});

test.describe("the plain pages the proxy writes itself", () => {
  test("the 403 for a foreign form post has its own strict CSP (default-src 'none')", async ({ request }) => {
    const response = await request.post("/login", {
      headers: { origin: FOREIGN_ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      data: "email=a%40example.com&password=x",
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain("Request refused");
    expectPlainPagePolicy(response, "403");
  });

  test("the 503 while Redis is unreachable has its own strict CSP (default-src 'none')", async ({ request }) => {
    // The third server's Redis runs only inside fault.spec.ts, which stops it again:
    // between tests that server has no Redis, so a session check there answers 503.
    expect(await pingRedis(faultRedisPort()), "the fault server's Redis is stopped between tests").toBe(false);
    const response = await request.get(`${faultUrl()}/devices`, { headers: { cookie: `${SESSION_COOKIE}=${UNKNOWN_TOKEN}` }, maxRedirects: 0 });
    expect(response.status()).toBe(503);
    expect(await response.text()).toContain("Sessions are temporarily unavailable");
    expectPlainPagePolicy(response, "503");
  });
});
