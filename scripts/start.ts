import { spawn } from "node:child_process";
import { parseConfig } from "../lib/runtime/config";
import { prepareDatabase } from "./lib/database";
import { fail, step } from "./lib/log";
import { chooseRedis } from "./lib/managed-redis";
import { buildIsStale, buildProductionBundle } from "./lib/next-build";
import { exited } from "./lib/redis-server";

// `npm start` (and `npm run dev` with --dev): everything the app needs, in order,
// then the server in the foreground. Ctrl-C stops what this script started.

async function main(): Promise<void> {
  const dev = process.argv.includes("--dev");
  const root = process.cwd();
  const port = process.env.PORT ?? "3000";

  const redis = await chooseRedis(process.env, root);
  if ("error" in redis) fail(redis.error);
  const env = { ...process.env, NODE_ENV: dev ? "development" : "production" } as NodeJS.ProcessEnv;
  if ("url" in redis) env.REDIS_URL = redis.url;

  let stopping = false;
  const stopRedis = async (): Promise<void> => {
    if ("started" in redis && redis.started) {
      step(`Stopping redis-server (pid ${redis.started.pid})`);
      await redis.started.stop();
    }
  };

  try {
    const config = parseConfig(env);
    const created = await prepareDatabase(config.database, { demoUsers: config.demoUsers });
    const where = config.database.kind === "sqlite" ? `SQLite file ${config.database.path}` : "PostgreSQL (DATABASE_URL)";
    step(`Users database: ${where} migrated${created.length ? `; demo users created: ${created.join(", ")}` : ""}`);
    step(
      config.demoUsers
        ? "Demo users are on: alice, bob and admin exist and are listed on /login (DEMO_USERS=off to turn them off before deploying)"
        : "Demo users are off (DEMO_USERS=off): none created, none listed",
    );
  } catch (error) {
    await stopRedis();
    fail(error instanceof Error ? error.message : String(error));
  }

  if (!dev && buildIsStale(root)) {
    step("Building the production bundle (next build)…");
    if (!buildProductionBundle(env)) {
      await stopRedis();
      fail("next build failed; see the errors above.");
    }
  } else if (!dev) {
    step("Production bundle is up to date");
  }

  // server.ts: Next.js behind a front door that knows the client's real address.
  const serverArgs = ["--import", "tsx", "server.ts", "--port", port, ...(dev ? ["--dev"] : [])];
  const server = spawn(process.execPath, serverArgs, { stdio: "inherit", env });
  step(`App: ${env.TLS_CERT_FILE ? "https" : "http"}://localhost:${port} (server.ts, ${dev ? "development" : "production"}, pid ${server.pid}). Ctrl-C stops.`);

  const shutdown = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    server.kill("SIGTERM");
    await exited(server);
    await stopRedis();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  server.once("exit", (code) => void shutdown(code ?? 0));
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
