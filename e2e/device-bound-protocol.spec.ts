import { Redis } from "ioredis";
import { createHash } from "node:crypto";
import { test, expect } from "./support/test";
import type { APIRequestContext, APIResponse, Browser } from "@playwright/test";
import { boundUrl, redisDatabaseUrl } from "./support/env";
import { BOUND_COOKIE_TTL_SECONDS } from "./support/servers";
import { closeContexts } from "./support/contexts";
import { freshUser, sessionCookie, signUp, submitSignIn, expectSignedInHome, type Credentials } from "./support/users";
import { readEverything } from "./support/redis";
import { sessionHashKey, sessionIdOf, tagOf, TOKEN_PATTERN } from "./support/keys";
import {
  BOUND_COOKIE,
  DBSC,
  DbscBrowser,
  boundCookieSet,
  carriedHeaders,
  compressedPoint,
  cookieHash,
  getHomePage,
  getMe,
  newDeviceKey,
  parseChallenges,
  parseRegistration,
  signInOverApi,
  type Carried,
} from "./support/dbsc-client";

// Device Bound Session Credentials (W3C WebAppSec DBSC draft) over HTTP, against
// the production build on https (the "device bound" server of servers.ts: its
// short-lived cookie lives BOUND_COOKIE_TTL_SECONDS, accepted 5 s longer), with
// its Redis (database 4) read directly. The browser's part is played by
// support/dbsc-client.ts with WebCrypto keys, as the draft specifies it: the
// sign-in's offer, registration, the refresh's challenge and signed answer. What
// this proves: a session bound to a key needs the current short-lived cookie on
// every request (pages and API, cookie or bearer), only the key's holder can get
// a new one, so a copied long-lived cookie or token (even with the short cookie of
// the moment) is useless once that short cookie has ended; every refusal of the
// protocol (wrong key, replayed or expired challenge, ended session, second
// registration) gives no cookie and is logged; and a browser that never registers
// keeps a plain session. Every test signs up a user of its own.

test.use({ ignoreHTTPSErrors: true });

/** Past this, the short-lived cookie issued before is refused: its Max-Age plus the server's grace (lib/session/binding.ts). */
const SHORT_COOKIE_OVER_MS = BOUND_COOKIE_TTL_SECONDS * 1000 + 5000;
const REGISTRATION_PATH = "/api/auth/dbsc/register";
const CHALLENGE_TTL_MS = 60 * 1000;

const origin = (): string => boundUrl();
const sha256 = (value: string): string => createHash("sha256").update(value).digest("base64url");
const challengeKeyOf = (challenge: string): string => `session:{${challenge.split(".")[0]}}:challenge:${sha256(challenge)}`;
const identifierOf = (token: string): string => `${tagOf(token)}.${sessionIdOf(token)}`;

async function withBoundRedis<T>(run: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(redisDatabaseUrl(4), { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    client.disconnect();
  }
}

/** A new account on the device-bound server, made through its sign-up form (there is no sign-up API). */
async function freshBoundUser(browser: Browser): Promise<Credentials> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const user = await signUp(await context.newPage(), freshUser("dbsc"), origin());
  await closeContexts(context);
  return user;
}

type Bound = { user: Credentials; token: string; device: DbscBrowser; registration: APIResponse };

/** A fresh user signed in "from a browser" over the API, its session registered to a new key. */
async function boundSession(browser: Browser, request: APIRequestContext, user?: Credentials): Promise<Bound> {
  const owner = user ?? (await freshBoundUser(browser));
  const { token, offer } = await signInOverApi(request, origin(), owner, { asBrowser: true });
  expect(offer, "a browser's sign-in is offered binding").toBeDefined();
  const device = await DbscBrowser.create(request, origin());
  const registration = await device.register(offer!);
  expect(registration.status(), await registration.text()).toBe(200);
  expect(device.boundCookie).toBeDefined();
  return { user: owner, token, device, registration };
}

const withCurrent = (bound: Bound, via: Carried["via"] = "bearer"): Carried => ({ token: bound.token, via, boundCookie: bound.device.boundCookie });

