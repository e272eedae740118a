import { expect, test, type APIRequestContext, type Browser, type TestInfo } from "@playwright/test";
import type { Redis } from "ioredis";
import { apiLogin, bearer, commandsProcessed } from "./support/api";
import { mainUrl, requiredEnv } from "./support/env";
import { malformedTokenCase, sessionIdCases, unknownTokenCase } from "./support/fuzz-batches";
import { generateCase } from "./support/fuzz-cases";
import { describeCase, judge, rawOutcome, replyOutcome } from "./support/fuzz-judge";
import type { FuzzCase, Outcome, World } from "./support/fuzz-model";
import { Rng, hex, parseSeed, parseSize } from "./support/fuzz-rng";
import { createHttpClient, inPool, semaphore, sendRaw, type HttpClient } from "./support/raw-http";
import { withRedis } from "./support/redis";
import { callsBetween, commandCalls, formatCalls } from "./support/redis-stats";
import { actionIdOfForm, hiddenFormFields, multipartBody, serverActionId } from "./support/server-actions";
import { ADMIN, ALICE, BOB, freshUser, signUp, type Credentials } from "./support/users";

// Hostile input against the production build: thousands of generated cookies,
// Authorization headers, `next` parameters and form/JSON bodies. Whatever comes in,
// the app answers without a 5xx, never redirects off-site, never lets a session id or
// a misplaced token sign anyone in, leaves nothing in Redis but its own keys (all
// with a TTL), and spends no Redis command on a token that is not well-formed.
//
// Replay a failure with the same FUZZ_SEED and FUZZ_SIZE (printed in the test titles
// and annotations); each failure lists the case index and the request it sent.
//
// Out of scope on purpose, because Next.js itself answers them before any code of
// this app runs: multipart bodies with broken framing and server-action payloads
// whose React encoding is malformed (a 500: its FormData/decodeReply parsing throws),
// so the generator keeps the framing and the action envelope well-formed and fuzzes
// the values inside; and absolute-form request targets ("GET http://evil.example/x
// HTTP/1.1", which only proxies send), which Next.js answers with a 308 to that URL.
//
// The run makes the server log a great deal ("Failed to find Server Action", …):
// that is Next.js reporting the bogus action ids the fuzz sends, not a failure.

const SIZE = parseSize(process.env.FUZZ_SIZE, 10_000);
const SEED = parseSeed(process.env.FUZZ_SEED, 0x5eed2026);
const REPLAY = `FUZZ_SEED=${hex(SEED)} FUZZ_SIZE=${SIZE}`;
/** Requests in flight at once. */
const CONCURRENCY = 16;
/** The signer's sign-ins in flight at once: below the per-account limit (5), which counts attempts before they succeed. */
const SIGNER_LANE = 3;
/** Inputs in the zero-command batch (at least 1,000), and well-formed unknown tokens in the contrast batch. */
const MALFORMED_BATCH = Math.max(1_000, Math.round(SIZE / 5));
const UNKNOWN_BATCH = Math.max(300, Math.round(SIZE / 20));

const APP_KEY_PREFIXES = ["session:token:", "session:user:", "ratelimit:login:"];

type Failure = { case: Record<string, unknown>; status?: number; problems: string[] };

function port(): number {
  return Number(requiredEnv("E2E_PORT"));
}

function annotate(testInfo: TestInfo, type: string, description: string): void {
  testInfo.annotations.push({ type, description });
}

