import { guardedQuery, type UsersDatabase } from "../db/client";
import { whenReady } from "../redis/client";
import { runtime } from "../runtime";

// GET /api/health: each store checked with the cheapest real query it has, each
// bounded by its timeout, and this instance's live streams.

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

export async function checkHealth(): Promise<Health> {
  const { redis, users, config, hub } = runtime();
  const redisAnswers = async (): Promise<boolean> => {
    try {
      await whenReady(redis, config.redisCommandTimeoutMs * 2);
      return (await redis.ping()) === "PONG";
    } catch {
      return false;
    }
  };
  const databaseAnswers = async (): Promise<boolean> => {
    try {
      await guardedQuery(() => (users.dialect === "sqlite" ? users.file.prepare("select 1").get() : users.pool.query("select 1")));
      return true;
    } catch {
      return false;
    }
  };
  const [redisOk, databaseOk] = await Promise.all([redisAnswers(), databaseAnswers()]);
  return {
    redis: redisOk ? "ok" : "down",
    database: databaseOk ? "ok" : "down",
    databaseKind: users.dialect,
    ...(config.demoUsers ? { databaseQueries: users.queryCount() } : {}),
    live: hub.stats(),
  };
}