async function expectBindingOffer(header: string | null | undefined, token: string): Promise<string> {
  expect(header, "Secure-Session-Registration").toBeTruthy();
  const offers = parseRegistration(header!);
  expect(offers).toHaveLength(1);
  expect(offers[0].algorithms).toEqual(["ES256"]);
  expect(offers[0].path).toBe(REGISTRATION_PATH);
  expect(offers[0].challenge.startsWith(`${tagOf(token)}.`), "the challenge is <user tag>.<random>").toBe(true);
  // The challenge is kept (hashed) for this very session, single use, for a minute.
  await withBoundRedis(async (redis) => {
    const key = challengeKeyOf(offers[0].challenge);
    expect(await redis.get(key)).toBe(`register:${sessionIdOf(token)}`);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(CHALLENGE_TTL_MS);
  });
  return offers[0].challenge;
}

type ActivityEvent = { type: string; why?: string; session?: string };

async function activity(request: APIRequestContext, carried: Carried): Promise<ActivityEvent[]> {
  const response = await request.get(`${origin()}/api/activity`, { headers: carriedHeaders(carried) });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { events: ActivityEvent[] }).events;
}

async function expectRefused(request: APIRequestContext, carried: Carried): Promise<void> {
  const api = await getMe(request, origin(), carried);
  expect(api.status(), `API with ${JSON.stringify({ via: carried.via, bound: carried.boundCookie ? "some" : "none" })}`).toBe(401);
  if (carried.via === "cookie") {
    const page = await getHomePage(request, origin(), carried);
    expect(page.status()).toBe(303);
    expect(new URL(page.headers().location, origin()).pathname).toBe("/login");
  }
}

async function expectAccepted(request: APIRequestContext, carried: Carried): Promise<void> {
  const api = await getMe(request, origin(), carried);
  expect(api.status()).toBe(200);
  expect((await api.json()).session.bound).toBe(true);
  if (carried.via === "cookie") expect((await getHomePage(request, origin(), carried)).status()).toBe(200);
}

function expectNoBoundCookie(response: APIResponse): void {
  expect(boundCookieSet(response), "no short-lived cookie is set").toBeUndefined();
}

test.describe("the offer at sign-in", () => {
  test("the sign-in form's response carries Secure-Session-Registration", async ({ browser }) => {
    const user = await freshBoundUser(browser);
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(`${origin()}/login`);
    const posted = page.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname === "/login");
    await submitSignIn(page, user, { open: false });
    const response = await posted;
    await expectSignedInHome(page, user.email, origin());
    const token = (await sessionCookie(context))?.value;
    expect(token).toMatch(TOKEN_PATTERN);
    await expectBindingOffer(await response.headerValue("Secure-Session-Registration"), token!);
    await closeContexts(context);
  });

  test("POST /api/auth/login offers it to a browser's fetch (Sec-Fetch-Site), not to a plain API client", async ({ browser, request }) => {
    const user = await freshBoundUser(browser);
    const asBrowser = await signInOverApi(request, origin(), user, { asBrowser: true });
    await expectBindingOffer(asBrowser.offer, asBrowser.token);

    const plain = await signInOverApi(request, origin(), user, { asBrowser: false });
    expect(plain.response.headers()[DBSC.registration]).toBeUndefined();
    await withBoundRedis(async (redis) => {
      const challenges = await redis.keys(`session:{${tagOf(plain.token)}}:challenge:*`);
      const forPlain = await Promise.all(challenges.map((key) => redis.get(key)));
      expect(forPlain).not.toContain(`register:${sessionIdOf(plain.token)}`);
    });
  });
});

