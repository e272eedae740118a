import type { Redis } from "ioredis";
import { performance } from "node:perf_hooks";
import type { SessionStore } from "../lib/session";
import { benchOwner } from "./fixtures";
import { percentile } from "./stats";

// Benchmark 3: the devices page's read, listUserSessions(), for one user with a
// few sessions. It reads the user's index and then only that user's hashes, so
// its latency must not depend on how many sessions other users have. For contrast,
// the full SCAN a store without an index needs to find anyone's sessions.

export type ListingRun = { p50Ms: number; p99Ms: number; meanMs: number };

/** `iterations` sequential calls (concurrency 1: the latency of one page view). */
export async function measureListing(store: SessionStore, userId: number, expected: number, iterations: number): Promise<ListingRun> {
  const latencies: number[] = [];
  for (let i = 0; i < iterations + Math.ceil(iterations / 10); i++) {
    const start = performance.now();
    const sessions = await store.listUserSessions(benchOwner(userId));
    const elapsed = performance.now() - start;
    if (sessions.length !== expected) throw new Error(`listUserSessions returned ${sessions.length} sessions, expected ${expected}`);
    if (i >= Math.ceil(iterations / 10)) latencies.push(elapsed); // the first tenth is the warm-up
  }
  return { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), meanMs: latencies.reduce((a, b) => a + b, 0) / latencies.length };
}

export type ScanRun = { ms: number; calls: number; keysMatched: number };

/** One full `SCAN 0 MATCH session:{*}:token:* COUNT 1000` loop: what finding a user's sessions costs without an index (before reading any of them). */
export async function fullScan(client: Redis): Promise<ScanRun> {
  const start = performance.now();
  let cursor = "0";
  let calls = 0;
  let keysMatched = 0;
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", "session:{*}:token:*", "COUNT", 1000);
    cursor = next;
    calls++;
    keysMatched += keys.length;
  } while (cursor !== "0");
  return { ms: performance.now() - start, calls, keysMatched };
}
