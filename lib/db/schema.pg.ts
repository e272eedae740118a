import { randomBytes } from "node:crypto";
import { boolean, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// The users database on PostgreSQL (DATABASE_URL=postgres://…): the same tables
// as schema.sqlite.ts, column for column; test/db-schemas.test.ts compares them.

const createdAt = () => timestamp("created_at", { mode: "date", precision: 3, withTimezone: true }).notNull().defaultNow();

export const users = pgTable("users", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  isAdmin: boolean("is_admin").notNull().default(false),
  uid: text("uid")
    .notNull()
    .unique()
    .$defaultFn(() => randomBytes(16).toString("hex")),
  sessionVersion: integer("session_version").notNull().default(1),
  createdAt: createdAt(),
});

export const databaseInstance = pgTable("database_instance", {
  id: text("id").primaryKey(),
  createdAt: createdAt(),
});

export const pendingSessionEndings = pgTable("pending_session_endings", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  userId: integer("user_id").notNull(),
  userUid: text("user_uid").notNull(),
  createdAt: createdAt(),
});