test.describe("registration", () => {
  test("stores the key and the short cookie's hash, answers the configuration and sets the short cookie", async ({ browser, request }) => {
    const user = await freshBoundUser(browser);
    const { token, offer } = await signInOverApi(request, origin(), user, { asBrowser: true });
    const challenge = await expectBindingOffer(offer, token);
    const device = await DbscBrowser.create(request, origin());
    const response = await device.register(offer!);

    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({
      session_identifier: identifierOf(token),
      refresh_url: "/api/auth/dbsc/refresh",
      scope: { origin: origin(), include_site: false, scope_specification: [{ type: "exclude", domain: "localhost", path: "/_next/static" }] },
      credentials: [{ type: "cookie", name: BOUND_COOKIE, attributes: "Path=/; HttpOnly; SameSite=Lax; Secure" }],
    });
    const cookie = boundCookieSet(response);
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(cookie?.attributes).toEqual({ "max-age": String(BOUND_COOKIE_TTL_SECONDS), path: "/", httponly: true, samesite: "Lax", secure: true });

    await withBoundRedis(async (redis) => {
      const hash = await redis.hgetall(sessionHashKey(token));
      expect(hash.bound_key).toBe(compressedPoint(device.key.jwk));
      expect(await redis.object("ENCODING", sessionHashKey(token)), "every value under 64 bytes: still a compact hash").toBe("listpack");
      expect(hash.bound_cookie).toBe(cookieHash(cookie!.value));
      expect(Number(hash.bound_until)).toBeGreaterThan(Number(hash.created_at));
      expect(await redis.exists(challengeKeyOf(challenge)), "the challenge is used up").toBe(0);
      // The cookie itself is nowhere in Redis: not in the hash, not in any key or value.
      for (const entry of await readEverything(redis)) {
        expect(entry.key).not.toContain(cookie!.value);
        for (const value of entry.values) expect(value, `a value of ${entry.key}`).not.toContain(cookie!.value);
      }
    });

    const me = await getMe(request, origin(), { token, via: "bearer", boundCookie: cookie!.value });
    expect((await me.json()).session).toMatchObject({ bound: true, remembered: false });
    const { sessions } = await (await request.get(`${origin()}/api/sessions`, { headers: carriedHeaders({ token, via: "bearer", boundCookie: cookie!.value }) })).json();
    expect(sessions.find((s: { current: boolean }) => s.current)).toMatchObject({ bound: true });
    expect((await activity(request, { token, via: "bearer", boundCookie: cookie!.value })).map((e) => e.type)).toContain("device-bound");
  });

  test("a malformed proof is refused with 400 and binds nothing", async ({ browser, request }) => {
    const user = await freshBoundUser(browser);
    const { token, offer } = await signInOverApi(request, origin(), user, { asBrowser: true });
    const device = await DbscBrowser.create(request, origin());
    const valid = await device.registrationProof(parseRegistration(offer!)[0]);
    const [head, body] = valid.split(".");
    for (const proof of ["not-a-jwt", `${head}.${body}.${"A".repeat(86)}`, `${head}.${body}`]) {
      const response = await device.register(offer!, { proof });
      expect(response.status(), proof).toBe(400);
      expect(await response.json()).toEqual({ error: expect.any(String) });
      expectNoBoundCookie(response);
    }
    await withBoundRedis(async (redis) => expect(await redis.hget(sessionHashKey(token), "bound_key")).toBeNull());
    // The session is as it was: the long-lived credential alone still works.
    expect((await getMe(request, origin(), { token, via: "bearer" })).status()).toBe(200);
  });

  test("a bound session cannot be registered again: the used challenge is refused, and so is a second key", async ({ browser, request }) => {
    const bound = await boundSession(browser, request);
    // Replaying the registration (its challenge is spent), with the same key or another.
    const header = bound.device.lastProof!;
    const replay = await bound.device.register(`(ES256);path="${REGISTRATION_PATH}";challenge="x"`, { proof: header });
    expect(replay.status()).toBe(400);
    expectNoBoundCookie(replay);
    const spent = (JSON.parse(Buffer.from(header.split(".")[1], "base64url").toString()) as { jti: string }).jti;
    const thief = await DbscBrowser.create(request, origin());
    const other = await thief.register(`(ES256);path="${REGISTRATION_PATH}";challenge="${spent}"`);
    expect(other.status()).toBe(400);
    expectNoBoundCookie(other);

    // The app never offers a bound session a registration challenge; one issued
    // before the binding (two offers in flight) is written here as the sign-in
    // would have: the key already there still wins (409), and stays.
    const planted = `${tagOf(bound.token)}.${"p".repeat(43)}`;
    await withBoundRedis((redis) => redis.set(challengeKeyOf(planted), `register:${sessionIdOf(bound.token)}`, "PX", 60_000));
    const second = await thief.register(`(ES256);path="${REGISTRATION_PATH}";challenge="${planted}"`);
    expect(second.status()).toBe(409);
    expect(await second.json()).toEqual({ error: expect.any(String) });
    expectNoBoundCookie(second);
    await withBoundRedis(async (redis) => expect(await redis.hget(sessionHashKey(bound.token), "bound_key")).toBe(compressedPoint(bound.device.key.jwk)));
    await expectAccepted(request, withCurrent(bound));
  });
});

