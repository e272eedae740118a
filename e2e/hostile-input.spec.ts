import { expect, test, type APIRequestContext, type TestInfo } from "@playwright/test";
import fc from "fast-check";
import type { Redis } from "ioredis";
import { canonicalToken, hostileString } from "../fuzz/arbitraries";
import { FUZZ_SEED } from "../fuzz/seed";
import { apiLogin, bearer, commandsProcessed } from "./support/api";
import { mainUrl, requiredEnv } from "./support/env";
import { apiCases } from "./support/hostile-api-cases";
import { formCases } from "./support/hostile-form-cases";
import { PROTECTED_PAGES, SESSION_COOKIE, TO_LOGIN, asLatin1, denied, type HostileCase, type World } from "./support/hostile-model";
import { pageCases } from "./support/hostile-page-cases";
import { createRunner, failureReport, type RunResult } from "./support/hostile-runner";
import { indexedSessionIds, strayKeys, withRedis } from "./support/redis";
import { callsBetween, commandCalls, formatCalls } from "./support/redis-stats";
import { couldCarryWellFormedToken } from "./support/token-shape";
import { ALICE, BOB, freshUser } from "./support/users";

// Hostile input over HTTP, against the production build, through public means
// only: pages with hostile cookies, paths and `next` values; the sign-in and
// sign-up forms loaded and posted back as a browser does, with hostile values
// typed in; the JSON API with hostile credentials, ids and bodies. The values are
// drawn by fast-check from the arbitraries the property tests use, from a fixed
// seed; a failure names FUZZ_SEED and FUZZ_SIZE to replay it. How many answers of
// each kind came back is attached to the report (hostile-answers.txt), and printed
// with FUZZ_VERBOSE=1: a quick way to see what a run reached.
//
// The guards themselves are tested on many more inputs, without HTTP, by
// test/*.property.test.ts; this spec shows they are the ones the app applies.

const FUZZ_SIZE = Number(process.env.FUZZ_SIZE ?? 3_000);
if (!Number.isInteger(FUZZ_SIZE) || FUZZ_SIZE < 1) throw new Error(`FUZZ_SIZE must be a positive integer, got ${process.env.FUZZ_SIZE}`);
const REPLAY = `FUZZ_SEED=0x${(FUZZ_SEED >>> 0).toString(16)} FUZZ_SIZE=${FUZZ_SIZE}`;
/** Inputs of the zero-command batch, and well-formed unknown tokens for the contrast. */
const MALFORMED = Math.max(300, Math.round(FUZZ_SIZE / 4));
const UNKNOWN = Math.max(60, Math.round(FUZZ_SIZE / 20));

function port(): number {
  return Number(requiredEnv("E2E_PORT"));
}

function note(testInfo: TestInfo, type: string, description: string): void {
  testInfo.annotations.push({ type, description });
  console.log(`${type}: ${description}`);
}

/** Two fresh accounts, made through the sign-up form as a browser posts it (which also proves the form path works). */
async function prepare(run: (cases: HostileCase[]) => Promise<RunResult>, request: APIRequestContext): Promise<World> {
  const signer = freshUser("hostile-signer");
  const victim = freshUser("hostile-victim");
  const signUps: HostileCase[] = [signer, victim].map((user) => ({
    label: `sign up ${user.email}`,
    form: { page: "/signup", values: { ...user }, origin: mainUrl() },
    expect: { statuses: [303], session: "signup" },
  }));
  const made = await run(signUps);
  expect(made.failures, failureReport(made.failures, REPLAY)).toEqual([]);
  expect(made.accounts.map((account) => account.email).sort()).toEqual([signer.email, victim.email].sort());
  const realTokens: string[] = [];
  for (const user of [ALICE, BOB, victim]) realTokens.push((await apiLogin(request, user)).token);
  const sessionIds = await withRedis(indexedSessionIds);
  return { origin: mainUrl(), signer, victimEmail: victim.email, realTokens, sessionIds };
}

const MAIN_TITLE = `pages, forms and the API answer ${FUZZ_SIZE} hostile cases without a 5xx, an open redirect or a stray session (${REPLAY})`;

test(MAIN_TITLE, async ({ request }, testInfo) => {
  test.setTimeout(180_000);
  const runner = createRunner(port(), mainUrl());
  try {
    const world = await prepare(runner.run, request);
    const all = fc.oneof(
      { arbitrary: pageCases(world), weight: 4 },
      { arbitrary: formCases(world), weight: 2 },
      { arbitrary: apiCases(world), weight: 4 },
    );
    const cases = fc.sample(all, { seed: FUZZ_SEED, numRuns: FUZZ_SIZE });

    const started = Date.now();
    const result = await runner.run(cases);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    note(testInfo, "hostile input", `${cases.length} cases, ${result.requests} requests in ${seconds} s (${REPLAY})`);
    note(testInfo, "accounts created by hostile sign-ups", String(result.accounts.length));
    const answers = [...result.answers.entries()].sort().map(([answer, count]) => `${count}\t${answer}`).join("\n");
    await testInfo.attach("hostile-answers.txt", { body: answers, contentType: "text/plain" });
    if (process.env.FUZZ_VERBOSE) console.log(answers);
    await testInfo.attach("hostile-failures.json", { body: JSON.stringify(result.failures, null, 2), contentType: "application/json" });
    expect.soft(result.failures, failureReport(result.failures, REPLAY)).toEqual([]);

    // A sign-up that set a cookie created exactly the account it was asked for, and signed in as it.
    for (const account of result.accounts) {
      const me = await request.get(`${mainUrl()}/api/me`, { headers: { cookie: account.cookie } });
      expect.soft(me.status(), `the session of the new account ${JSON.stringify(account.email)}`).toBe(200);
      if (me.ok()) expect.soft((await me.json()).user.email).toBe(account.email.trim().toLowerCase());
      await request.post(`${mainUrl()}/api/auth/logout`, { headers: { cookie: account.cookie, origin: mainUrl() } });
    }

    expect((await request.get(`${mainUrl()}/api/health`)).status(), "the server is still healthy").toBe(200);
    // Real tokens thrown where they do not belong signed no one in, and no one out either.
    for (const token of world.realTokens) {
      const me = await request.get(`${mainUrl()}/api/me`, { headers: bearer(token) });
      expect.soft(me.status(), "a real token still works where it belongs").toBe(200);
      await request.post(`${mainUrl()}/api/auth/logout`, { headers: bearer(token) });
    }
    const keys = await withRedis((client) => strayKeys(client, ["session:", "ratelimit:"]));
    note(testInfo, "redis keys after the run", String(keys.total));
    expect.soft(keys.problems, "every key is the app's and has a TTL").toEqual([]);

    const signer = await apiLogin(request, world.signer); // tidy up the signer's many sessions
    await request.delete(`${mainUrl()}/api/sessions`, { headers: bearer(signer.token) });
    await request.post(`${mainUrl()}/api/auth/logout`, { headers: bearer(signer.token) });
  } finally {
    runner.close();
  }
});

