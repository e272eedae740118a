import { Redis } from "ioredis";
import { step } from "../scripts/lib/log";
import { closedLoop } from "./loop";
import { serverCpuSeconds } from "./redis-info";
import type { BenchOptions } from "./options";
import { summarize, type Summary } from "./stats";
import { prepareVariants, type VariantName } from "./variants";

// Benchmark 1: ops/s and latency of one session check per operation, for each
// variant, at each concurrency, repeated. Within a repetition every variant runs
// back to back (reversed every other time), so slow drift of the machine hits all alike
// and the ratios compare runs made seconds apart.

export type VariantFigures = {
  label: string;
  role: string;
  opsPerSec: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  /** CPU time per operation in the bench process (the client library and the code around the call). */
  clientCpuUs: Summary;
  /** CPU time per operation in redis-server. */
  redisCpuUs: Summary;
};

/** concurrency ("c1", "c64") → variant → figures. */
export type ValidationResults = Record<string, Partial<Record<VariantName, VariantFigures>>>;

export async function runValidation(redisUrl: string, options: BenchOptions): Promise<ValidationResults> {
  const { warmupMs, durationMs, sessions } = options.validation;
  step(`validation: creating ${sessions.toLocaleString("en-US")} sessions with createSession() and as many express-session ones`);
  const { variants, close } = await prepareVariants(redisUrl, sessions);
  const runs = new Map<string, { ops: number[]; p50: number[]; p99: number[]; clientCpu: number[]; redisCpu: number[] }>();
  // A client of its own for INFO cpu, so the probe never queues behind a variant's commands.
  const probe = new Redis(redisUrl);
  try {
    for (let rep = 0; rep < options.repetitions; rep++) {
      for (const concurrency of options.concurrencies) {
        step(`validation c${concurrency} run ${rep + 1}/${options.repetitions} (${variants.length} variants × ${(warmupMs + durationMs) / 1000} s)…`);
        // Every other repetition in reverse order: the variants whose ratios matter
        // stay neighbours, and none always runs first.
        for (const variant of rep % 2 === 0 ? variants : [...variants].reverse()) {
          const result = await closedLoop(variant.operation, { concurrency, warmupMs, durationMs, serverCpuSeconds: () => serverCpuSeconds(probe) });
          const key = `c${concurrency}:${variant.name}`;
          const entry = runs.get(key) ?? { ops: [], p50: [], p99: [], clientCpu: [], redisCpu: [] };
          entry.ops.push(result.opsPerSec);
          entry.p50.push(result.p50Ms);
          entry.p99.push(result.p99Ms);
          entry.clientCpu.push(result.clientCpuUsPerOp);
          entry.redisCpu.push(result.serverCpuUsPerOp);
          runs.set(key, entry);
        }
      }
    }
  } finally {
    probe.disconnect();
    await close();
  }

  const results: ValidationResults = {};
  for (const concurrency of options.concurrencies) {
    const byVariant: Partial<Record<VariantName, VariantFigures>> = {};
    for (const variant of variants) {
      const entry = runs.get(`c${concurrency}:${variant.name}`);
      if (!entry) continue;
      byVariant[variant.name] = {
        label: variant.label,
        role: variant.role,
        opsPerSec: summarize(entry.ops),
        p50Ms: summarize(entry.p50),
        p99Ms: summarize(entry.p99),
        clientCpuUs: summarize(entry.clientCpu),
        redisCpuUs: summarize(entry.redisCpu),
      };
    }
    results[`c${concurrency}`] = byVariant;
  }
  return results;
}
