import { step } from "../scripts/lib/log";
import { cannon, type LoadRequest } from "./http";
import { compareInterleaved } from "./interleaved";
import { signIn } from "./next-server";
import type { BenchOptions } from "./options";
import { summarize, type Summary } from "./stats";

// The users database on the request path, or rather off it: the same build on
// SQLite and on PostgreSQL, with the same Redis. A signed-in page view reads only
// its session (Redis), so it must cost the same on both (target: PostgreSQL ≥
// 0.95 × SQLite, measured as bench/interleaved.ts explains), and each request kind
// sends 0 queries to the users database (counted by the app's driver hook, read
// from /api/health). Sign-in is where the users table is the subject: its
// throughput is shown on both (argon2 dominates it).

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
  /** The signed-in home page: SQLite (two servers, averaged), PostgreSQL, and the ratio with its control (bench/interleaved.ts). */
  pageView: { sqlite: { reqPerSec: Summary }; postgres: { reqPerSec: Summary }; ratio: Summary; controlRatio: Summary };
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
  const { rounds, pairsPerRound, runSeconds, signInConnections, signInSeconds } = options.usersDatabase;

  step("users database: queries per request kind, and sign-in throughput, on SQLite and on PostgreSQL…");
  const queries: Partial<Record<DatabaseKind, Record<QueryKind, number>>> = {};
  const signIns: Partial<Record<DatabaseKind, { reqPerSec: Summary; p50Ms: Summary }>> = {};
  for (const kind of KINDS) {
    const server = await start(kind, 0);
    try {
      queries[kind] = await countQueries(server.baseUrl, user, cookieName, options.commandSamples);
      const runs = [];
      for (let i = 0; i < options.repetitions; i++) runs.push(await cannon(server.baseUrl, signInRequest(user), signInConnections, signInSeconds));
      signIns[kind] = { reqPerSec: summarize(runs.map((run) => run.reqPerSec)), p50Ms: summarize(runs.map((run) => run.p50Ms)) };
    } finally {
      await server.stop();
    }
  }

  // The page view: PostgreSQL against SQLite, a second SQLite server as the control.
  const kindOf = { baseline: "sqlite", candidate: "postgres", control: "sqlite" } as const;
  const compared = await compareInterleaved(
    "users database",
    async (variant, round) => {
      const server = await start(kindOf[variant], round);
      // Each server's own session: a session records the users database it was made for.
      return { ...server, request: pageRequest(await signIn(server.baseUrl, user.email, user.password), cookieName) };
    },
    { connections, ...options.usersDatabase },
  );
  if (!queries.sqlite || !queries.postgres || !signIns.sqlite || !signIns.postgres) throw new Error("users database: a database was not measured");
  return {
    connections,
    rounds,
    pairsPerRound,
    runSeconds,
    pageView: { sqlite: compared.baseline, postgres: compared.candidate, ratio: compared.ratio, controlRatio: compared.controlRatio },
    signIn: { connections: signInConnections, seconds: signInSeconds, sqlite: signIns.sqlite, postgres: signIns.postgres },
    queriesPerRequest: { sqlite: queries.sqlite, postgres: queries.postgres },
  };
}

function pageRequest(token: string, cookieName: string): LoadRequest {
  return { path: "/", headers: { cookie: `${cookieName}=${token}` }, expectStatus: 200 };
}
