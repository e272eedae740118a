import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

// `npm start` builds only when the production bundle is missing or older than the
// code it was built from, so a second start is instant.

const INPUTS = ["app", "lib", "teaching", "public", "proxy.ts", "next.config.mjs", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];

/** Next.js' CLI, found as Node finds packages from the working directory (a copy of the app inside the repository finds the repository's). */
export const NEXT_BIN = createRequire(join(process.cwd(), "package.json")).resolve("next/dist/bin/next");

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtimeMs(join(path, entry))), stat.mtimeMs);
}

export function buildIsStale(root = process.cwd()): boolean {
  const buildId = join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return INPUTS.some((input) => newestMtimeMs(join(root, input)) > builtAt);
}

/** Runs `next build` in the foreground, its output shown as it comes. */
export function buildProductionBundle(env: NodeJS.ProcessEnv = process.env): boolean {
  const result = spawnSync(process.execPath, [NEXT_BIN, "build"], { stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
  return result.status === 0;
}
