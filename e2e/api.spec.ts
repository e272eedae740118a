import { expect, test, type Browser } from "@playwright/test";
import { apiLogin, bearer, commandsProcessed } from "./support/api";
import { mainUrl } from "./support/env";
import { withRedis } from "./support/redis";
import { ALICE, BOB, signUp, type Credentials } from "./support/users";
import { TOKEN_PATTERN, UNKNOWN_TOKEN } from "./support/keys";
import { closeContexts } from "./support/contexts";

// The JSON API over HTTP against the production build: the same sessions as the
// pages, through `Authorization: Bearer` or the cookie.

const api = (path: string): string => `${mainUrl()}${path}`;

/** A new user with one browser session (signed up through the form, as people do). */
async function freshApiUser(browser: Browser): Promise<Credentials> {
  const context = await browser.newContext();
  const user = await signUp(await context.newPage());
  await closeContexts(context);
  return user;
}

test.describe("POST /api/auth/login", () => {
  test("answers a token, its expiry and the user", async ({ request }) => {
    const reply = await apiLogin(request, ALICE);
    expect(reply.token).toMatch(TOKEN_PATTERN);
    expect(Date.parse(reply.expiresAt)).toBeGreaterThan(Date.now());
    expect(reply.user).toEqual({ id: expect.any(Number), email: ALICE.email, isAdmin: false });
    const me = await request.get(api("/api/me"), { headers: bearer(reply.token) });
    expect(me.status()).toBe(200);
  });

  test("answers 401 alike for a wrong password and an unknown email", async ({ request }) => {
    const wrong = await request.post(api("/api/auth/login"), { data: { email: ALICE.email, password: "wrong-password" } });
    const unknown = await request.post(api("/api/auth/login"), { data: { email: "nobody@example.com", password: "wrong-password" } });
    expect(wrong.status()).toBe(401);
    expect(unknown.status()).toBe(401);
    expect(await wrong.json()).toEqual({ error: "Invalid email or password" });
    expect(await unknown.json()).toEqual(await wrong.json());
  });

  for (const [name, body, message] of [
    ["malformed JSON", '{"email": ', /not valid JSON/],
    ["no body", "", /missing/],
    ["a JSON array", "[]", /email/],
    ["wrong types", JSON.stringify({ email: 42, password: ["x"] }), /email must be a string.*password must be a string/],
    ["a missing password", JSON.stringify({ email: ALICE.email }), /password: Enter your password/],
    ["an invalid email", JSON.stringify({ email: "alice", password: "x" }), /email: Enter a valid email address/],
    ["a body over 8 KiB", JSON.stringify({ email: ALICE.email, password: "x".repeat(9000) }), /larger than 8192 bytes/],
  ] as const) {
    test(`answers 400 for ${name}, saying what is wrong`, async ({ request }) => {
      const response = await request.post(api("/api/auth/login"), { data: Buffer.from(body), headers: { "content-type": "application/json" } });
      expect(response.status()).toBe(400);
      expect((await response.json()).error).toMatch(message);
    });
  }
});