test.describe("a bound session", () => {
  test("refuses requests without the short cookie or with an old one, accepts the current one, and lives on", async ({ browser, request }) => {
    const bound = await boundSession(browser, request);
    const first = bound.device.boundCookie!;
    // A just-bound session lets requests without the short cookie through for a
    // few seconds (the browser's own, sent while it registered); then never again.
    await expect
      .poll(async () => (await getMe(request, origin(), { token: bound.token, via: "bearer" })).status(), { timeout: 15_000, intervals: [500] })
      .toBe(401);
    for (const via of ["cookie", "bearer"] as const) {
      await expectRefused(request, { token: bound.token, via });
      await expectRefused(request, { token: bound.token, via, boundCookie: "A".repeat(43) });
      await expectAccepted(request, { token: bound.token, via, boundCookie: first });
    }

    // Two refreshes: the first cookie is then neither the current one nor the one
    // the last refresh replaced (which requests already on their way may still carry).
    for (let i = 0; i < 2; i++) expect((await bound.device.refresh()).answer?.status()).toBe(200);
    const current = bound.device.boundCookie!;
    expect(current).not.toBe(first);
    for (const via of ["cookie", "bearer"] as const) {
      await expectRefused(request, { token: bound.token, via, boundCookie: first });
      await expectAccepted(request, { token: bound.token, via, boundCookie: current });
    }
    // None of the refusals ended it.
    await withBoundRedis(async (redis) => expect(await redis.exists(sessionHashKey(bound.token))).toBe(1));
  });

  test("refresh: 403 with a challenge, then a signed answer gets a new short cookie", async ({ browser, request }) => {
    test.setTimeout(60_000);
    const bound = await boundSession(browser, request);
    const before = bound.device.boundCookie!;

    for (const quoteId of [false, true]) {
      const asked = await bound.device.askChallenge({ quoteId });
      expect(asked.status()).toBe(403);
      expectNoBoundCookie(asked);
      const [{ challenge, id }] = parseChallenges(asked.headers()[DBSC.challenge]);
      expect(id).toBe(identifierOf(bound.token));
      expect(challenge.startsWith(`${tagOf(bound.token)}.`)).toBe(true);
      await withBoundRedis(async (redis) => {
        expect(await redis.get(challengeKeyOf(challenge))).toBe(`refresh:${sessionIdOf(bound.token)}`);
        const ttl = await redis.pttl(challengeKeyOf(challenge));
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(CHALLENGE_TTL_MS);
      });
    }

    const { challengeResponse, answer } = await bound.device.refresh();
    expect(challengeResponse.status()).toBe(403);
    expect(answer?.status()).toBe(200);
    expect(await answer!.json()).toEqual(await bound.registration.json());
    const cookie = boundCookieSet(answer!);
    expect(cookie?.attributes["max-age"]).toBe(String(BOUND_COOKIE_TTL_SECONDS));
    expect(cookie?.value).not.toBe(before);
    await withBoundRedis(async (redis) => expect(await redis.hget(sessionHashKey(bound.token), "bound_cookie")).toBe(cookieHash(cookie!.value)));
    await expectAccepted(request, withCurrent(bound, "cookie"));
    // The cookie it replaced is not given a longer life: once its own has ended it is refused.
    await expect
      .poll(async () => (await getMe(request, origin(), { token: bound.token, via: "cookie", boundCookie: before })).status(), {
        timeout: SHORT_COOKIE_OVER_MS + 10_000,
        intervals: [1000],
      })
      .toBe(401);
    expect((await bound.device.refresh()).answer?.status()).toBe(200);
    await expectAccepted(request, withCurrent(bound, "cookie"));
  });

  test("a stolen long-lived cookie or token, even with the short cookie of the moment, is signed out once that ends; the key holder carries on", async ({ browser, request }) => {
    test.setTimeout(90_000);
    const bound = await boundSession(browser, request);
    // The thief copies the whole cookie jar (long and short cookies) and the token: it works, for now.
    const stolen = bound.device.boundCookie!;
    const thiefViaCookie: Carried = { token: bound.token, via: "cookie", boundCookie: stolen };
    const thiefViaBearer: Carried = { token: bound.token, via: "bearer", boundCookie: stolen };
    await expectAccepted(request, thiefViaCookie);
    await expectAccepted(request, thiefViaBearer);

    // Once the short cookie has ended (its Max-Age and the server's grace), the copies are refused.
    await expect
      .poll(async () => (await getMe(request, origin(), thiefViaBearer)).status(), { timeout: SHORT_COOKIE_OVER_MS + 15_000, intervals: [1000] })
      .toBe(401);
    await expectRefused(request, thiefViaCookie);
    await expectRefused(request, { token: bound.token, via: "cookie" });

    // The thief cannot refresh: the challenge is easy to get, but only the device's key answers it.
    const thief = new DbscBrowser(request, origin(), await newDeviceKey());
    thief.config = await bound.registration.json(); // the configuration is no secret either
    const attempt = await thief.refresh();
    expect(attempt.challengeResponse.status()).toBe(403);
    expect(attempt.answer?.status()).toBe(400);
    expectNoBoundCookie(attempt.answer!);
    await expectRefused(request, thiefViaBearer);

    // The key holder refreshes and carries on, on the pages and the API.
    const { answer } = await bound.device.refresh();
    expect(answer?.status()).toBe(200);
    await expectAccepted(request, withCurrent(bound, "cookie"));
    await expectAccepted(request, withCurrent(bound, "bearer"));
    await expectRefused(request, thiefViaCookie);
  });

  test("an answer signed by another key is refused (400, no cookie, logged) and leaves the session as it was", async ({ browser, request }) => {
    const bound = await boundSession(browser, request);
    const current = bound.device.boundCookie!;
    const stored = await withBoundRedis((redis) => redis.hgetall(sessionHashKey(bound.token)));

    const { challengeResponse, answer } = await bound.device.refresh({ signer: await newDeviceKey() });
    expect(challengeResponse.status()).toBe(403);
    expect(answer?.status()).toBe(400);
    expect(await answer!.json()).toEqual({ error: expect.any(String) });
    expectNoBoundCookie(answer!);
    expect(bound.device.boundCookie).toBe(current);

    const after = await withBoundRedis((redis) => redis.hgetall(sessionHashKey(bound.token)));
    expect({ key: after.bound_key, cookie: after.bound_cookie, until: after.bound_until }).toEqual({
      key: stored.bound_key,
      cookie: stored.bound_cookie,
      until: stored.bound_until,
    });
    await expectAccepted(request, withCurrent(bound));
    expect(await activity(request, withCurrent(bound))).toContainEqual(expect.objectContaining({ type: "binding-refused", why: "wrong-key" }));
  });

  test("a challenge answers once: a replayed proof is refused and logged", async ({ browser, request }) => {
    const bound = await boundSession(browser, request);
    const { challenge, answer } = await bound.device.refresh();
    expect(answer?.status()).toBe(200);
    const current = bound.device.boundCookie!;
    const proof = bound.device.lastProof!;

    const replay = await bound.device.answer(challenge!, { proof });
    expect(replay.status()).toBe(400);
    expect(await replay.json()).toEqual({ error: expect.any(String) });
    expectNoBoundCookie(replay);
    const resigned = await bound.device.answer(challenge!);
    expect(resigned.status(), "even signed again by the right key").toBe(400);
    expectNoBoundCookie(resigned);

    expect(bound.device.boundCookie).toBe(current);
    await expectAccepted(request, withCurrent(bound));
    expect(await activity(request, withCurrent(bound))).toContainEqual(expect.objectContaining({ type: "binding-refused", why: "challenge" }));
  });

  test("an expired challenge is refused", async ({ browser, request }) => {
    // The challenge lives a minute (its PTTL is checked); rather than wait them
    // out, its key is made to expire now, as Redis would do at the end.
    const bound = await boundSession(browser, request);
    const asked = await bound.device.askChallenge();
    const [{ challenge }] = parseChallenges(asked.headers()[DBSC.challenge]);
    await withBoundRedis(async (redis) => {
      const ttl = await redis.pttl(challengeKeyOf(challenge));
      expect(ttl).toBeGreaterThan(CHALLENGE_TTL_MS - 30_000);
      expect(ttl).toBeLessThanOrEqual(CHALLENGE_TTL_MS);
      expect(await redis.pexpire(challengeKeyOf(challenge), 1)).toBe(1);
      await expect.poll(() => redis.exists(challengeKeyOf(challenge))).toBe(0);
    });
    const answer = await bound.device.answer(challenge);
    expect(answer.status()).toBe(400);
    expectNoBoundCookie(answer);
    expect(await activity(request, withCurrent(bound))).toContainEqual(expect.objectContaining({ type: "binding-refused", why: "challenge" }));
  });

  test("a session revoked during a refresh answers {continue: false} and no cookie, and so does a refresh after", async ({ browser, request }) => {
    const bound = await boundSession(browser, request);
    const other = await signInOverApi(request, origin(), bound.user, { asBrowser: false });
    const asked = await bound.device.askChallenge();
    expect(asked.status()).toBe(403);
    const [{ challenge }] = parseChallenges(asked.headers()[DBSC.challenge]);

    // Revoked from another device between the challenge and the proof.
    const revoked = await request.delete(`${origin()}/api/sessions/${sessionIdOf(bound.token)}`, { headers: { cookie: "", authorization: `Bearer ${other.token}` } });
    expect(revoked.status()).toBe(204);

    const answer = await bound.device.answer(challenge);
    expect(answer.status()).toBe(200);
    expect(await answer.json()).toEqual({ continue: false });
    expectNoBoundCookie(answer);

    const later = await bound.device.refresh();
    expect(later.challengeResponse.status()).toBe(200);
    expect(await later.challengeResponse.json()).toEqual({ continue: false });
    expect(later.challengeResponse.headers()[DBSC.challenge]).toBeUndefined();
    expect(later.answer).toBeUndefined();
    await expectRefused(request, withCurrent(bound));
  });

  test("the activity log records the binding and each refused refresh", async ({ browser, request }) => {
    const bound = await boundSession(browser, request);
    await bound.device.refresh({ signer: await newDeviceKey() });
    const asked = await bound.device.askChallenge();
    const [{ challenge }] = parseChallenges(asked.headers()[DBSC.challenge]);
    expect((await bound.device.answer(challenge)).status()).toBe(200);
    expect((await bound.device.answer(challenge)).status()).toBe(400);

    const events = await activity(request, withCurrent(bound));
    const ref = sessionIdOf(bound.token).slice(0, 8);
    const binding = events.filter((event) => event.type === "device-bound" || event.type === "binding-refused");
    // Newest first: the replay, the wrong key, the binding; each of this session.
    expect(binding.map(({ type, why, session }) => ({ type, why, session }))).toEqual([
      { type: "binding-refused", why: "challenge", session: ref },
      { type: "binding-refused", why: "wrong-key", session: ref },
      { type: "device-bound", why: undefined, session: ref },
    ]);
  });
});

