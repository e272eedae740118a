import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Users live in SQLite; sessions never do (they live in Redis, see lib/session).

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** Stored lower-cased and trimmed; unique, so two parallel sign-ups cannot both win. */
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
  /**
   * Random, never reused (16 bytes, hex): the tag of every key of this user's
   * sessions (one Redis Cluster slot per user) and carried in their tokens; a
   * session whose user row has another uid (the row was deleted, or the file
   * reset and the id given again) belongs to nobody. A numeric id alone can come
   * back; this cannot.
   */
  uid: text("uid")
    .notNull()
    .unique()
    .$defaultFn(() => randomBytes(16).toString("hex")),
  createdAt: integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
});

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
