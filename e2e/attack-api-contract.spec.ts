import { expect, test } from "@playwright/test";
import { apiLogin, bearer } from "./support/api";
import { mainUrl } from "./support/env";
import { withRedis } from "./support/redis";
import { freshUser, signUp } from "./support/users";
import { loginCounterKeys } from "../lib/limits/login";
import { closeContexts } from "./support/contexts";

// The API's answers to requests an attacker makes: no credentials at all, a
// sign-in posted as a cross-site form would post it, and the headers that keep
// session data out of caches and the app on https.

const api = (path: string): string => `${mainUrl()}${path}`;

test("mutations with no credentials at all get 401 unauthorized with WWW-Authenticate, not a 403", async ({ request }) => {
  const someId = "A".repeat(43);
  for (const [method, path] of [
    ["DELETE", `/api/sessions/${someId}`],
    ["DELETE", "/api/sessions"],
    ["POST", "/api/auth/logout"],
  ] as const) {
    const response = await request.fetch(api(path), { method, headers: { origin: "" } });
    expect(response.status(), `${method} ${path}`).toBe(401);
    expect(await response.json()).toEqual({ error: "unauthorized" });
    expect(response.headers()["www-authenticate"]).toMatch(/^Bearer/);
  }
  // A session cookie of the wrong shape authenticates nothing either: the same 401, not the cookie's 403.
  const garbage = await request.delete(api("/api/sessions"), { headers: { cookie: "__Host-session=garbage", origin: "" } });
  expect(garbage.status()).toBe(401);
});

test("the cookie still needs this site's Origin: a cookie mutation from elsewhere stays 403", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, freshUser("origin"));
  const foreign = await page.request.delete(api("/api/sessions"), { headers: { origin: "https://evil.example" } });
  expect(foreign.status()).toBe(403);
  await closeContexts(context);
});

test("sign-in takes JSON only: a form-encoded or text body gets 415 before any password check", async ({ request }) => {
  const user = freshUser("form-post");
  const bodies: [string, string][] = [
    ["application/x-www-form-urlencoded", `email=${encodeURIComponent(user.email)}&password=x`],
    ["text/plain", JSON.stringify({ email: user.email, password: "x" })],
    ["multipart/form-data; boundary=b", `--b\r\nContent-Disposition: form-data; name="email"\r\n\r\n${user.email}\r\n--b--\r\n`],
  ];
  for (const [type, body] of bodies) {
    const response = await request.post(api("/api/auth/login"), { headers: { "content-type": type }, data: body });
    expect(response.status(), type).toBe(415);
    expect((await response.json()).error).toMatch(/application\/json/);
  }
  // Not one attempt was counted: the request never reached the limiter, let alone argon2.
  const keys = loginCounterKeys(user.email, "127.0.0.1");
  expect(await withRedis((redis) => redis.exists(keys.account, keys.email))).toBe(0);
  const json = await request.post(api("/api/auth/login"), { headers: { "content-type": "application/json; charset=utf-8" }, data: { email: user.email, password: "x" } });
  expect(json.status()).toBe(401);
});

test("HSTS on every answer while cookies are Secure; no-store on every page and API answer with session data", async ({ browser, request }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = await signUp(page, freshUser("cache"));
  const { token } = await apiLogin(request, user);

  const pages = ["/", "/devices", "/settings", "/login"];
  for (const path of pages) {
    const response = await page.request.get(api(path));
    expect(response.status(), path).toBe(200);
    expect(response.headers()["strict-transport-security"], path).toBe("max-age=63072000; includeSubDomains");
    expect(response.headers()["cache-control"], path).toMatch(/no-store/);
  }
  for (const path of ["/api/me", "/api/sessions"]) {
    const response = await request.get(api(path), { headers: bearer(token) });
    expect(response.status(), path).toBe(200);
    expect(response.headers()["strict-transport-security"], path).toBe("max-age=63072000; includeSubDomains");
    expect(response.headers()["cache-control"], path).toMatch(/no-store/);
  }
  const login = await request.post(api("/api/auth/login"), { data: user });
  expect(login.headers()["cache-control"]).toMatch(/no-store/);
  await closeContexts(context);
});

test("a page POST whose multipart body cannot be read gets a 400 page, never a 500", async ({ request }) => {
  const origin = mainUrl();
  const cases: { label: string; contentType: string; body: string }[] = [
    { label: "junk with a boundary", contentType: "multipart/form-data; boundary=----x", body: "junk" },
    { label: "no boundary", contentType: "multipart/form-data", body: "junk" },
    { label: "a truncated part", contentType: "multipart/form-data; boundary=b", body: '--b\r\nContent-Disposition: form-data; name="email"\r\n\r\nalice' },
    { label: "an empty body", contentType: "multipart/form-data; boundary=b", body: "" },
  ];
  for (const path of ["/login", "/signup", "/", "/devices", "/settings"]) {
    for (const { label, contentType, body } of cases) {
      for (const actionHeader of [{}, { "next-action": "0".repeat(40) }] as Record<string, string>[]) {
        const response = await request.post(`${origin}${path}`, { headers: { origin, "content-type": contentType, ...actionHeader }, data: body, maxRedirects: 0 });
        expect(response.status(), `${path}, ${label}${"next-action" in actionHeader ? ", with an action id" : ""}`).toBe(400);
        expect(await response.text()).toContain("This form could not be read");
      }
    }
  }
});
