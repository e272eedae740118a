import { parseConfig } from "../../lib/runtime/config";
import { openUsersDatabase } from "../../lib/db/client";
import { findUserByEmail, type User } from "../../lib/db/users";
import { mainDatabaseUrl } from "./env";

// Direct reads of the main server's users database, SQLite or PostgreSQL
// (to check what the app stored, never to change it).

export async function findStoredUser(email: string): Promise<User | undefined> {
  const db = openUsersDatabase(parseConfig({ DATABASE_URL: mainDatabaseUrl() }).database);
  try {
    return await findUserByEmail(db, email);
  } finally {
    await db.close();
  }
}
