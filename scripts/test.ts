import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { fail, step } from "./lib/log";
import { ensurePostgres } from "./lib/postgres-server";
import { ensureProgram } from "./lib/system-packages";
import { copyWithoutTeaching } from "./without-teaching";

// `npm test`: typecheck, lint, the dependency rules, the shape of the code
// (scripts/code-map.ts) and the generated docs against their sources; unit and
// integration tests (Vitest, against a redis-server and a PostgreSQL of their
// own); the Playwright suite against production builds (its global setup starts
// every server it needs, on free ports); the core flows again on a copy of the
// app without its teaching layer; the soak's short run (load, faults, invariants);
// a smoke run of the benchmark. Nothing here
// touches the Redis on 6379/6380 or the app's .data/.

const RUN_DIR = join(process.cwd(), ".test-runs");

function run(title: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd?: string): boolean {
  step(title);
  const result = spawnSync(command, args, { stdio: "inherit", env, cwd });
  return result.status === 0;
}

function countsFrom(file: string, read: (json: Record<string, unknown>) => [number, number]): [number, number] {
  if (!existsSync(file)) return [0, 0];
  return read(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>);
}

/** The core flows, run a second time against the copy without the teaching layer. */
const CORE_FLOWS = ["auth", "signup", "devices", "settings", "api", "delete-account", "admin", "session-end-reasons", "recent-sign-in", "live"];

async function main(): Promise<boolean> {
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });

  const redisServer = ensureProgram("redis-server", "redis-server");
  if ("missing" in redisServer) fail(redisServer.missing);
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_SERVER_BIN: redisServer.path };
  // PostgreSQL, for the users-database tests on both kinds (or TEST_DATABASE_URL's server).
  const postgres = process.env.TEST_DATABASE_URL ? undefined : ensurePostgres();
  if (postgres && "missing" in postgres) fail(postgres.missing);
  if (!existsSync(chromium.executablePath()) && !env.CHROMIUM_PATH) {
    const system = ensureProgram("chromium", "chromium");
    if ("missing" in system) fail(`${system.missing}\n  Or point CHROMIUM_PATH at a Chromium or Chrome binary.`);
    env.CHROMIUM_PATH = system.path;
  }

  const npx = (bin: string): string => join("node_modules", ".bin", bin);
  const tsx = (script: string, ...args: string[]): [string, string[]] => [npx("tsx"), [script, ...args]];
  // --e2e-only skips straight to the browser suite (handy while working on it).
  const e2eOnly = process.argv.includes("--e2e-only");
  if (!e2eOnly) {
    if (!run("Typecheck (tsc --noEmit)", npx("tsc"), ["--noEmit"], env)) return false;
    if (!run("Lint (eslint)", npx("eslint"), ["."], env)) return false;
    const layers = ["--config", ".dependency-cruiser.cjs", "app", "lib", "teaching", "fuzz", "proxy.ts", "server.ts", "scripts", "test", "e2e", "bench", "soak"];
    if (!run("Dependency rules (dependency-cruiser: folders depend one way)", npx("depcruise"), layers, env)) return false;
    if (!run("The shape of the code (closures, singletons)", ...tsx("scripts/code-map.ts"), env)) return false;
    if (!run("Generated docs against their sources", ...tsx("scripts/docs.ts", "--check"), env)) return false;
  }
  const vitestJson = join(RUN_DIR, "vitest.json");
  const unitOk = e2eOnly || run("Unit and integration tests (vitest, real redis-server)", npx("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`], env);
  const unit = countsFrom(vitestJson, (j) => [Number(j.numPassedTests), Number(j.numFailedTests)]);
  if (!unitOk) return summary(unit, [0, 0]);

  // Playwright's global setup (e2e/support/global-setup.ts) builds the app if it is
  // stale and starts every server the specs need, on free ports, then stops them.
  const extra = process.argv.slice(2).filter((arg) => arg !== "--e2e-only");
  const e2eOk = run("End-to-end tests (Playwright, production build, real Chromium)", npx("playwright"), ["test", ...extra], env);
  const e2e = countsFrom(join(RUN_DIR, "playwright.json"), (j) => {
    const stats = j.stats as { expected: number; unexpected: number; flaky: number };
    return [stats.expected, stats.unexpected + stats.flaky];
  });
  if (!summary(unit, e2e) || !e2eOk || e2eOnly) return summary(unit, e2e) && e2eOk;

  // The app without its teaching layer: a copy without it, built for real, and the core flows run against it.
  const copy = join(RUN_DIR, "without-teaching");
  step(`A copy without the teaching layer in ${copy}: dropped marked lines in ${copyWithoutTeaching(process.cwd(), copy).join(", ")}`);
  const flows = CORE_FLOWS.map((name) => `e2e/${name}.spec.ts`);
  const plainOk = run("The core flows on the copy without the teaching layer (its own next build)", process.execPath, [join(process.cwd(), npx("playwright")), "test", "--project=sqlite", ...flows], env, copy);
  if (!plainOk) return false;

  // The soak, short: a minute of traffic on two instances, a Cluster and PostgreSQL,
  // one fault of each kind, every invariant judged; its report stays in .test-runs/.
  if (!run("Soak and faults, short (npm run soak -- --short)", ...tsx("soak/run.ts", "--short", "--out", join(RUN_DIR, "soak-report")), env)) return false;

  // The benchmark as a smoke test: every code path of `npm run bench`, short runs,
  // no figure judged; its output stays in .test-runs/, not in docs/.
  return run("Benchmark smoke test (npm run bench -- --quick)", ...tsx("bench/run.ts", "--quick", "--out", join(RUN_DIR, "bench")), env);
}

function summary(unit: [number, number], e2e: [number, number]): boolean {
  console.log(`\nvitest: ${unit[0]} passed, ${unit[1]} failed; playwright: ${e2e[0]} passed, ${e2e[1]} failed`);
  console.log(`${unit[0] + e2e[0]} passed, ${unit[1] + e2e[1]} failed`);
  return unit[1] + e2e[1] === 0;
}

main()
  .then((ok) => process.exit(ok ? 0 : 1))
  .catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
