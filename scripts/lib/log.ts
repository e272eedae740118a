// Progress lines of the start and test scripts: one short line per step.
export function step(message: string): void {
  console.log(`\u25b8 ${message}`);
}

export function fail(message: string): never {
  console.error(`\u2716 ${message}`);
  process.exit(1);
}
