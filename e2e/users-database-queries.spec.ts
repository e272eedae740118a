import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiLogin, bearer } from "./support/api";
import { attackUrl, mainUrl } from "./support/env";
import { closeContexts } from "./support/contexts";
import { freshUser, SESSION_COOKIE, signUp } from "./support/users";

// The point of a session store: a request is answered from the session, without
// the users database. The app's driver counts every statement it sends (a hook
// on better-sqlite3 / node-postgres, lib/db/client.ts) and /api/health reports
// the count; a signed-in request of each kind must not move it. Sign-in, where
// the users table is the subject, sends exactly one (the lookup by email), which
// shows the counter counts. Runs against the SQLite server and the PostgreSQL one.

type Health = { databaseKind: string; databaseQueries: number };

async function health(request: APIRequestContext): Promise<Health> {
  const response = await request.get(`${mainUrl()}/api/health`);
  expect(response.status()).toBe(200);
  return (await response.json()) as Health;
}

/** Users-database statements sent while `work` ran, less the health check's own one. */
async function queriesDuring(request: APIRequestContext, work: () => Promise<void>): Promise<number> {
  const before = await health(request);
  await work();
  const after = await health(request);
  return after.databaseQueries - before.databaseQueries - 1;
}

test("a signed-in request of every kind sends 0 queries to the users database; sign-in sends 1", async ({ browser, request }) => {
  const context = await browser.newContext();
  const user = await signUp(await context.newPage(), freshUser("queries"));
  await closeContexts(context); // no open tab may send requests of its own while the counter is read

  const kind = (await health(request)).databaseKind;
  let token = "";
  const signIn = await queriesDuring(request, async () => void (token = (await apiLogin(request, user)).token));
  expect(signIn, `sign-in on ${kind}: the lookup by email, nothing more`).toBe(1);
  const other = await apiLogin(request, user);
  const otherId = ((await (await request.get(`${mainUrl()}/api/me`, { headers: bearer(other.token) })).json()) as { session: { id: string } }).session.id;

  const cookie = { cookie: `${SESSION_COOKIE}=${token}` };
  const get = (path: string, headers: Record<string, string>, status = 200) => async (): Promise<void> => {
    const response = await request.get(`${mainUrl()}${path}`, { headers, maxRedirects: 0 });
    expect(response.status(), `GET ${path}`).toBe(status);
    await response.body();
  };
  const kinds: [string, () => Promise<void>][] = [
    ["GET /", get("/", cookie)],
    ["GET /devices", get("/devices", cookie)],
    ["GET /settings", get("/settings", cookie)],
    ["GET /confirm", get("/confirm?next=%2Fsettings", cookie)],
    ["GET /api/me", get("/api/me", bearer(token))],
    ["GET /api/sessions", get("/api/sessions", bearer(token))],
    ["GET /api/activity", get("/api/activity", bearer(token))],
    ["GET /api/me/expiry", get("/api/me/expiry", bearer(token))],
    [
      "GET /api/live (opening)",
      async () => {
        const response = await fetch(`${mainUrl()}/api/live`, { headers: bearer(token) });
        expect(response.status).toBe(200);
        const reader = response.body!.getReader();
        const first = new TextDecoder().decode((await reader.read()).value);
        expect(first).toContain("event: hello");
        await reader.cancel();
      },
    ],
    [
      "DELETE /api/sessions/{id}",
      async () => {
        const response = await request.delete(`${mainUrl()}/api/sessions/${otherId}`, { headers: bearer(token) });
        expect(response.status()).toBe(204);
      },
    ],
  ];
  const counted: Record<string, number> = {};
  for (const [name, work] of kinds) counted[name] = await queriesDuring(request, work);
  expect(counted, `users-database queries per request on ${kind}`).toEqual(Object.fromEntries(kinds.map(([name]) => [name, 0])));
});

test("outside demo mode /api/health names the database's state but not its query count (it would tell how busy sign-ins are)", async ({ request }) => {
  const response = await request.get(`${attackUrl()}/api/health`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ database: "ok", databaseKind: "sqlite" });
  expect(body).not.toHaveProperty("databaseQueries");
});
