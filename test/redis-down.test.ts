import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { RedisUnavailableError } from "../lib/redis/client";
import { generateToken } from "../lib/session";
import { findFreePort, startRedisServer } from "../scripts/lib/redis-server";
import { created, freshUserId, newSession, owner, testRedis, testStore } from "./support/store";

describe("when Redis is down", () => {
  it("fails fast with RedisUnavailableError, then recovers by itself when Redis is back", async () => {
    const port = await findFreePort(); // nobody listens here yet
    const { store, client } = testStore({}, testRedis(`redis://127.0.0.1:${port}`));

    await expect(created(store, newSession(freshUserId()))).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(store.validateSession(generateToken())).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(store.listUserSessions(owner(1))).rejects.toBeInstanceOf(RedisUnavailableError);

    const dir = mkdtempSync(join(tmpdir(), "nrs-down-"));
    const redis = await startRedisServer({ binary: inject("redisServerBin"), port, dir, persistent: false });
    try {
      // The same client, never restarted: it reconnects in the background.
      await expect.poll(() => client.status, { timeout: 5000 }).toBe("ready");
      const { token } = await created(store, newSession(freshUserId()));
      expect((await store.validateSession(token)).status).toBe("valid");
    } finally {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    await expect(store.validateSession(generateToken())).rejects.toBeInstanceOf(RedisUnavailableError);
  });
});
