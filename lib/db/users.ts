import { asc, eq, sql } from "drizzle-orm";
import { guardedQuery, type UsersDatabase } from "./client";
import * as pgSchema from "./schema.pg";
import * as sqliteSchema from "./schema.sqlite";

// Every query of the users database, for both dialects. drizzle builds the same
// chain for SQLite and PostgreSQL but types them apart, so each query is written
// once per dialect, side by side: what runs on either is in plain view. Every
// function is async (better-sqlite3 answers at once, node-postgres over the
// network) and goes through guardedQuery, so an outage is a DatabaseUnavailableError.
//
// None of these runs on a signed-in request: the session carries what a request
// needs (lib/session/record.ts). They run where the users table is the subject:
// sign-in (one lookup by email), sign-up, a password proof, a change or deletion
// of a user, and the admin page's list.

export type User = typeof sqliteSchema.users.$inferSelect;

// The two schemas must give the app one row type: this line stops the build if they drift.
const sameRowType: [User] extends [typeof pgSchema.users.$inferSelect] ? ([typeof pgSchema.users.$inferSelect] extends [User] ? true : never) : never = true;
void sameRowType;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserByEmail(db: UsersDatabase, email: string): Promise<User | undefined> {
  const wanted = normalizeEmail(email);
  return guardedQuery(async () => {
    if (db.dialect === "sqlite") return db.orm.select().from(sqliteSchema.users).where(eq(sqliteSchema.users.email, wanted)).get();
    const [user] = await db.orm.select().from(pgSchema.users).where(eq(pgSchema.users.email, wanted)).limit(1);
    return user;
  });
}

export function findUserById(db: UsersDatabase, id: number): Promise<User | undefined> {
  return guardedQuery(async () => {
    if (db.dialect === "sqlite") return db.orm.select().from(sqliteSchema.users).where(eq(sqliteSchema.users.id, id)).get();
    const [user] = await db.orm.select().from(pgSchema.users).where(eq(pgSchema.users.id, id)).limit(1);
    return user;
  });
}

export function listUsers(db: UsersDatabase): Promise<User[]> {
  return guardedQuery(() =>
    db.dialect === "sqlite"
      ? db.orm.select().from(sqliteSchema.users).orderBy(asc(sqliteSchema.users.id)).all()
      : db.orm.select().from(pgSchema.users).orderBy(asc(pgSchema.users.id)),
  );
}

export type CreateUserResult = { ok: true; user: User } | { ok: false; reason: "email_taken" };

/** The unique index decides who wins a race of two sign-ups with one email. */
export function createUser(db: UsersDatabase, input: { email: string; passwordHash: string; isAdmin?: boolean }): Promise<CreateUserResult> {
  const values = { email: normalizeEmail(input.email), passwordHash: input.passwordHash, isAdmin: input.isAdmin ?? false };
  return guardedQuery(async (): Promise<CreateUserResult> => {
    try {
      const [user] =
        db.dialect === "sqlite"
          ? db.orm.insert(sqliteSchema.users).values(values).returning().all()
          : await db.orm.insert(pgSchema.users).values(values).returning();
      return { ok: true, user };
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, reason: "email_taken" };
      throw error;
    }
  });
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // SQLite's code, and PostgreSQL's SQLSTATE unique_violation.
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505") return true;
  return error instanceof Error && error.cause !== undefined && isUniqueViolation(error.cause);
}

/** The id of this users database, written once by its first migration (schema.*.ts: databaseInstance). */
export function readDatabaseInstanceId(db: UsersDatabase): Promise<string> {
  return guardedQuery(async () => {
    const [row] =
      db.dialect === "sqlite"
        ? db.orm.select().from(sqliteSchema.databaseInstance).limit(1).all()
        : await db.orm.select().from(pgSchema.databaseInstance).limit(1);
    if (!row) throw new Error(`The ${db.label} has no database_instance row: apply the migrations (npm run db:setup).`);
    return row.id;
  });
}

