import { step } from "../scripts/lib/log";
import { cannon, type HttpTarget, type LoadRequest } from "./http";
import { signIn } from "./next-server";
import type { BenchOptions } from "./options";
import { summarize, type Summary } from "./stats";

// The users database on the request path, or rather off it: the same build on
// SQLite and on PostgreSQL, with the same Redis. A signed-in page view reads only
// its session (Redis), so it must cost the same on both (target: PostgreSQL ≥
// 0.95 × SQLite), and each request kind sends 0 queries to the users database
// (counted by the app's driver hook, read from /api/health). Sign-in is where the
// users table is the subject: its throughput is shown on both (argon2 dominates it).
// Fresh servers per round, page-view runs interleaved in rotating order, as for the
// trace's cost (trace-cost.ts), since most of the noise is between processes.

export type DatabaseKind = "sqlite" | "postgres";
const KINDS: DatabaseKind[] = ["sqlite", "postgres"];

/** The request kinds whose users-database queries are counted. */
export const QUERY_KINDS = {
  pageView: "page view of / signed in (cookie)",
  devices: "GET /devices signed in (cookie)",
  apiMe: "GET /api/me (bearer)",
  apiSessions: "GET /api/sessions (bearer)",
  signIn: "sign-in (POST /api/auth/login)",
} as const;
export type QueryKind = keyof typeof QUERY_KINDS;

export type UsersDatabaseResults = {
  connections: number;
  rounds: number;
  pairsPerRound: number;
  runSeconds: number;
  pageView: Record<DatabaseKind, { reqPerSec: Summary }> & { ratio: Summary };
  signIn: { connections: number; seconds: number } & Record<DatabaseKind, { reqPerSec: Summary; p50Ms: Summary }>;
  /** Users-database statements per request, by kind, on each database. */
  queriesPerRequest: Record<DatabaseKind, Record<QueryKind, number>>;
};

export type StartDatabaseServer = (kind: DatabaseKind, round: number) => Promise<{ baseUrl: string; stop: () => Promise<void> }>;

type Credentials = { email: string; password: string };

