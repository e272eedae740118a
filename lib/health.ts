import type { UsersDatabase } from "./db/client";
import { guardedQuery } from "./db/client";
import { liveStats } from "./live/hub";
import { redis, whenReady } from "./redis";
import { config } from "./config";
import { readyTimeoutMs, usersDatabase } from "./runtime";

export type Health = {
  redis: "ok" | "down";
  database: "ok" | "down";
  /** "sqlite" or "postgres": which users database this instance runs on. */
  databaseKind: UsersDatabase["dialect"];
  /**
   * In demo mode only: statements this instance has sent to the users database
   * since it started, these health checks' own included; watch it stay still
   * while signed-in pages are browsed (they send none). Not told otherwise: it
   * would tell a stranger how busy sign-ins are.
   */
  databaseQueries?: number;
  /** Open live streams (tabs) of this instance and the user channels they keep subscribed. */
  live: { channels: number; listeners: number };
};

async function redisAnswers(): Promise<boolean> {
  try {
    await whenReady(redis(), readyTimeoutMs());
    return (await redis().ping()) === "PONG";
  } catch {
    return false;
  }
}

async function databaseAnswers(db: UsersDatabase): Promise<boolean> {
  try {
    await guardedQuery(() => (db.dialect === "sqlite" ? db.file.prepare("select 1").get() : db.pool.query("select 1")));
    return true;
  } catch {
    return false;
  }
}

/** Both stores, each checked with the cheapest real query it has (each bounded by its timeout). */
export async function checkHealth(): Promise<Health> {
  const db = usersDatabase();
  const [redisOk, databaseOk] = await Promise.all([redisAnswers(), databaseAnswers(db)]);
  return {
    redis: redisOk ? "ok" : "down",
    database: databaseOk ? "ok" : "down",
    databaseKind: db.dialect,
    ...(config().demoUsers ? { databaseQueries: db.queryCount() } : {}),
    live: liveStats(),
  };
}
