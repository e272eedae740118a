import type { Summary } from "./stats";

// Number formats shared by the stdout table and docs/benchmarks.md.

export const integer = (value: number): string => Math.round(value).toLocaleString("en-US");

export const fixed = (value: number, digits = 2): string => value.toFixed(digits);

/** Half the range of the runs relative to their median: "±3%". */
export function plusMinus(summary: Summary): string {
  if (summary.runs.length < 2 || summary.median === 0) return "";
  return ` ±${(((summary.max - summary.min) / 2 / summary.median) * 100).toFixed(summary.max === summary.min ? 0 : 1)}%`;
}

export const rate = (summary: Summary): string => `${integer(summary.median)}${plusMinus(summary)}`;

export const micros = (ms: number): string => `${integer(ms * 1000)} µs`;

export const millis = (ms: number): string => `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;

export const bytes = (value: number): string => `${integer(value)} B`;
