import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { config } from "../config";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function openDatabase(path: string): Db {
  let sqlite: Database.Database;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    sqlite = new Database(path);
    // WAL lets readers and the writer work at once; the busy timeout turns a brief
    // lock by another process (a seed, a second instance) into a short wait.
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("busy_timeout = 5000");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot open the SQLite database at ${path}: ${reason}. Check DATABASE_URL.`, { cause: error });
  }
  return drizzle(sqlite, { schema });
}

const globalForDb = globalThis as typeof globalThis & { appDb?: Db };

/** The process-wide connection; cached on globalThis so dev hot reload does not reopen it. */
export function db(): Db {
  globalForDb.appDb ??= openDatabase(config().databasePath);
  return globalForDb.appDb;
}
