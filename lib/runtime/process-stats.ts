import { monitorEventLoopDelay } from "node:perf_hooks";

// PROCESS_STATS_INTERVAL: one log line per interval with the process's memory and
// how late its event loop ran, so an operator (or a long soak run) sees a leak or
// a blocked loop as a trend rather than as an outage. server.ts starts it.

export type ProcessStats = {
  rssBytes: number;
  heapUsedBytes: number;
  eventLoopDelayP50Ms: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
};

const RESOLUTION_MS = 10;

/**
 * Logs the process's statistics every intervalMs as event "process", each line
 * about the interval since the last. The timer never keeps the process alive.
 * Returns a function that stops it.
 */
export function startProcessStats(intervalMs: number, log: (event: string, fields: ProcessStats) => void): () => void {
  const delays = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delays.enable();
  // The histogram holds the time between two of its own timer ticks (nanoseconds),
  // the resolution included: without it, an idle loop reads about 0 ms.
  const lateBy = (nanoseconds: number): number => Math.max(0, Math.round((nanoseconds / 1e6 - RESOLUTION_MS) * 10) / 10);
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    log("process", {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      eventLoopDelayP50Ms: lateBy(delays.percentile(50)),
      eventLoopDelayP99Ms: lateBy(delays.percentile(99)),
      eventLoopDelayMaxMs: lateBy(delays.max),
    });
    delays.reset();
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    delays.disable();
  };
}
