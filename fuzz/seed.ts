import fc from "fast-check";

// Every property runs from one fixed seed, so a failure seen once is seen again:
// rerun with the FUZZ_SEED (and PROPERTY_RUNS) printed in the test titles, and
// fast-check's report adds the `seed` and `path` of the shrunk counterexample.
// PROPERTY_RUNS is per property; the default makes the property files draw well
// over 10,000 inputs together in a few seconds.

function parseSeed(text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const seed = Number(text); // "0x5eed2026" and "1592598566" alike
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${JSON.stringify(text)}`);
  return seed | 0; // fast-check seeds are 32-bit integers
}

function parseRuns(text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`PROPERTY_RUNS must be a positive integer, got ${JSON.stringify(text)}`);
  return runs;
}

export const FUZZ_SEED = parseSeed(process.env.FUZZ_SEED, 0x5eed2026);
export const PROPERTY_RUNS = parseRuns(process.env.PROPERTY_RUNS, 1_000);

/** What to set to draw the same inputs again; goes into every property's title. */
export const REPLAY = `FUZZ_SEED=0x${(FUZZ_SEED >>> 0).toString(16)} PROPERTY_RUNS=${PROPERTY_RUNS}`;

/** Checks `property` on PROPERTY_RUNS inputs drawn from the fixed seed; throws with the shrunk counterexample. */
export function holds<Ts>(property: fc.IProperty<Ts>): void {
  fc.assert(property, { seed: FUZZ_SEED, numRuns: PROPERTY_RUNS });
}
