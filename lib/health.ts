import { config } from "./config";
import { db } from "./db/client";
import { liveStats } from "./live/hub";
import { redis, whenReady } from "./redis";

export type Health = {
  redis: "ok" | "down";
  database: "ok" | "down";
  /** Open live streams (tabs) of this instance and the user channels they keep subscribed. */
  live: { channels: number; listeners: number };
};

async function redisAnswers(): Promise<boolean> {
  try {
    await whenReady(redis(), config().redisCommandTimeoutMs * 2);
    return (await redis().ping()) === "PONG";
  } catch {
    return false;
  }
}

function databaseAnswers(): boolean {
  try {
    return db().$client.prepare("select 1 as ok").get() !== undefined;
  } catch {
    return false;
  }
}

/** Both stores, each checked with the cheapest real query it has. */
export async function checkHealth(): Promise<Health> {
  const redisOk = await redisAnswers();
  return { redis: redisOk ? "ok" : "down", database: databaseAnswers() ? "ok" : "down", live: liveStats() };
}