/** Sends every case (at most CONCURRENCY at once) and judges each answer. */
async function runCases(client: HttpClient, cases: FuzzCase[]): Promise<{ failures: Failure[]; statuses: Map<string, number> }> {
  const origin = mainUrl();
  const signerLane = semaphore(SIGNER_LANE);
  const failures: Failure[] = [];
  const statuses = new Map<string, number>();
  await inPool(cases, CONCURRENCY, async (c) => {
    const send = async (): Promise<Outcome> => (c.raw ? rawOutcome(await sendRaw(port(), c.raw)) : replyOutcome(await client.send(c.request!)));
    let outcome: Outcome;
    try {
      outcome = c.lane ? await signerLane(send) : await send();
    } catch (error) {
      failures.push({ case: describeCase(c), problems: [`no answer: ${error instanceof Error ? error.message : String(error)}`] });
      return;
    }
    const key = `${c.expect.kind} ${outcome.status}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    const problems = judge(c, outcome, origin);
    if (problems.length > 0) failures.push({ case: describeCase(c), status: outcome.status, problems });
  });
  failures.sort((a, b) => Number(a.case.index) - Number(b.case.index));
  return { failures, statuses };
}

function failureReport(failures: Failure[]): string {
  if (failures.length === 0) return "no failures";
  const shown = failures.slice(0, 25).map((failure) => JSON.stringify(failure)).join("\n");
  return `${failures.length} failing case(s) (replay with ${REPLAY}); the first ${Math.min(25, failures.length)}:\n${shown}`;
}

/** Public ids of every session in the main Redis, from the users' index sets (read-only). */
async function realSessionIds(): Promise<string[]> {
  return withRedis(async (client) => {
    const ids = new Set<string>();
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", "session:user:*", "COUNT", 1000);
      cursor = next;
      for (const key of keys) for (const id of await client.zrange(key, "0", "-1")) ids.add(id);
    } while (cursor !== "0");
    return [...ids];
  });
}

type Prepared = { world: World; tokens: { token: string; email: string }[] };

/**
 * The people whose secrets the fuzz throws around: a fresh victim (signed up
 * through the form, then through the API), the demo users signed in through the API,
 * and a fresh signer whose sign-ins carry fuzzed `next` values.
 */
async function prepare(browser: Browser, request: APIRequestContext, client: HttpClient): Promise<Prepared> {
  const victim = freshUser("fuzz-victim");
  const signer: Credentials = freshUser("fuzz-signer");
  for (const user of [victim, signer]) {
    const context = await browser.newContext();
    try {
      await signUp(await context.newPage(), user);
    } finally {
      await context.close(); // no browser stays on the app while Redis commands are counted
    }
  }
  const tokens: { token: string; email: string }[] = [];
  for (const user of [ALICE, BOB, ADMIN, victim]) tokens.push({ token: (await apiLogin(request, user)).token, email: user.email });

  const login = await client.send({ method: "GET", path: "/login", headers: {} });
  expect(login.status).toBe(200);
  const hidden = hiddenFormFields(login.body.toString("utf8"));
  const signInActionId = serverActionId("app/login/actions.ts", "signIn");
  expect(actionIdOfForm(hidden), "the sign-in form posts the signIn action of the build").toBe(signInActionId);

  const sessionIds = await realSessionIds();
  expect(sessionIds.length, "sessions to borrow ids from").toBeGreaterThanOrEqual(tokens.length + 2);
  return {
    world: {
      origin: mainUrl(),
      secrets: { sessionIds, realTokens: tokens.map((entry) => entry.token) },
      victimEmail: victim.email,
      signer,
      signInActionId,
      signInHiddenFields: hidden,
    },
    tokens,
  };
}

/** Every key in the main Redis: only the app's prefixes, each with a TTL. */
async function strayKeys(): Promise<{ total: number; problems: string[] }> {
  return withRedis(async (client) => {
    const problems: string[] = [];
    let total = 0;
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "COUNT", 1000);
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = client.pipeline();
      for (const key of keys) pipeline.pttl(key);
      const ttls = (await pipeline.exec()) ?? [];
      keys.forEach((key, i) => {
        const ttl = Number(ttls[i][1]);
        if (ttl === -2) return; // expired between SCAN and PTTL
        total++;
        if (!APP_KEY_PREFIXES.some((prefix) => key.startsWith(prefix))) problems.push(`unexpected key ${JSON.stringify(key)}`);
        if (!(ttl > 0)) problems.push(`key ${JSON.stringify(key)} has no TTL (PTTL ${ttl})`);
      });
    } while (cursor !== "0");
    return { total, problems };
  });
}

const MAIN_TITLE = `hostile input: ${SIZE} generated requests, no 5xx, no open redirect, no stray Redis key (${REPLAY})`;

test(MAIN_TITLE, async ({ browser, request }, testInfo) => {
  test.setTimeout(Math.max(120_000, SIZE * 12)); // about 20 s at 10,000; the rest is headroom for a slow machine
  annotate(testInfo, "fuzz", REPLAY);
  const client = createHttpClient(port(), CONCURRENCY);
  try {
    const { world, tokens } = await prepare(browser, request, client);
    // Every real session id, presented every way a credential can be: never one.
    const idCases = sessionIdCases(world.secrets.sessionIds, SIZE);
    const ids = await runCases(client, idCases);
    annotate(testInfo, "session ids tried as credentials", `${world.secrets.sessionIds.length} ids, ${idCases.length} requests`);
    expect.soft(ids.failures, failureReport(ids.failures)).toEqual([]);

    const rng = new Rng(SEED);
    const cases = Array.from({ length: SIZE }, (_, index) => generateCase(index, rng, world));

    const started = Date.now();
    const { failures, statuses } = await runCases(client, cases);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const summary = [...statuses.entries()].sort().map(([key, count]) => `${key}: ${count}`).join(", ");
    const families = new Map<string, number>();
    for (const c of cases) families.set(c.family, (families.get(c.family) ?? 0) + 1);
    const familySummary = [...families.entries()].sort().map(([family, count]) => `${family} ${count}`).join(", ");
    console.log(`fuzz ${REPLAY}: ${cases.length} requests in ${seconds} s (${cases.filter((c) => c.raw).length} over a raw socket)`);
    console.log(`  by family: ${familySummary}`);
    console.log(`  by expectation and status: ${summary}`);
    annotate(testInfo, "fuzz families", familySummary);
    annotate(testInfo, "fuzz answers", summary);
    await testInfo.attach("fuzz-failures.json", { body: JSON.stringify(failures, null, 2), contentType: "application/json" });
    expect.soft(failures, failureReport(failures)).toEqual([]);

    // The server survived all of it.
    const health = await client.send({ method: "GET", path: "/api/health", headers: {} });
    expect(health.status, "GET /api/health after the run").toBe(200);

    // Tokens sent where they do not belong did not sign anyone in, and did not sign anyone out either.
    for (const { token, email } of tokens) {
      const me = await request.get(`${mainUrl()}/api/me`, { headers: bearer(token) });
      expect.soft(me.status(), `the real token of ${email} still works where it belongs`).toBe(200);
      if (me.ok()) expect.soft((await me.json()).user.email).toBe(email);
    }

    const keys = await strayKeys();
    annotate(testInfo, "redis keys after the run", String(keys.total));
    expect.soft(keys.problems, `every key in Redis is the app's and has a TTL (${keys.total} keys)`).toEqual([]);

    // Tidy up: the borrowed sessions, and the signer's many.
    for (const { token } of tokens) await request.post(`${mainUrl()}/api/auth/logout`, { headers: bearer(token) });
    const signer = await apiLogin(request, world.signer);
    await request.delete(`${mainUrl()}/api/sessions`, { headers: bearer(signer.token) });
    await request.post(`${mainUrl()}/api/auth/logout`, { headers: bearer(signer.token) });
  } finally {
    client.close();
  }
});

