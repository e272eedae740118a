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
    throw databaseError("open", path, error);
  }
  return drizzle(sqlite, { schema });
}

/** One sentence saying what went wrong and what to do, instead of a stack trace. */
export function databaseError(action: "open" | "prepare", path: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  const hint = /locked|busy/i.test(reason)
    ? "Another process holds a lock on it: stop it, or point DATABASE_URL at another file."
    : "Check DATABASE_URL and the file's permissions.";
  return new Error(`Cannot ${action} the SQLite database at ${path}: ${reason}. ${hint}`, { cause: error });
}

const globalForDb = globalThis as typeof globalThis & { appDb?: Db };

/** The process-wide connection; cached on globalThis so dev hot reload does not reopen it. */
export function db(): Db {
  globalForDb.appDb ??= openDatabase(config().databasePath);
  return globalForDb.appDb;
}
