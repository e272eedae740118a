import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { join } from "node:path";
import type { UsersDatabase } from "./client";
import { createUser, findUserByEmail } from "./users";

/** The demo accounts the seed creates and the login page lists. */
export const DEMO_USERS = [
  { email: "alice@example.com", password: "alice-demo-pass", isAdmin: false },
  { email: "bob@example.com", password: "bob-demo-pass", isAdmin: false },
  { email: "admin@example.com", password: "admin-demo-pass", isAdmin: true },
] as const;

/** Any number: the key of the PostgreSQL advisory lock that lets one migrator run at a time. */
const MIGRATION_LOCK = 7_240_531;

/**
 * Applies the migrations drizzle-kit generated for the database's dialect
 * (drizzle/sqlite/ or drizzle/pg/). On PostgreSQL, app instances starting at
 * once on several machines take turns through an advisory lock: the first one
 * migrates, the others find nothing left to do.
 */
export async function migrateDatabase(db: UsersDatabase, root = process.cwd()): Promise<void> {
  if (db.dialect === "sqlite") {
    migrateSqlite(db.orm, { migrationsFolder: join(root, "drizzle", "sqlite") });
    return;
  }
  const lock = await db.pool.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migratePg(db.orm, { migrationsFolder: join(root, "drizzle", "pg") });
  } finally {
    await lock.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    lock.release();
  }
}

/**
 * Creates the demo users that do not exist yet; running it twice (or on two
 * machines at once: the unique email decides) changes nothing. The caller brings
 * the password hashing (lib/account owns it; the database stores what it is given).
 */
export async function seedDemoUsers(db: UsersDatabase, hashPassword: (password: string) => Promise<string>): Promise<string[]> {
  const created: string[] = [];
  for (const demo of DEMO_USERS) {
    if (await findUserByEmail(db, demo.email)) continue;
    const result = await createUser(db, { email: demo.email, passwordHash: await hashPassword(demo.password), isAdmin: demo.isAdmin });
    if (result.ok) created.push(demo.email);
  }
  return created;
}
