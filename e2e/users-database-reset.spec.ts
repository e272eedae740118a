import { rmSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import type { DatabaseTarget } from "../lib/db/client";
import { prepareDatabase } from "../scripts/lib/database";
import { apiLogin, bearer } from "./support/api";
import { startAppServer, type AppServer } from "./support/app-server";
import { closeContexts } from "./support/contexts";
import { redisDatabaseUrl, runDir } from "./support/env";
import { onPostgres, postgresDatabaseUrl } from "./support/postgres";
import { ALICE, expectSignedInHome, signIn } from "./support/users";

// A users database that was reset or replaced while Redis kept its sessions: the
// new database numbers its users from 1 again, so alice is user 1 in both, and a
// session that says "user 1, alice@example.com" would be taken at its word
// (requests do not read the users table). Each users database has an id of its
// own, made by its migrations; every session records it and the check compares
// it. The old cookie lands on /login; nobody inherits anything.

const REDIS_DATABASE = 4; // keys of their own, so these servers' limits touch no other test

type Kind = { name: string; target: () => DatabaseTarget; reset: () => Promise<void> };

const sqlitePath = join(runDir(), `reset-${randomBytes(4).toString("hex")}.db`);
const postgresName = `reset_${randomBytes(4).toString("hex")}`;

function postgresTarget(): DatabaseTarget {
  return { kind: "postgres", url: postgresDatabaseUrl(postgresName), poolMax: 10, statementTimeoutMs: 1000 };
}

const KINDS: Kind[] = [
  {
    name: "the SQLite file deleted",
    target: () => ({ kind: "sqlite", path: sqlitePath }),
    reset: async () => {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${sqlitePath}${suffix}`, { force: true });
    },
  },
  {
    name: "the PostgreSQL database dropped and created again",
    target: postgresTarget,
    reset: async () => {
      await onPostgres(`drop database if exists ${postgresName} with (force)`);
      await onPostgres(`create database ${postgresName}`);
    },
  },
];

for (const kind of KINDS) {
  test(`${kind.name}, the app restarted: the old cookie and the old token sign nobody in`, async ({ browser, request }) => {
    if (kind.target().kind === "postgres") await onPostgres(`create database ${postgresName}`);
    const env = (target: DatabaseTarget) => ({
      DATABASE_URL: target.kind === "sqlite" ? target.path : target.url,
      REDIS_URL: redisDatabaseUrl(REDIS_DATABASE),
    });
    await prepareDatabase(kind.target());
    let server: AppServer = await startAppServer(env(kind.target()));
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await signIn(page, ALICE, server.url);
      const api = await apiLogin(request, ALICE, "curl/8.5.0", server.url);
      const me = (await (await request.get(`${server.url}/api/me`, { headers: bearer(api.token) })).json()) as { user: { id: number } };
      await page.goto("about:blank"); // no live stream of the old server is left to move the tab

      await server.stop();
      await kind.reset();
      await prepareDatabase(kind.target()); // migrated and seeded again: alice is the same user id in a new database
      server = await startAppServer(env(kind.target()));
      const again = await apiLogin(request, ALICE, "curl/8.5.0", server.url);
      const newMe = (await (await request.get(`${server.url}/api/me`, { headers: bearer(again.token) })).json()) as { user: { id: number } };
      expect(newMe.user.id, "the new database gave alice her old id").toBe(me.user.id);

      // The old cookie: sent to sign in, told its session is over; the old token: 401.
      await page.goto(`${server.url}/`);
      await expect(page).toHaveURL(`${server.url}/login`);
      await expect(page.getByRole("status")).toHaveText("Your session expired. Sign in again.");
      expect((await request.get(`${server.url}/api/me`, { headers: bearer(api.token) })).status()).toBe(401);
      expect((await request.get(`${server.url}/api/sessions`, { headers: bearer(api.token) })).status()).toBe(401);

      // And signing in again works as usual.
      await signIn(page, ALICE, server.url);
      await expectSignedInHome(page, ALICE.email, server.url);
    } finally {
      await closeContexts(context);
      await server.stop();
      if (kind.target().kind === "postgres") await onPostgres(`drop database if exists ${postgresName} with (force)`);
    }
  });
}
