import Database from "better-sqlite3";
import { drizzle as drizzleSqlite, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { channel } from "node:diagnostics_channel";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import pg from "pg";
import * as pgSchema from "./schema.pg";
import * as sqliteSchema from "./schema.sqlite";

// The users database: a SQLite file through better-sqlite3 (the default: nothing
// to install), or PostgreSQL through node-postgres with a pool, for app instances
// on several machines. Both come out as a UsersDatabase that lib/db/users.ts
// queries; nothing else in the app knows which one it is.
//
// Each driver counts the statements it sends (better-sqlite3's `verbose` hook, and
// a wrapper on every pooled PostgreSQL connection's `query`), so a test, the bench
// and /api/health can show that a signed-in request sends none.

/**
 * Where the users live: a SQLite file (the embedded default, one machine), or a
 * PostgreSQL server that app instances on several machines share (DATABASE_URL).
 */
export type DatabaseTarget =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string; poolMax: number; statementTimeoutMs: number };

export type SqliteOrm = BetterSQLite3Database<typeof sqliteSchema>;
export type PgOrm = NodePgDatabase<typeof pgSchema>;

type Handle = {
  /** "SQLite file .data/app.db" or "PostgreSQL at host:port/name": for messages, never with a password. */
  label: string;
  /** Statements this process has sent to the database. */
  queryCount(): number;
  close(): Promise<void>;
};

export type UsersDatabase = Handle & ({ dialect: "sqlite"; orm: SqliteOrm; file: Database.Database } | { dialect: "postgres"; orm: PgOrm; pool: pg.Pool });

export type OpenOptions = {
  /**
   * PostgreSQL: a statement (and a connection attempt) that takes longer fails, so
   * a request never waits on a database that stopped answering. The migrations
   * open their own handle with a long one.
   */
  statementTimeoutMs?: number;
};

/** A connection that waits longer than this for a SQLite lock gives up (→ 503) instead of holding the request. */
const SQLITE_BUSY_TIMEOUT_MS = 1500;

export function openUsersDatabase(target: DatabaseTarget, options: OpenOptions = {}): UsersDatabase {
  return target.kind === "sqlite" ? openSqlite(target.path) : openPostgres(target.url, target.poolMax, options.statementTimeoutMs ?? target.statementTimeoutMs);
}

function openSqlite(path: string): UsersDatabase {
  let queries = 0;
  let file: Database.Database;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    file = new Database(path, { verbose: () => void queries++ });
    // WAL lets readers and the writer work at once; the busy timeout turns a brief
    // lock by another process (a seed, a second instance) into a short wait.
    file.pragma("journal_mode = WAL");
    file.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  } catch (error) {
    throw databaseError("open", `SQLite database at ${path}`, error);
  }
  queries = 0; // the pragmas above are not the app's queries
  return {
    dialect: "sqlite",
    label: `SQLite database at ${path}`,
    orm: drizzleSqlite(file, { schema: sqliteSchema }),
    file,
    queryCount: () => queries,
    close: async () => {
      if (file.open) file.close();
    },
  };
}

function openPostgres(url: string, poolMax: number, timeoutMs: number): UsersDatabase {
  let queries = 0;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: timeoutMs,
    // statement_timeout makes the server give up; query_timeout makes the client
    // give up too when the server does not answer at all (stopped, partitioned).
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs,
    idle_in_transaction_session_timeout: timeoutMs * 2,
    application_name: "next-redis-sessions",
  });
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      queries++;
      return query(...args);
    };
  });
  // An idle pooled connection that the server closes (a restart) emits "error" on
  // the pool; without a listener the process would crash. The pool drops that
  // connection and opens a new one on the next query.
  pool.on("error", () => undefined);
  return {
    dialect: "postgres",
    label: `PostgreSQL at ${postgresLabel(url)}`,
    orm: drizzlePg(pool, { schema: pgSchema }),
    pool,
    queryCount: () => queries,
    close: async () => {
      if (!pool.ended) await pool.end();
    },
  };
}

/** host:port/name of a PostgreSQL URL, without user or password. */
function postgresLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return "(an unparsable DATABASE_URL)";
  }
}

/**
 * The users database cannot serve now (PostgreSQL down, restarting, too slow;
 * SQLite locked by another process). Like RedisUnavailableError, the pages and
 * the API turn it into the 503 answer; a bug in a query stays loud.
 */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super("The users database is unavailable", { cause });
    this.name = "DatabaseUnavailableError";
    // Told to the front door like Redis' outages (OUTAGE_CHANNEL in lib/redis/client.ts: this folder imports no other).
    channel("next-redis-sessions:outage").publish(this);
  }
}

/** By name, not instanceof: Next.js bundles each route with its own copy of this module. */
export function isDatabaseUnavailable(error: unknown): error is DatabaseUnavailableError {
  return error instanceof Error && error.name === "DatabaseUnavailableError";
}

// Connection-level failures and the server saying "not now"; PostgreSQL's SQLSTATE
// classes 08 (connection), 53 (resources), 57 (operator intervention: shutdown,
// statement timeout) and 3D000 (the database was dropped); SQLite's lock and I/O codes.
const UNAVAILABLE_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|08...|53...|57...|3D000|SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|PROTOCOL)\w*)$/;
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Cannot use a pool after calling end/i;

/** The driver's own error under drizzle's wrapper ("Failed query: …", which carries the query's parameters). */
function driverError(error: unknown): unknown {
  let current = error;
  while (current instanceof Error && current.message.startsWith("Failed query:") && current.cause) current = current.cause;
  return current;
}

function isOutage(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  return UNAVAILABLE_CODES.test(code) || (error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message));
}

/**
 * Runs database work; an outage becomes DatabaseUnavailableError. Either way
 * what goes on is the driver's own error, not drizzle's wrapper, whose message
 * lists the query's parameters (an email, a password hash) for any log to keep.
 */
export async function guardedQuery<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const cause = driverError(error);
    if (isOutage(cause)) throw new DatabaseUnavailableError(cause);
    throw cause;
  }
}

/** One sentence saying what went wrong and what to do, instead of a stack trace. */
export function databaseError(action: "open" | "prepare", what: string, error: unknown): Error {
  const cause = driverError(error);
  const reason = cause instanceof Error ? cause.message : String(cause);
  const hint = /locked|busy/i.test(reason)
    ? "Another process holds a lock on it: stop it, or point DATABASE_URL at another file."
    : what.startsWith("PostgreSQL")
      ? "Check DATABASE_URL, and that the server runs and accepts this user."
      : "Check DATABASE_URL and the file's permissions.";
  return new Error(`Cannot ${action} the ${what}: ${reason}. ${hint}`, { cause });
}