async function queriesSoFar(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/health`);
  const body = (await response.json()) as { databaseQueries?: unknown };
  if (response.status !== 200 || typeof body.databaseQueries !== "number") throw new Error(`${baseUrl}/api/health: ${response.status} without databaseQueries`);
  return body.databaseQueries;
}

/** Statements per request over `samples` requests, less the health check's own one (each read counts itself). */
async function queriesPerRequest(baseUrl: string, samples: number, send: () => Promise<void>): Promise<number> {
  const before = await queriesSoFar(baseUrl);
  for (let i = 0; i < samples; i++) await send();
  return ((await queriesSoFar(baseUrl)) - before - 1) / samples;
}

async function countQueries(baseUrl: string, user: Credentials, cookieName: string, samples: number): Promise<Record<QueryKind, number>> {
  const token = await signIn(baseUrl, user.email, user.password);
  const get = (path: string, headers: Record<string, string>) => async (): Promise<void> => {
    const response = await fetch(`${baseUrl}${path}`, { headers, redirect: "manual" });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
  };
  const cookie = { cookie: `${cookieName}=${token}` };
  const bearer = { authorization: `Bearer ${token}` };
  return {
    pageView: await queriesPerRequest(baseUrl, samples, get("/", cookie)),
    devices: await queriesPerRequest(baseUrl, samples, get("/devices", cookie)),
    apiMe: await queriesPerRequest(baseUrl, samples, get("/api/me", bearer)),
    apiSessions: await queriesPerRequest(baseUrl, samples, get("/api/sessions", bearer)),
    signIn: await queriesPerRequest(baseUrl, samples, async () => void (await signIn(baseUrl, user.email, user.password))),
  };
}

function signInRequest(user: Credentials): LoadRequest {
  return {
    path: "/api/auth/login",
    method: "POST",
    body: JSON.stringify(user),
    headers: { "content-type": "application/json" },
    expectStatus: 200,
  };
}

export async function runUsersDatabase(start: StartDatabaseServer, user: Credentials, cookieName: string, options: BenchOptions): Promise<UsersDatabaseResults> {
  const { connections } = options.http;
  const { rounds, pairsPerRound, warmupSeconds, settleSeconds, runSeconds, signInConnections, signInSeconds } = options.usersDatabase;
  const pageRuns: Record<DatabaseKind, number[]> = { sqlite: [], postgres: [] };
  const signInRuns: Record<DatabaseKind, { reqPerSec: number[]; p50Ms: number[] }> = { sqlite: { reqPerSec: [], p50Ms: [] }, postgres: { reqPerSec: [], p50Ms: [] } };
  let queries: Record<DatabaseKind, Record<QueryKind, number>> | undefined;
  for (let round = 0; round < rounds; round++) {
    const servers: Partial<Record<DatabaseKind, { baseUrl: string; stop: () => Promise<void> }>> = {};
    try {
      for (const kind of KINDS) servers[kind] = await start(kind, round);
      const url = (kind: DatabaseKind): string => servers[kind]?.baseUrl ?? "";
      if (!queries) {
        step("users database: queries per request kind, on SQLite and on PostgreSQL…");
        queries = { sqlite: await countQueries(url("sqlite"), user, cookieName, options.commandSamples), postgres: await countQueries(url("postgres"), user, cookieName, options.commandSamples) };
      }
      // Each server's own session: a session records the users database it was made for.
      const pages: Record<DatabaseKind, HttpTarget> = { sqlite: pageTarget(await signIn(url("sqlite"), user.email, user.password), cookieName), postgres: pageTarget(await signIn(url("postgres"), user.email, user.password), cookieName) };
      step(`users database round ${round + 1}/${rounds}: warm-up of 2 fresh servers × ${warmupSeconds} s, then ${pairsPerRound} × (SQLite, PostgreSQL) page-view runs…`);
      for (const kind of KINDS) await cannon(url(kind), pages[kind], connections, warmupSeconds);
      for (let pair = 0; pair < pairsPerRound; pair++) {
        for (const kind of pair % 2 === 0 ? KINDS : [...KINDS].reverse()) {
          await cannon(url(kind), pages[kind], connections, settleSeconds);
          pageRuns[kind].push((await cannon(url(kind), pages[kind], connections, runSeconds)).reqPerSec);
        }
      }
      step(`users database round ${round + 1}/${rounds}: sign-in throughput, ${signInSeconds} s on each…`);
      for (const kind of KINDS) {
        const run = await cannon(url(kind), signInRequest(user), signInConnections, signInSeconds);
        signInRuns[kind].reqPerSec.push(run.reqPerSec);
        signInRuns[kind].p50Ms.push(run.p50Ms);
      }
    } finally {
      for (const server of Object.values(servers)) await server?.stop();
    }
  }
  if (!queries) throw new Error("users database: no round ran");
  return {
    connections,
    rounds,
    pairsPerRound,
    runSeconds,
    pageView: {
      sqlite: { reqPerSec: summarize(pageRuns.sqlite) },
      postgres: { reqPerSec: summarize(pageRuns.postgres) },
      ratio: summarize(pageRuns.postgres.map((value, i) => value / pageRuns.sqlite[i])),
    },
    signIn: {
      connections: signInConnections,
      seconds: signInSeconds,
      sqlite: { reqPerSec: summarize(signInRuns.sqlite.reqPerSec), p50Ms: summarize(signInRuns.sqlite.p50Ms) },
      postgres: { reqPerSec: summarize(signInRuns.postgres.reqPerSec), p50Ms: summarize(signInRuns.postgres.p50Ms) },
    },
    queriesPerRequest: queries,
  };
}

function pageTarget(token: string, cookieName: string): HttpTarget {
  return { name: "guarded", label: "the home page signed in (/, session checked)", path: "/", headers: { cookie: `${cookieName}=${token}` }, expectStatus: 200 };
}
