import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, inject } from "vitest";
import type { DatabaseTarget } from "../../lib/db/client";
import { openUsersDatabase, type UsersDatabase } from "../../lib/db/client";
import { migrateDatabase } from "../../lib/db/setup";

// Users databases for tests, of both kinds: a SQLite file in a temporary folder,
// or a new database on the run's PostgreSQL server (global-postgres.ts). Each one
// is migrated as `npm start` migrates, and dropped after the file's tests.

export const DATABASE_KINDS = ["sqlite", "postgres"] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

const dir = mkdtempSync(join(tmpdir(), "nrs-users-db-"));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one statement on the run's PostgreSQL server, in its `postgres` database. */
export async function onPostgresServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject("postgresAdminUrl") });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Where a new, empty users database of this kind would be (a PostgreSQL one is created, still empty). */
export async function newDatabaseTarget(kind: DatabaseKind): Promise<DatabaseTarget> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  if (kind === "sqlite") return { kind: "sqlite", path: join(dir, `${name}.db`) };
  await onPostgresServer(`create database ${name}`);
  cleanups.push(() => onPostgresServer(`drop database if exists ${name} with (force)`));
  const url = new URL(inject("postgresAdminUrl"));
  url.pathname = `/${name}`;
  return { kind: "postgres", url: url.toString(), poolMax: 10, statementTimeoutMs: 5000 };
}

/** A migrated users database of this kind, closed after the file's tests. */
export async function freshUsersDatabase(kind: DatabaseKind): Promise<{ db: UsersDatabase; target: DatabaseTarget }> {
  const target = await newDatabaseTarget(kind);
  const db = openUsersDatabase(target);
  cleanups.push(() => db.close());
  await migrateDatabase(db);
  return { db, target };
}
