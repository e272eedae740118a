import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { inject } from "vitest";
import { whenReady } from "../../lib/redis/client";
import { findFreePort, startRedisServer } from "../../scripts/lib/redis-server";
import { testRedis } from "./store";

// A redis-server for one test alone. The run's shared Redis serves every test file
// at once, so its server-wide counters (INFO) move with the other files' commands
// too; counting what one call costs needs a server nobody else talks to.

/** Runs `body` with a connected client of a fresh redis-server; the client is closed before the server stops. */
export async function withOwnRedis<T>(body: (client: Redis) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "nrs-own-"));
  const redis = await startRedisServer({ binary: inject("redisServerBin"), port: await findFreePort(), dir, persistent: false });
  const client = testRedis(redis.url);
  try {
    await whenReady(client, 5000); // connected, so a command would really be sent
    return await body(client);
  } finally {
    client.disconnect(); // before the stop, so it does not try to reconnect
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