/** A hostile value that no reading could turn into a well-formed token, as a page's cookie or /api/me's bearer. */
function malformedCase(value: string, index: number): HostileCase {
  if (index % 2 === 0) {
    const path = PROTECTED_PAGES[(index / 2) % PROTECTED_PAGES.length];
    const headers = { cookie: `${SESSION_COOKIE}=${value}` };
    return { label: `GET ${path} malformed cookie`, request: { method: "GET", path, headers }, expect: TO_LOGIN };
  }
  const headers = { authorization: `Bearer ${value}` };
  return { label: "GET /api/me malformed bearer", request: { method: "GET", path: "/api/me", headers }, expect: denied([401]) };
}

function unknownCase(token: string, index: number): HostileCase {
  const cookie = { cookie: `${SESSION_COOKIE}=${token}` };
  if (index % 3 === 0) {
    return { label: "GET /devices unknown cookie", request: { method: "GET", path: "/devices", headers: cookie }, expect: TO_LOGIN };
  }
  const headers = index % 3 === 1 ? bearer(token) : cookie;
  return { label: "GET /api/me unknown token", request: { method: "GET", path: "/api/me", headers }, expect: denied([401]) };
}

test(`malformed tokens cost no Redis command; well-formed unknown ones one EVALSHA each (${REPLAY})`, async ({}, testInfo) => {
  test.setTimeout(120_000);
  const sendable = (v: string): boolean => /^[\t\x20-\x7e\x80-\xff]*$/.test(v); // what Node's client puts in a header
  const malformedValue = hostileString
    .map(asLatin1)
    .filter((v) => sendable(v) && !couldCarryWellFormedToken(v) && !couldCarryWellFormedToken(`${SESSION_COOKIE}=${v}`));
  const malformed = fc.sample(malformedValue, { seed: FUZZ_SEED ^ 0x2c1b3c6d, numRuns: MALFORMED }).map(malformedCase);
  const unknown = fc.sample(canonicalToken, { seed: FUZZ_SEED ^ 0x6b2d, numRuns: UNKNOWN }).map(unknownCase);
  const runner = createRunner(port(), mainUrl());
  try {
    // Warm up: connections open, and the validation script cached in Redis (a first EVALSHA may be answered NOSCRIPT).
    await runner.run([...unknown.slice(0, 3), malformed[0]]);
    // Only the main server talks to this Redis now (tests run one at a time), and INFO commandstats
    // is read outside the total_commands_processed brackets, so it does not count in them.
    const measure = async (redis: Redis, cases: HostileCase[]) => {
      const callsBefore = await commandCalls(redis);
      const before = await commandsProcessed(redis);
      const run = await runner.run(cases);
      const total = (await commandsProcessed(redis)) - before;
      const calls = callsBetween(callsBefore, await commandCalls(redis));
      calls.delete("info");
      return { total, calls, failures: run.failures };
    };
    const counts = await withRedis(async (redis) => {
      const baseline = -(await commandsProcessed(redis)) + (await commandsProcessed(redis)); // what INFO costs alone
      return { baseline, malformed: await measure(redis, malformed), unknown: await measure(redis, unknown) };
    });
    note(
      testInfo,
      "redis commands",
      `baseline ${counts.baseline}; ${malformed.length} malformed: +${counts.malformed.total} (${formatCalls(counts.malformed.calls)}); ` +
        `${unknown.length} unknown: +${counts.unknown.total} (${formatCalls(counts.unknown.calls)})`,
    );
    const failures = [...counts.malformed.failures, ...counts.unknown.failures];
    expect.soft(failures, failureReport(failures, REPLAY)).toEqual([]);
    expect.soft(formatCalls(counts.malformed.calls), `${malformed.length} malformed tokens: no command of any kind`).toBe("none");
    expect.soft(counts.malformed.total, "total_commands_processed moves by the baseline only").toBe(counts.baseline);
    // One EVALSHA per unknown token, and the HMGET inside it (Redis counts a script's commands too).
    const expected = new Map([["evalsha", unknown.length], ["hmget", unknown.length]]);
    expect.soft(formatCalls(counts.unknown.calls), `${unknown.length} unknown tokens: one EVALSHA each, nothing else`).toBe(formatCalls(expected));
    expect(counts.unknown.total, "total_commands_processed = baseline + EVALSHA + its HMGET").toBe(counts.baseline + 2 * unknown.length);
  } finally {
    runner.close();
  }
});