test.describe("signed-in endpoints", () => {
  test("/api/me describes the caller and the session", async ({ request }) => {
    const { token, user } = await apiLogin(request, BOB);
    const response = await request.get(api("/api/me"), { headers: bearer(token) });
    const body = await response.json();
    expect(body.user).toEqual(user);
    expect(body.session).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
      lastSeenAt: expect.any(String),
      authenticatedAt: expect.any(String),
      expiresAt: expect.any(String),
      remembered: false,
      bound: false,
    });
    expect(body.session.id).not.toBe(token);
  });

  test("/api/sessions lists the caller's sessions newest first; an id never works as a token", async ({ request, browser }) => {
    const user = await freshApiUser(browser); // one browser session
    const first = await apiLogin(request, user, "curl/8.5.0");
    const second = await apiLogin(request, user, "my-cli/2.1");
    const response = await request.get(api("/api/sessions"), { headers: bearer(second.token) });
    const { sessions } = await response.json();
    expect(sessions).toHaveLength(3);
    expect(sessions.map((s: { browser: string }) => s.browser).slice(0, 2)).toEqual(["my-cli 2.1", "curl 8.5"]);
    expect(sessions[0]).toMatchObject({ current: true, os: "Unknown OS", device: "desktop", ip: expect.any(String) });
    expect(sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    for (const session of sessions) {
      expect([first.token, second.token]).not.toContain(session.id);
      const asToken = await request.get(api("/api/me"), { headers: bearer(session.id) });
      expect(asToken.status()).toBe(401);
    }
  });

  test("DELETE /api/sessions/{id} revokes one of the caller's sessions, and 404s anyone else's", async ({ request, browser }) => {
    const user = await freshApiUser(browser);
    const keeper = await apiLogin(request, user);
    const doomed = await apiLogin(request, user);
    const doomedId = (await (await request.get(api("/api/me"), { headers: bearer(doomed.token) })).json()).session.id;
    const stranger = await apiLogin(request, ALICE);

    const notYours = await request.delete(api(`/api/sessions/${doomedId}`), { headers: bearer(stranger.token) });
    const nowhere = await request.delete(api(`/api/sessions/${"A".repeat(43)}`), { headers: bearer(keeper.token) });
    expect(notYours.status()).toBe(404);
    expect(nowhere.status()).toBe(404);
    expect(await notYours.json()).toEqual(await nowhere.json());
    expect((await request.get(api("/api/me"), { headers: bearer(doomed.token) })).status()).toBe(200);

    const revoked = await request.delete(api(`/api/sessions/${doomedId}`), { headers: bearer(keeper.token) });
    expect(revoked.status()).toBe(204);
    expect((await request.get(api("/api/me"), { headers: bearer(doomed.token) })).status()).toBe(401);
    expect((await request.get(api("/api/me"), { headers: bearer(keeper.token) })).status()).toBe(200);
  });

  test("DELETE /api/sessions signs out all but the caller and says how many", async ({ request, browser }) => {
    const user = await freshApiUser(browser); // the browser session is one of the others
    const others = [await apiLogin(request, user), await apiLogin(request, user)];
    const caller = await apiLogin(request, user);
    const response = await request.delete(api("/api/sessions"), { headers: bearer(caller.token) });
    expect(response.status()).toBe(204);
    expect(response.headers()["revoked-count"]).toBe("3");
    for (const other of others) expect((await request.get(api("/api/me"), { headers: bearer(other.token) })).status()).toBe(401);
    const { sessions } = await (await request.get(api("/api/sessions"), { headers: bearer(caller.token) })).json();
    expect(sessions).toHaveLength(1);
  });

  test("POST /api/auth/logout kills the token", async ({ request }) => {
    const { token } = await apiLogin(request, ALICE);
    expect((await request.post(api("/api/auth/logout"), { headers: bearer(token) })).status()).toBe(204);
    const after = await request.get(api("/api/me"), { headers: bearer(token) });
    expect(after.status()).toBe(401);
    expect(await after.json()).toEqual({ error: "unauthorized" });
  });

  test("every signed-in endpoint answers 401 with WWW-Authenticate: Bearer without a session", async ({ request }) => {
    const calls = [
      request.get(api("/api/me")),
      request.get(api("/api/sessions")),
      request.delete(api("/api/sessions"), { headers: { authorization: "Bearer " } }),
      request.delete(api(`/api/sessions/${"A".repeat(43)}`), { headers: bearer(UNKNOWN_TOKEN) }),
      request.post(api("/api/auth/logout"), { headers: bearer("x") }),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.status()).toBe(401);
      expect(response.headers()["www-authenticate"]).toMatch(/^Bearer/);
      expect(await response.json()).toEqual({ error: "unauthorized" });
    }
  });

  test("GET /api/health says both stores answer", async ({ request }) => {
    const response = await request.get(api("/api/health"));
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({
      redis: "ok",
      database: "ok",
      databaseKind: expect.stringMatching(/^(sqlite|postgres)$/),
      databaseQueries: expect.any(Number),
      live: { channels: expect.any(Number), listeners: expect.any(Number), streams: expect.any(Number) },
    });
  });
});

test.describe("malformed Authorization headers", () => {
  const token = UNKNOWN_TOKEN; // well-formed: each header below spoils it some other way
  // (Leading and trailing blanks are not in the list: HTTP strips them, and what
  // is left is a well-formed header.)
  const headers = [
    "", " ", "Bearer", "Bearer ", "Bearer  ", "bearer", `Bearer  ${token}`, `Bearer ${token}\u00a0`, `Bearer\u00a0${token}`,
    `Basic ${token}`, `Token ${token}`, `Bearer: ${token}`, `Bearer=${token}`, `${token}`, `Bearer ${token} ${token}`,
    `Bearer ${token},${token}`, `Bearer ${token};`, `Bearer\t${token}`, `Bearer ${"A".repeat(42)}`, `Bearer ${"A".repeat(44)}`,
    `Bearer ${"A".repeat(8000)}`, `Bearer ${"A".repeat(42)}=`, `Bearer ${"A".repeat(41)}+/`, `Bearer ${"A".repeat(42)}*`,
    `Bearer ${"A".repeat(42)}?`, `Bearer ${"A".repeat(40)}[a]`, `Bearer ${"A".repeat(42)}\u00e9`, `Bearer ${"\u00e9".repeat(43)}`,
    `Bearer ${"A".repeat(42)}B`, "Bearer session:token:*", "Bearer *", "Bearer ' or 1=1 --", "Bearer redis.call('FLUSHALL')",
    "Bearer ${jndi:ldap://x}", "Bearer ../../etc/passwd", "Bearer %00", `Bearer ${"%41".repeat(43)}`, "Bearer null", "Bearer undefined",
    `Bearer ${token}%20`, `BEARER ${"A".repeat(42)}=`, "Digest username=alice", "Negotiate YII=", `Bearer ${"_".repeat(42)}-`,
    `Bearer ${"A".repeat(43)}${"A".repeat(43)}`, `Bearer .${"A".repeat(42)}`, `Bearer ${"A".repeat(21)}.${"A".repeat(21)}`,
    "Bearer \u00ff\u00fe", `Bearer ${"0".repeat(42)}`, `Bearer ${"A".repeat(42)}~`,
  ];

  test(`${headers.length} of them answer 401 without a single Redis command`, async ({ request }) => {
    expect(headers.length).toBeGreaterThanOrEqual(50);
    await withRedis(async (client) => {
      const idle = -(await commandsProcessed(client)) + (await commandsProcessed(client)); // what two INFO calls cost alone
      const before = await commandsProcessed(client);
      for (const value of headers) {
        const response = await request.get(api("/api/me"), { headers: { authorization: value } });
        expect(response.status(), JSON.stringify(value)).toBe(401);
      }
      const after = await commandsProcessed(client);
      expect(after - before).toBe(idle);
    });
  });
});

