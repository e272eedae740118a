import { performance } from "node:perf_hooks";
import { percentile, sleep } from "./stats";

// A closed-loop load generator for in-process Redis operations: `concurrency`
// async loops, each awaiting one operation at a time, on whatever client the
// operation closes over. Operations during the warm-up are not recorded.
// Besides throughput and latency it records the CPU time each operation cost, in
// this process (the client side) and in Redis (read through `serverCpuSeconds`):
// on a 2-core machine shared by both, CPU per operation is what decides
// throughput at high concurrency, and it is less disturbed by other load.

export type LoopResult = {
  ops: number;
  seconds: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  clientCpuUsPerOp: number;
  serverCpuUsPerOp: number;
};

export async function closedLoop(
  operation: (i: number) => Promise<void>,
  options: { concurrency: number; warmupMs: number; durationMs: number; serverCpuSeconds: () => Promise<number> },
): Promise<LoopResult> {
  let next = 0;
  let running = true;
  let recording = false;
  let failure: unknown;
  const latencies: number[] = [];

  const worker = async (): Promise<void> => {
    while (running) {
      const i = next++;
      const start = performance.now();
      try {
        await operation(i);
      } catch (error) {
        failure ??= error;
        running = false;
        return;
      }
      if (recording) latencies.push(performance.now() - start);
    }
  };
  const workers = Array.from({ length: options.concurrency }, worker);

  await sleep(options.warmupMs);
  const serverCpuBefore = await options.serverCpuSeconds();
  const clientCpuBefore = process.cpuUsage();
  recording = true;
  const startedAt = performance.now();
  await sleep(options.durationMs);
  recording = false;
  const seconds = (performance.now() - startedAt) / 1000;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const serverCpuSeconds = (await options.serverCpuSeconds()) - serverCpuBefore;
  running = false;
  await Promise.all(workers);
  if (failure !== undefined) throw failure;

  return {
    ops: latencies.length,
    seconds,
    opsPerSec: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    clientCpuUsPerOp: (clientCpu.user + clientCpu.system) / latencies.length,
    serverCpuUsPerOp: (serverCpuSeconds * 1e6) / latencies.length,
  };
}