test.describe("browsers that never register", () => {
  test("keep today's session: the long-lived cookie or token alone works, and nothing is bound", async ({ browser, request }) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const user = await signUp(page, freshUser("dbsc"), origin()); // offered binding, never answered
    const cookies = await context.cookies(origin());
    const token = cookies.find((cookie) => cookie.name === "__Host-session")?.value;
    expect(token).toMatch(TOKEN_PATTERN);
    expect(cookies.map((cookie) => cookie.name)).not.toContain(BOUND_COOKIE);
    await page.goto(`${origin()}/devices`);
    await expect(page.getByRole("heading", { name: "Devices" })).toBeVisible();
    await expect(page.getByText("Bound to this device's key")).toHaveCount(0);

    const viaApi = await signInOverApi(request, origin(), user, { asBrowser: true });
    expect(viaApi.offer).toBeDefined();
    for (const carried of [{ token: token!, via: "cookie" }, { token: viaApi.token, via: "bearer" }] as Carried[]) {
      const me = await getMe(request, origin(), carried);
      expect(me.status()).toBe(200);
      expect((await me.json()).session).toMatchObject({ bound: false });
    }
    expect((await getHomePage(request, origin(), { token: token!, via: "cookie" })).status()).toBe(200);
    await withBoundRedis(async (redis) => {
      for (const t of [token!, viaApi.token]) {
        const hash = await redis.hgetall(sessionHashKey(t));
        expect(hash.created_at).toBeDefined();
        expect(Object.keys(hash).filter((field) => field.startsWith("bound_"))).toEqual([]);
      }
    });
    await closeContexts(context);
  });
});
