import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

// `npm test` prints the shape of the code and fails when it slips:
// - what proxy.ts loads to check one cookie (at most 15 product files), and what
//   the session core loads (at most 8): the files its imports reach, type-only
//   imports left out (the build erases them; the count with them is printed too);
// - module-level state outside the one accessor (lib/runtime/index.ts): a
//   globalThis slot, a top-level `let`, a top-level Map, a client or store made at
//   import time. The composition root (lib/root/build.ts) builds those per process;
// - files at the root of lib/ (every file sits in a folder the dependency rules see).
// (Drift between the generated docs and their sources: `npm run docs -- --check`.)

const ROOT = process.cwd();
const PRODUCT = ["app", "lib", "teaching", "proxy.ts", "server.ts"];
const LIMITS = { proxy: 15, core: 8 };
const ACCESSOR = "lib/runtime/index.ts";

type Edge = { spec: string; typeOnly: boolean };

function importsOf(file: string): Edge[] {
  const text = readFileSync(file, "utf8");
  const edges: Edge[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+["']([^"']+)["']/gms)) {
    const names = /^\{([^}]*)\}$/.exec(match[2].trim());
    const allTypes = names !== null && names[1].split(",").map((name) => name.trim()).filter(Boolean).every((name) => name.startsWith("type "));
    edges.push({ spec: match[3], typeOnly: Boolean(match[1]) || allTypes });
  }
  for (const match of text.matchAll(/^\s*import\s+["']([^"']+)["']/gm)) edges.push({ spec: match[1], typeOnly: false });
  return edges;
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = spec.startsWith("@/") ? join(ROOT, spec.slice(2)) : spec.startsWith(".") ? resolve(dirname(from), spec) : undefined;
  if (base === undefined) return undefined; // a package, not a product file
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/** The product files an entry loads (itself included), following runtime imports, or type-only ones too. */
export function closureOf(entry: string, withTypes = false): string[] {
  const seen = new Set<string>();
  const pending = [resolve(ROOT, entry)];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const edge of importsOf(file)) {
      if (edge.typeOnly && !withTypes) continue;
      const target = resolveImport(file, edge.spec);
      if (target) pending.push(target);
    }
  }
  return [...seen].map((file) => relative(ROOT, file)).sort();
}

function productFiles(): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else if (/\.tsx?$/.test(path)) files.push(relative(ROOT, path));
  };
  for (const entry of PRODUCT) walk(join(ROOT, entry));
  return files.sort();
}

const STATE_PATTERNS: [RegExp, string][] = [
  [/globalThis/, "a globalThis slot"],
  [/^(?:export )?(?:let|var) /m, "a top-level let"],
  [/^(?:export )?const \w+\s*=\s*new (?:Map|WeakMap|AsyncLocalStorage|EventEmitter)\b/m, "a top-level Map or store"],
  [/^(?:export )?const [a-z]\w*\s*=\s*new Set\b/m, "a top-level Set that is not a constant"],
  [/^(?:export )?const \w+\s*=\s*(?:await )?(?:new Redis|createRedisClient|createSessionStore|openUsersDatabase|createHub|buildRuntime)\(/m, "a client made at import time"],
];

/** Module-level state outside the accessor: [file, what] pairs. */
export function singletons(): [string, string][] {
  const found: [string, string][] = [];
  for (const file of productFiles()) {
    if (file === ACCESSOR) continue;
    const code = readFileSync(join(ROOT, file), "utf8").replace(/^\s*\/\/.*$/gm, "");
    for (const [pattern, what] of STATE_PATTERNS) if (pattern.test(code)) found.push([file, what]);
  }
  return found;
}

function filesAtLibRoot(): string[] {
  return readdirSync(join(ROOT, "lib")).filter((name) => statSync(join(ROOT, "lib", name)).isFile());
}

const lineCount = (files: string[]): number => files.reduce((sum, file) => sum + readFileSync(join(ROOT, file), "utf8").split("\n").length, 0);

function main(): void {
  const problems: string[] = [];
  const report = (label: string, entry: string, limit: number): void => {
    const files = closureOf(entry);
    const withTypes = closureOf(entry, true);
    console.log(`${label}: ${files.length} product files, ${lineCount(files)} lines (limit ${limit}; ${withTypes.length} counting type-only imports)`);
    if (process.argv.includes("--list")) for (const file of files) console.log(`  ${file}`);
    if (files.length > limit) problems.push(`${label} loads ${files.length} files, more than ${limit}: ${files.join(", ")}`);
  };
  report("proxy.ts loads", "proxy.ts", LIMITS.proxy);
  report("the session core (lib/session) loads", "lib/session/index.ts", LIMITS.core);

  const state = singletons();
  console.log(`module-level singletons outside ${ACCESSOR}: ${state.length}`);
  for (const [file, what] of state) problems.push(`${file} holds ${what}: build it in lib/root/build.ts and reach it through runtime()`);

  const loose = filesAtLibRoot();
  console.log(`files at the root of lib/: ${loose.length}`);
  if (loose.length > 0) problems.push(`files at the root of lib/, outside every folder rule: ${loose.join(", ")}`);

  for (const problem of problems) console.error(`✗ ${problem}`);
  process.exit(problems.length === 0 ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, "scripts/code-map.ts")) main();