test.describe("cookie and header together", () => {
  test("the cookie authenticates the API for the app's own pages; the header wins when both come", async ({ browser, request }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cookieUser = await signUp(page);
    const other = await apiLogin(request, BOB);

    const viaCookie = await page.request.get(api("/api/me"));
    expect((await viaCookie.json()).user.email).toBe(cookieUser.email);
    const both = await page.request.get(api("/api/me"), { headers: bearer(other.token) });
    expect((await both.json()).user.email).toBe(BOB.email);
    const badHeader = await page.request.get(api("/api/me"), { headers: { authorization: "Bearer nope" } });
    expect(badHeader.status()).toBe(401);
    await closeContexts(context);
  });

  test("a mutation with only the cookie needs this site's Origin; a bearer token does not", async ({ browser, request }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const user = await signUp(page);
    const other = await apiLogin(request, user);

    const noOrigin = await page.request.delete(api("/api/sessions"), { headers: { origin: "" } });
    const foreign = await page.request.delete(api("/api/sessions"), { headers: { origin: "https://evil.example" } });
    expect(noOrigin.status()).toBe(403);
    expect(foreign.status()).toBe(403);
    expect((await request.get(api("/api/me"), { headers: bearer(other.token) })).status()).toBe(200);

    const sameSite = await page.request.delete(api("/api/sessions"), { headers: { origin: mainUrl() } });
    expect(sameSite.status()).toBe(204);
    expect((await request.get(api("/api/me"), { headers: bearer(other.token) })).status()).toBe(401);

    const again = await apiLogin(request, user);
    const bearerOnly = await request.delete(api("/api/sessions"), { headers: bearer(again.token) });
    expect(bearerOnly.status()).toBe(204);
    expect(bearerOnly.headers()["revoked-count"]).toBe("1"); // the browser's session
    // The browser's open page is told and moves to /login by itself; closed only once it has landed.
    await expect(page.getByRole("status")).toHaveText("You were signed out from another device.");
    await closeContexts(context);
  });
});

test.describe("one store for pages and API", () => {
  test("an API session shows on /devices, and revoking it there kills the token", async ({ browser, request }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const user = await signUp(page);
    const { token } = await apiLogin(request, user, "curl/8.5.0");

    await page.goto("/devices");
    const list = page.getByRole("list", { name: "Active sessions" });
    const apiItem = list.getByRole("listitem").filter({ hasText: "curl 8.5" });
    await expect(apiItem).toBeVisible();
    await apiItem.getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByRole("status")).toContainText("Signed out 1 device.");
    expect((await request.get(api("/api/me"), { headers: bearer(token) })).status()).toBe(401);
    await closeContexts(context);
  });

  test("revoking the browser's session through the API signs the browser out on its next navigation", async ({ browser, request }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const user = await signUp(page);
    const { token } = await apiLogin(request, user);
    const { sessions } = await (await request.get(api("/api/sessions"), { headers: bearer(token) })).json();
    const browserSession = sessions.find((s: { current: boolean }) => !s.current);
    // No page open meanwhile: an open one would be moved by its live stream (e2e/live.spec.ts), racing this navigation.
    await page.goto("about:blank");

    expect((await request.delete(api(`/api/sessions/${browserSession.id}`), { headers: bearer(token) })).status()).toBe(204);
    await page.goto("/devices");
    await expect(page).toHaveURL(/\/login\?next=%2Fdevices$/);
    await closeContexts(context);
  });
});
