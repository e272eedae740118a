import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

// The app without its teaching layer, as someone copying the pattern would leave
// it: a throwaway copy of the working tree without teaching/, app/(teaching)/,
// app/@trace/ (and the layer's tests, test/teaching/, and its docs generator,
// scripts/docs.ts), and without the lines marked `// teaching` (or `{/* teaching */}`).
// `npm test` builds that copy for real (next build) and runs the core e2e flows
// against it (scripts/test.ts); here it is only made.

/** What a copy of the pattern leaves out: the layer, its routes, its tests and its docs generator. */
export const TEACHING_PATHS = ["teaching", "app/(teaching)", "app/@trace", "test/teaching", "scripts/docs.ts"];
const MARKER = /\/\/ teaching\s*$|\{?\/\* teaching \*\/\}?\s*$/;
const LEFT_OUT = new Set(["node_modules", ".next", ".git", ".data", ".test-runs", "test-results", "playwright-report"]);

/** Makes the copy in `target` (emptied first) and returns the files whose marked lines it dropped. */
export function copyWithoutTeaching(source: string, target: string): string[] {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(source)) if (!LEFT_OUT.has(name)) cpSync(join(source, name), join(target, name), { recursive: true });
  // No node_modules of its own: the copy sits inside the repository (.test-runs/),
  // so Node finds the packages one level up; without its own lockfile the build
  // takes the repository as its workspace root, and compiles those packages.
  rmSync(join(target, "package-lock.json"));
  for (const path of TEACHING_PATHS) rmSync(join(target, path), { recursive: true, force: true });
  const changed: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (LEFT_OUT.has(name)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(name)) {
        const text = readFileSync(path, "utf8");
        const kept = text.split("\n").filter((line) => !MARKER.test(line));
        if (kept.length !== text.split("\n").length) {
          writeFileSync(path, kept.join("\n"));
          changed.push(relative(target, path));
        }
      }
    }
  };
  walk(target);
  for (const path of TEACHING_PATHS) if (existsSync(join(target, path))) throw new Error(`${path} is still in the copy`);
  return changed.sort();
}