test(`malformed tokens cost no Redis command; well-formed unknown ones exactly one each (${REPLAY})`, async ({}, testInfo) => {
  test.setTimeout(120_000);
  annotate(testInfo, "fuzz", REPLAY);
  const rng = new Rng((SEED ^ 0x2c1b3c6d) >>> 0);
  const malformed = Array.from({ length: MALFORMED_BATCH }, (_, index) => malformedTokenCase(index, rng, { sessionIds: [], realTokens: [] }));
  const unknown = Array.from({ length: UNKNOWN_BATCH }, (_, index) => unknownTokenCase(index, rng));
  const client = createHttpClient(port(), CONCURRENCY);
  try {
    // Warm up: connections open, and the validation script cached in Redis (a first EVALSHA could be answered NOSCRIPT and retried).
    for (const c of [unknownTokenCase(0, new Rng(1)), unknownTokenCase(1, new Rng(2)), malformed[0]]) await client.send(c.request!);

    // Only the main server talks to this Redis now (tests run one at a time, no browser is open), and
    // INFO commandstats is read outside the total_commands_processed brackets so it does not count in them.
    const measure = async (redis: Redis, cases: FuzzCase[]) => {
      const callsBefore = await commandCalls(redis);
      const before = await commandsProcessed(redis);
      const run = await runCases(client, cases);
      const after = await commandsProcessed(redis);
      const calls = callsBetween(callsBefore, await commandCalls(redis));
      calls.delete("info");
      return { total: after - before, calls, failures: run.failures };
    };
    const counts = await withRedis(async (redis) => {
      const baseline = -(await commandsProcessed(redis)) + (await commandsProcessed(redis)); // what the INFO calls cost alone
      return { baseline, malformed: await measure(redis, malformed), unknown: await measure(redis, unknown) };
    });
    const report =
      `baseline (two back-to-back INFO): ${counts.baseline}; ` +
      `${malformed.length} malformed inputs: total_commands_processed +${counts.malformed.total} (${formatCalls(counts.malformed.calls)}); ` +
      `${unknown.length} well-formed unknown tokens: total_commands_processed +${counts.unknown.total} (${formatCalls(counts.unknown.calls)})`;
    console.log(`redis commands, ${REPLAY}: ${report}`);
    annotate(testInfo, "redis commands", report);
    const failures = [...counts.malformed.failures, ...counts.unknown.failures];
    expect.soft(failures, failureReport(failures)).toEqual([]);

    // Malformed: nothing at all reaches Redis.
    expect.soft(counts.malformed.total, `${malformed.length} malformed tokens: total_commands_processed moves by the baseline only`).toBe(
      counts.baseline,
    );
    expect.soft(formatCalls(counts.malformed.calls), `${malformed.length} malformed tokens: no command of any kind`).toBe("none");

    // Well-formed but unknown: the app sends exactly one command per token, the EVALSHA of the
    // validation script (no EVAL fallback), and the script reads one key with HGETALL and stops.
    // Redis counts commands run inside a script in total_commands_processed as well, so each
    // token adds 2 there: 1 sent by the app + 1 run by its script.
    expect.soft(counts.unknown.calls.get("evalsha"), `${unknown.length} unknown tokens: one EVALSHA each`).toBe(unknown.length);
    expect.soft(counts.unknown.calls.get("eval") ?? 0, "no EVAL fallback (the script was cached)").toBe(0);
    expect.soft(counts.unknown.calls.get("hmget"), "the script reads the one session key").toBe(unknown.length);
    const expectedCalls = new Map([
      ["evalsha", unknown.length],
      ["hmget", unknown.length],
    ]);
    expect.soft(formatCalls(counts.unknown.calls), "nothing else").toBe(formatCalls(expectedCalls));
    expect(counts.unknown.total, `${unknown.length} unknown tokens: total_commands_processed = baseline + EVALSHA + the HGETALL inside it`).toBe(
      counts.baseline + 2 * unknown.length,
    );
  } finally {
    client.close();
  }
});

