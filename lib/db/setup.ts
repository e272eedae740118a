import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { join } from "node:path";
import type { Db } from "./client";
import { DEMO_USERS } from "./demo-users";
import { createUser, findUserByEmail } from "./users";

/** Applies the migrations drizzle-kit generated into drizzle/. */
export function migrateDatabase(db: Db, migrationsFolder = join(process.cwd(), "drizzle")): void {
  migrate(db, { migrationsFolder });
}

/**
 * Creates the demo users that do not exist yet; running it twice changes nothing.
 * The caller brings the password hashing (lib/auth owns it; the database layer
 * stores what it is given).
 */
export async function seedDemoUsers(db: Db, hashPassword: (password: string) => Promise<string>): Promise<string[]> {
  const created: string[] = [];
  for (const demo of DEMO_USERS) {
    if (findUserByEmail(db, demo.email)) continue;
    const result = createUser(db, { email: demo.email, passwordHash: await hashPassword(demo.password), isAdmin: demo.isAdmin });
    if (result.ok) created.push(demo.email);
  }
  return created;
}
