import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { findFreePort, startRedisServer } from "../../scripts/lib/redis-server";
import { findProgram } from "../../scripts/lib/system-packages";

// One real redis-server for the whole Vitest run, on a free port, with nothing
// written to disk; stopped by PID when the run ends. Tests isolate themselves by
// using fresh random user ids, never by flushing.

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
    redisServerBin: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binary = process.env.REDIS_SERVER_BIN ?? findProgram("redis-server");
  if (!binary) throw new Error("redis-server is not installed; `npm test` installs it where it can, or see the README.");
  const dir = mkdtempSync(join(tmpdir(), "nrs-vitest-redis-"));
  const redis = await startRedisServer({ binary, port: await findFreePort(), dir, persistent: false });
  project.provide("redisUrl", redis.url);
  project.provide("redisServerBin", binary);
  return async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
