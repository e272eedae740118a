import { openDatabase } from "../../lib/db/client";
import { migrateDatabase, seedDemoUsers } from "../../lib/db/setup";

/** Applies the migrations and seeds the demo users; returns the emails it created. */
export async function prepareDatabase(path: string): Promise<string[]> {
  const db = openDatabase(path);
  try {
    migrateDatabase(db);
    return await seedDemoUsers(db);
  } finally {
    db.$client.close();
  }
}
