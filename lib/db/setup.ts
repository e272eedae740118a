import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { join } from "node:path";
import { hashPassword } from "../auth/password";
import type { Db } from "./client";
import { DEMO_USERS } from "./demo-users";
import { createUser, findUserByEmail } from "./users";

/** Applies the migrations drizzle-kit generated into drizzle/. */
export function migrateDatabase(db: Db, migrationsFolder = join(process.cwd(), "drizzle")): void {
  migrate(db, { migrationsFolder });
}

/** Creates the demo users that do not exist yet; running it twice changes nothing. */
export async function seedDemoUsers(db: Db): Promise<string[]> {
  const created: string[] = [];
  for (const demo of DEMO_USERS) {
    if (findUserByEmail(db, demo.email)) continue;
    const result = createUser(db, { email: demo.email, passwordHash: await hashPassword(demo.password), isAdmin: demo.isAdmin });
    if (result.ok) created.push(demo.email);
  }
  return created;
}
