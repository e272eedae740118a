import { afterAll, inject } from "vitest";
import type { CommandObserver } from "../../lib/redis/client";
import { buildRuntime } from "../../lib/root/build";
import type { Runtime } from "../../lib/runtime";
import { parseConfig } from "../../lib/runtime/config";
import { freshUsersDatabase } from "./users-databases";

// The runtime the app builds (lib/root/build.ts), for tests of a whole flow: the
// run's real redis-server, a fresh SQLite users database, no Redis trace, and
// the environment variables a test sets. Closed after the file's tests.

const runtimes: Runtime[] = [];
afterAll(async () => {
  for (const rt of runtimes.splice(0)) await rt.close();
});

export async function testRuntime(env: Record<string, string> = {}, observers: CommandObserver[] = []): Promise<Runtime> {
  const { db, target } = await freshUsersDatabase("sqlite");
  const config = parseConfig({
    REDIS_URL: inject("redisUrl"),
    DATABASE_URL: target.kind === "sqlite" ? target.path : target.url,
    SHOW_REDIS_TRACE: "off",
    ...env,
  });
  const rt = await buildRuntime(config, { users: db, observers });
  runtimes.push(rt);
  return rt;
}