test("the sign-in and sign-up actions answer arguments that are not a form without a 5xx", async ({}, testInfo) => {
  // A server action is a public endpoint: anyone can post it any arguments, not only
  // the FormData the app's own form sends. Such a request must be refused, not crash.
  const client = createHttpClient(port(), 4);
  try {
    const actions = [
      { page: "/login", id: serverActionId("app/login/actions.ts", "signIn") },
      { page: "/signup", id: serverActionId("app/signup/actions.ts", "signUp") },
    ];
    const credentials = { email: "not-a-form@fuzz.example", password: "x" };
    for (const { page, id } of actions) {
      const jsCalls: [string, string][] = [
        ["an object where the form belongs", JSON.stringify([{}, credentials])],
        ["no form at all", "[{}]"],
        ["no arguments", "[]"],
        ["a string where the form belongs", JSON.stringify([{}, "email=a%40fuzz.example&password=x"])],
        ["null where the form belongs", "[{},null]"],
      ];
      for (const [what, body] of jsCalls) {
        const reply = await client.send({
          method: "POST",
          path: page,
          headers: { origin: mainUrl(), "next-action": id, accept: "text/x-component", "content-type": "text/plain;charset=UTF-8" },
          body: Buffer.from(body),
        });
        annotate(testInfo, `${page} ${what}`, String(reply.status));
        expect.soft(reply.status, `POST ${page} (Next-Action ${id}) with ${what}: ${body}`).toBeLessThan(500);
      }
      // The no-JavaScript encoding of a form whose action is the function itself: Next.js calls it with the form alone.
      const { body, contentType } = multipartBody([
        { name: `$ACTION_ID_${id}`, value: "" },
        { name: "email", value: credentials.email },
        { name: "password", value: credentials.password },
      ]);
      const reply = await client.send({ method: "POST", path: page, headers: { origin: mainUrl(), "content-type": contentType }, body });
      annotate(testInfo, `${page} $ACTION_ID_ form`, String(reply.status));
      const what = `POST ${page} as a plain form action ($ACTION_ID_${id}): the action gets the form as its first argument`;
      expect.soft(reply.status, what).toBeLessThan(500);
    }
    const health = await client.send({ method: "GET", path: "/api/health", headers: {} });
    expect(health.status).toBe(200);
  } finally {
    client.close();
  }
});
