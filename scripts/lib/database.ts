import { hashPassword } from "../../lib/auth/password";
import { databaseError, openDatabase } from "../../lib/db/client";
import { migrateDatabase, seedDemoUsers } from "../../lib/db/setup";

/**
 * Applies the migrations and, in demo mode, seeds the demo users; returns the
 * emails it created. Failures come back as one sentence that says what to do,
 * not a stack trace.
 */
export async function prepareDatabase(path: string, options: { demoUsers: boolean } = { demoUsers: true }): Promise<string[]> {
  const db = openDatabase(path); // throws its own clear message
  try {
    migrateDatabase(db);
    return options.demoUsers ? await seedDemoUsers(db, hashPassword) : [];
  } catch (error) {
    throw databaseError("prepare", path, error);
  } finally {
    db.$client.close();
  }
}
