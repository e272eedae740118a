import { expect, test } from "@playwright/test";
import { bearer } from "./support/api";
import { attackUrl, mainUrl, proxiedUrl } from "./support/env";
import { ALICE, formAlert, freshUser, signIn, signUp, submitSignIn } from "./support/users";
import { closeContexts } from "./support/contexts";

// X-Forwarded-For is written by whoever sends the request. These attacks forge it
// to escape the sign-in limits and to put a false address on /devices. The attack
// server has the default limits and trusts no proxy; the proxied server trusts one
// hop (TRUST_PROXY=1). Each keeps its counters in a Redis database of its own.

const login = (base: string, email: string, password: string, forwardedFor: string) => ({
  url: `${base}/api/auth/login`,
  options: { data: { email, password }, headers: { "x-forwarded-for": forwardedFor } as Record<string, string> },
});

test("20 wrong passwords for alice, each with another forged X-Forwarded-For, hit the limit at the 6th", async ({ request }) => {
  const statuses: number[] = [];
  for (let n = 1; n <= 20; n++) {
    const attempt = login(attackUrl(), ALICE.email, "not-alices-password", `198.51.100.${n}`);
    statuses.push((await request.post(attempt.url, attempt.options)).status());
  }
  expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  expect(statuses.slice(5)).toEqual(Array(15).fill(429));
});

test("a sign-in with a forged X-Forwarded-For is listed with the address it really came from", async ({ browser, request }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "203.0.113.9" } });
  const page = await context.newPage();
  const user = await signUp(page, freshUser("xff"));
  const attempt = login(mainUrl(), user.email, user.password, "203.0.113.9");
  const { token } = (await (await request.post(attempt.url, attempt.options)).json()) as { token: string };

  const { sessions } = (await (await request.get(`${mainUrl()}/api/sessions`, { headers: bearer(token) })).json()) as {
    sessions: { ip: string }[];
  };
  expect(sessions.map((s) => s.ip)).toEqual(["127.0.0.1", "127.0.0.1"]);
  await page.goto("/devices");
  const list = page.getByRole("list", { name: "Active sessions" });
  await expect(list).toContainText("127.0.0.1");
  await expect(list).not.toContainText("203.0.113.9");
  await closeContexts(context);
});

test.describe("behind a trusted proxy (TRUST_PROXY=1)", () => {
  test("the address is the one the proxy appended, never what the client wrote before it", async ({ browser, request }) => {
    const context = await browser.newContext();
    const user = await signUp(await context.newPage(), freshUser("proxied"), proxiedUrl());
    await closeContexts(context);
    const attempt = login(proxiedUrl(), user.email, user.password, "192.0.2.66, 203.0.113.9");
    const { token } = (await (await request.post(attempt.url, attempt.options)).json()) as { token: string };
    const { sessions } = (await (await request.get(`${proxiedUrl()}/api/sessions`, { headers: bearer(token) })).json()) as {
      sessions: { ip: string; current: boolean }[];
    };
    expect(sessions.find((s) => s.current)?.ip).toBe("203.0.113.9");
  });

  test("a guess spread over 21 addresses is stopped by the per-email limit; the owner's signed-in browser is not", async ({ browser, request }) => {
    const owner = await browser.newContext();
    const ownerPage = await owner.newPage();
    const user = await signUp(ownerPage, freshUser("spread"), proxiedUrl());

    const statuses: number[] = [];
    for (let n = 1; n <= 21; n++) {
      // A forged chain per attempt: the trusted hop appends a new address each time.
      const attempt = login(proxiedUrl(), user.email, `guess-${n}`, `10.9.8.7, 198.51.100.${n}`);
      statuses.push((await request.post(attempt.url, attempt.options)).status());
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses[20]).toBe(429);
    const rightPassword = login(proxiedUrl(), user.email, user.password, "198.51.100.200");
    const locked = await request.post(rightPassword.url, rightPassword.options);
    expect(locked.status()).toBe(429);
    expect(await locked.json()).toEqual({ error: "Too many attempts. Try again in 15 minutes." });

    // A new browser is held back too…
    const stranger = await browser.newContext();
    const strangerPage = await stranger.newPage();
    await submitSignIn(strangerPage, user, { baseUrl: proxiedUrl() });
    await expect(formAlert(strangerPage)).toHaveText("Too many attempts. Try again in 15 minutes.");
    // …but the browser that already holds a session of this user signs in again.
    await signIn(ownerPage, user, proxiedUrl());
    await closeContexts(owner);
    await closeContexts(stranger);
  });

  test("entries written with a port are read as their addresses: one attacker's failures do not lock out everyone else", async ({ request }) => {
    const email = freshUser("ports").email;
    const statuses: number[] = [];
    for (let n = 1; n <= 6; n++) {
      const attempt = login(proxiedUrl(), email, `guess-${n}`, `203.0.113.60:${4000 + n}`);
      statuses.push((await request.post(attempt.url, attempt.options)).status());
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Another client of the same proxy (another address, also with a port) is not that attacker.
    const other = login(proxiedUrl(), email, "guess-other", "203.0.113.61:4711");
    expect((await request.post(other.url, other.options)).status()).toBe(401);
    const bracketed = login(proxiedUrl(), email, "guess-v6", "[2001:db8:61::1]:443");
    expect((await request.post(bracketed.url, bracketed.options)).status()).toBe(401);
  });

  test("a session records the canonical address: no port, no brackets, IPv6 compressed, IPv4-mapped as IPv4", async ({ browser, request }) => {
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "203.0.113.62" } });
    const user = await signUp(await context.newPage(), freshUser("canonical"), proxiedUrl());
    await closeContexts(context);
    for (const [written, recorded] of [
      ["[2001:DB8:0:0::77]:443", "2001:db8::77"],
      ["::ffff:203.0.113.63", "203.0.113.63"],
      ["203.0.113.64:55000", "203.0.113.64"],
    ]) {
      const attempt = login(proxiedUrl(), user.email, user.password, written);
      const response = await request.post(attempt.url, attempt.options);
      expect(response.status(), await response.text()).toBe(200);
      const { token } = (await response.json()) as { token: string };
      const { sessions } = (await (await request.get(`${proxiedUrl()}/api/sessions`, { headers: bearer(token) })).json()) as {
        sessions: { ip: string; current: boolean }[];
      };
      expect(sessions.find((s) => s.current)?.ip, written).toBe(recorded);
    }
  });

  test("IPv6 addresses count by their /64: guesses from 6 addresses of one /64 hit the per-email+address limit", async ({ request }) => {
    const email = freshUser("v6").email;
    const statuses: number[] = [];
    for (let n = 1; n <= 6; n++) {
      const attempt = login(proxiedUrl(), email, `guess-${n}`, `2001:db8:64:64:${n.toString(16)}::${n}`);
      statuses.push((await request.post(attempt.url, attempt.options)).status());
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const elsewhere = login(proxiedUrl(), email, "guess-7", "2001:db8:64:65::1");
    expect((await request.post(elsewhere.url, elsewhere.options)).status(), "another /64 is another client").toBe(401);
  });
});
