// Small statistics helpers. Every figure is measured `repetitions` times and
// reported as the median with the range, because on a shared 2-core machine a
// single run can be off by several percent.

export type Summary = { median: number; min: number; max: number; runs: number[] };

/** The p-th percentile (0–100) of unsorted samples, nearest-rank. */
export function percentile(samples: ArrayLike<number>, p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export function summarize(runs: number[]): Summary {
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
}

/** (max - min) / median, as a fraction: how far apart the repetitions were. */
export function spread(summary: Summary): number {
  return summary.median === 0 ? 0 : (summary.max - summary.min) / summary.median;
}

/** Ratio of two paired series (run i of one against run i of the other), summarized. Pairing cancels slow drift of the machine. */
export function pairedRatio(numerator: number[], denominator: number[]): Summary {
  return summarize(numerator.map((value, i) => value / denominator[i]));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
