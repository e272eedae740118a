import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { users, type User } from "./schema";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserByEmail(db: Db, email: string): User | undefined {
  return db.select().from(users).where(eq(users.email, normalizeEmail(email))).get();
}

function prepareFindById(db: Db) {
  return db.select().from(users).where(eq(users.id, sql.placeholder("id"))).prepare();
}

/**
 * Every page view looks its user up by id (in the proxy, then in the page): the
 * statement is prepared once per database handle, not built and compiled again
 * on each call as a plain query is.
 */
const findByIdStatements = new WeakMap<Db, ReturnType<typeof prepareFindById>>();

export function findUserById(db: Db, id: number): User | undefined {
  let statement = findByIdStatements.get(db);
  if (!statement) findByIdStatements.set(db, (statement = prepareFindById(db)));
  return statement.get({ id });
}

export function listUsers(db: Db): User[] {
  return db.select().from(users).orderBy(asc(users.id)).all();
}

export function updatePasswordHash(db: Db, userId: number, passwordHash: string): void {
  db.update(users).set({ passwordHash }).where(eq(users.id, userId)).run();
}

/** Removes the user row; its sessions are ended by the caller (lib/auth/delete-account.ts). */
export function deleteUser(db: Db, userId: number): void {
  db.delete(users).where(eq(users.id, userId)).run();
}

export type CreateUserResult = { ok: true; user: User } | { ok: false; reason: "email_taken" };

/** The unique index decides who wins a race of two sign-ups with one email. */
export function createUser(db: Db, input: { email: string; passwordHash: string; isAdmin?: boolean }): CreateUserResult {
  try {
    const user = db
      .insert(users)
      .values({ email: normalizeEmail(input.email), passwordHash: input.passwordHash, isAdmin: input.isAdmin ?? false })
      .returning()
      .get();
    return { ok: true, user };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "email_taken" };
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || (error instanceof Error && error.cause !== undefined && isUniqueViolation(error.cause));
}
