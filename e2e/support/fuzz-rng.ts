// A small seeded PRNG for the fuzz spec (sfc32, seeded through splitmix32), so a
// failing run can be replayed exactly with the same FUZZ_SEED and FUZZ_SIZE.

/** FUZZ_SEED as decimal or 0x-hex, else the fixed default. */
export function parseSeed(text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === "") return fallback >>> 0;
  const value = /^0x[0-9a-f]+$/i.test(text.trim()) ? Number.parseInt(text.trim(), 16) : Number(text.trim());
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`FUZZ_SEED must be a non-negative integer (decimal or 0x-hex), got ${JSON.stringify(text)}`);
  }
  return value >>> 0;
}

/** FUZZ_SIZE (a positive integer), else the default. */
export function parseSize(text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === "") return fallback;
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`FUZZ_SIZE must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

export const hex = (seed: number): string => `0x${(seed >>> 0).toString(16).padStart(8, "0")}`;

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Rng.pick from an empty list");
    return items[this.int(items.length)];
  }

  /** One of the keys, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.uint32() & 0xff;
    return out;
  }

  /** A child generator, so one stream of cases does not shift another. */
  fork(salt: number): Rng {
    return new Rng((this.uint32() ^ Math.imul(salt, 0x27d4eb2d)) >>> 0);
  }
}
