import { hashPassword } from "../../lib/account/password";
import type { DatabaseTarget } from "../../lib/db/client";
import { databaseError, openUsersDatabase } from "../../lib/db/client";
import { migrateDatabase, seedDemoUsers } from "../../lib/db/setup";

/** Migrations may wait for another instance's (PostgreSQL's advisory lock): far longer than a request may. */
const MIGRATION_TIMEOUT_MS = 120_000;

/**
 * Applies the migrations and, in demo mode, seeds the demo users; returns the
 * emails it created. Failures come back as one sentence that says what to do,
 * not a stack trace.
 */
export async function prepareDatabase(target: DatabaseTarget, options: { demoUsers: boolean } = { demoUsers: true }): Promise<string[]> {
  const db = openUsersDatabase(target, { statementTimeoutMs: MIGRATION_TIMEOUT_MS }); // throws its own clear message
  try {
    await migrateDatabase(db);
    return options.demoUsers ? await seedDemoUsers(db, hashPassword) : [];
  } catch (error) {
    throw databaseError("prepare", db.label, error);
  } finally {
    await db.close();
  }
}