// ——— Changes that the user's sessions must follow ———
// Each one changes the row and raises its session_version, and records in the same
// transaction that the user's sessions are to be ended (pending_session_endings).
// The caller then ends them in Redis and clears the record; if Redis fails in
// between, the record stays and lib/account/user-changes.ts finishes it later.

/** What a change leaves for the Redis side: the row as it is now (or was, deleted), its new version (null: deleted), the record to clear. */
export type UserChange = { user: User; sessionVersion: number | null; pendingId: number };

type Update = Partial<Pick<User, "passwordHash" | "isAdmin">>;

/** Applies `update` to the user's row, raises its session_version, records the pending ending. Undefined if no such user. */
export function changeUser(db: UsersDatabase, userId: number, update: Update): Promise<UserChange | undefined> {
  return guardedQuery(async () => {
    if (db.dialect === "sqlite") {
      const { users, pendingSessionEndings } = sqliteSchema;
      return db.orm.transaction((tx) => {
        const [user] = tx.update(users).set({ ...update, sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId)).returning().all();
        if (!user) return undefined;
        const [pending] = tx.insert(pendingSessionEndings).values({ userId, userUid: user.uid }).returning().all();
        return { user, sessionVersion: user.sessionVersion, pendingId: pending.id };
      });
    }
    const { users, pendingSessionEndings } = pgSchema;
    return db.orm.transaction(async (tx) => {
      const [user] = await tx.update(users).set({ ...update, sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId)).returning();
      if (!user) return undefined;
      const [pending] = await tx.insert(pendingSessionEndings).values({ userId, userUid: user.uid }).returning();
      return { user, sessionVersion: user.sessionVersion, pendingId: pending.id };
    });
  });
}

/** Deletes the user's row and records the pending ending of its sessions. Undefined if no such user. */
export function deleteUser(db: UsersDatabase, userId: number): Promise<UserChange | undefined> {
  return guardedQuery(async () => {
    if (db.dialect === "sqlite") {
      const { users, pendingSessionEndings } = sqliteSchema;
      return db.orm.transaction((tx) => {
        const [user] = tx.delete(users).where(eq(users.id, userId)).returning().all();
        if (!user) return undefined;
        const [pending] = tx.insert(pendingSessionEndings).values({ userId, userUid: user.uid }).returning().all();
        return { user, sessionVersion: null, pendingId: pending.id };
      });
    }
    const { users, pendingSessionEndings } = pgSchema;
    return db.orm.transaction(async (tx) => {
      const [user] = await tx.delete(users).where(eq(users.id, userId)).returning();
      if (!user) return undefined;
      const [pending] = await tx.insert(pendingSessionEndings).values({ userId, userUid: user.uid }).returning();
      return { user, sessionVersion: null, pendingId: pending.id };
    });
  });
}

export type PendingSessionEnding = { id: number; userId: number; userUid: string };

/** The endings a Redis failure left behind, oldest first. */
export function listPendingSessionEndings(db: UsersDatabase): Promise<PendingSessionEnding[]> {
  return guardedQuery(() => {
    if (db.dialect === "sqlite") {
      const t = sqliteSchema.pendingSessionEndings;
      return db.orm.select({ id: t.id, userId: t.userId, userUid: t.userUid }).from(t).orderBy(asc(t.id)).all();
    }
    const t = pgSchema.pendingSessionEndings;
    return db.orm.select({ id: t.id, userId: t.userId, userUid: t.userUid }).from(t).orderBy(asc(t.id));
  });
}

/** The sessions of this change are ended in Redis: the record goes. */
export function clearPendingSessionEnding(db: UsersDatabase, id: number): Promise<void> {
  return guardedQuery(async () => {
    if (db.dialect === "sqlite") db.orm.delete(sqliteSchema.pendingSessionEndings).where(eq(sqliteSchema.pendingSessionEndings.id, id)).run();
    else await db.orm.delete(pgSchema.pendingSessionEndings).where(eq(pgSchema.pendingSessionEndings.id, id));
  });
}
