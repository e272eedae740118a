import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { commandsTable } from "../teaching/commands";

// `npm run docs`: writes the generated parts of the docs from their sources, as
// bench/report.ts writes docs/benchmarks.md. A generated part sits between
//   <!-- generated:<name>:begin --> and <!-- generated:<name>:end -->
// and is never edited by hand. `npm run docs -- --check` (run by `npm test`)
// prints how many parts differ from what their sources make now, and fails if any does.

type Part = { file: string; name: string; render: () => string };

const PARTS: Part[] = [
  // The Redis commands of each step: teaching/commands.ts and the Lua of lib/session/scripts.ts.
  { file: "docs/how-it-works.md", name: "commands", render: commandsTable },
];

const ROOT = process.cwd();

function withPart(text: string, part: Part): string {
  const begin = `<!-- generated:${part.name}:begin -->`;
  const end = `<!-- generated:${part.name}:end -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from === -1 || to < from) throw new Error(`${part.file} has no ${begin} … ${end} markers`);
  return `${text.slice(0, from + begin.length)}\n${part.render()}\n${text.slice(to)}`;
}

/** The files whose generated parts differ from what their sources make now. */
export function docsDrift(): string[] {
  const drifted = new Set<string>();
  for (const part of PARTS) {
    const text = readFileSync(join(ROOT, part.file), "utf8");
    if (withPart(text, part) !== text) drifted.add(part.file);
  }
  return [...drifted];
}

function writeDocs(): void {
  for (const part of PARTS) {
    const path = join(ROOT, part.file);
    const text = readFileSync(path, "utf8");
    const next = withPart(text, part);
    if (next !== text) writeFileSync(path, next);
    console.log(`${part.file} (${part.name}): ${next === text ? "up to date" : "written"}`);
  }
}

function checkDocs(): void {
  const drift = docsDrift();
  console.log(`generated docs parts out of date with their sources (tables vs code): ${drift.length}`);
  for (const file of drift) console.error(`✗ ${file} differs from what \`npm run docs\` writes: run it and commit the result`);
  process.exit(drift.length === 0 ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, "scripts/docs.ts")) {
  if (process.argv.includes("--check")) checkDocs();
  else writeDocs();
}
