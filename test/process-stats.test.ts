import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startProcessStats, type ProcessStats } from "../lib/runtime/process-stats";
import { sleep } from "./support/store";

// PROCESS_STATS_INTERVAL: the line server.ts logs every interval, its figures,
// and a timer that neither outlives its stop nor keeps the process alive.

const FIELDS = ["rssBytes", "heapUsedBytes", "eventLoopDelayP50Ms", "eventLoopDelayP99Ms", "eventLoopDelayMaxMs"];

describe("process statistics", () => {
  it("logs memory and event-loop delay every interval, shows a blocked loop, and stops when asked", async () => {
    const lines: { event: string; fields: ProcessStats }[] = [];
    const stop = startProcessStats(100, (event, fields) => lines.push({ event, fields }));
    try {
      await sleep(150);
      const blockedUntil = Date.now() + 80;
      while (Date.now() < blockedUntil); // the loop is blocked: a timer due meanwhile runs about 80 ms late
      await sleep(250);
    } finally {
      stop();
    }
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const { event, fields } of lines) {
      expect(event).toBe("process");
      expect(Object.keys(fields).sort()).toEqual([...FIELDS].sort());
      for (const value of Object.values(fields)) {
        expect(Number.isFinite(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
      }
      expect(fields.rssBytes).toBeGreaterThan(fields.heapUsedBytes);
      expect(fields.eventLoopDelayP50Ms).toBeLessThanOrEqual(fields.eventLoopDelayP99Ms);
      expect(fields.eventLoopDelayP99Ms).toBeLessThanOrEqual(fields.eventLoopDelayMaxMs);
      // Milliseconds with one decimal.
      for (const name of ["eventLoopDelayP50Ms", "eventLoopDelayP99Ms", "eventLoopDelayMaxMs"] as const) expect(Math.round(fields[name] * 10)).toBe(fields[name] * 10);
    }
    expect(Math.max(...lines.map((line) => line.fields.eventLoopDelayMaxMs))).toBeGreaterThanOrEqual(50);
    const logged = lines.length;
    await sleep(300);
    expect(lines.length, "no line after stop").toBe(logged);
  });

  it("writes JSON lines through logEvent and never keeps the process alive", () => {
    // A process with nothing left to do but the statistics' timer ends by itself.
    const script = [
      'import { logEvent } from "./lib/runtime";',
      'import { startProcessStats } from "./lib/runtime/process-stats";',
      "startProcessStats(50, logEvent);",
      "setTimeout(() => undefined, 300);",
    ].join("\n");
    const result = spawnSync(join("node_modules", ".bin", "tsx"), ["--eval", script], { encoding: "utf8", timeout: 10_000 });
    expect(result.error?.message, "ended by itself, not by the timeout").toBeUndefined();
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      expect(line).toMatchObject({ event: "process", time: expect.any(String) });
      for (const name of FIELDS) expect(line[name]).toEqual(expect.any(Number));
    }
  });
});
