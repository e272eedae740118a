import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// The users database on SQLite (the embedded default). schema.pg.ts holds the
// same tables for PostgreSQL: drizzle has no dialect-neutral table, so the two
// live side by side and test/db-schemas.test.ts fails when they differ.
// Sessions never live here: they live in Redis (lib/session).

/** Milliseconds since the epoch, set by SQLite when the row is written. */
const createdAt = () => integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** Stored lower-cased and trimmed; unique, so two parallel sign-ups cannot both win. */
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
  /**
   * Random, never reused (16 bytes, hex): the tag of every key of this user's
   * sessions (one Redis Cluster slot per user) and carried in their tokens.
   * A numeric id can come back after a reset; this cannot.
   */
  uid: text("uid")
    .notNull()
    .unique()
    .$defaultFn(() => randomBytes(16).toString("hex")),
  /**
   * Raised by every change the user's sessions must follow (password, admin
   * flag): a sign-in that read an older row is refused when it creates its
   * session (the fence, lib/account/user-changes.ts).
   */
  sessionVersion: integer("session_version").notNull().default(1),
  createdAt: createdAt(),
});

/**
 * One row, written by the migration that creates the table: a random id of this
 * users database (8 bytes, hex: enough to tell databases apart, short enough to
 * keep every session hash small). Every session records it, so a database that
 * was reset or replaced (whose ids start again at 1) inherits no session.
 */
export const databaseInstance = sqliteTable("database_instance", {
  id: text("id").primaryKey(),
  createdAt: createdAt(),
});

/**
 * A change of a user row whose sessions are still to be ended in Redis: written
 * in the same transaction as the change, removed once Redis has done it. What
 * remains after a Redis failure is finished later (lib/account/user-changes.ts).
 */
export const pendingSessionEndings = sqliteTable("pending_session_endings", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: integer("user_id").notNull(),
  userUid: text("user_uid").notNull(),
  createdAt: createdAt(),
});
