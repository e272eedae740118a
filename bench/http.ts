import autocannon from "autocannon";
import { step } from "../scripts/lib/log";
import type { BenchOptions } from "./options";
import { percentile, summarize, type Summary } from "./stats";

// Benchmark 2: the app over HTTP, under autocannon, with the same connection
// count for every target. The targets run interleaved (one run of each, then the
// next repetition), so the protected/unprotected ratio compares runs made
// seconds apart on the same warm server.

export type HttpTargetName = "guarded" | "open" | "api_me" | "no_cookie";

/** What autocannon sends: a GET unless a method and a body are given. */
export type LoadRequest = { path: string; headers: Record<string, string>; expectStatus: number; method?: "GET" | "POST"; body?: string };
export type HttpTarget = LoadRequest & { name: HttpTargetName; label: string };
type Target = HttpTarget;

export type HttpFigures = {
  label: string;
  path: string;
  status: number;
  reqPerSec: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  /** Responses in the measured runs, and those that failed (5xx, connection errors), by status. */
  responses: number;
  failed: Record<string, number>;
};

/**
 * Server errors tolerated before the run counts as broken. Under full CPU load a
 * few validations can exceed the app's 500 ms Redis command timeout (measured from
 * the event loop, which is then late) and the page answers 500: the bench records
 * and reports them rather than failing on a handful. Any other status, such as a
 * redirect to /login for a live session, breaks the run at once.
 */
const MAX_FAILED_FRACTION = 0.01;
export type HttpResults = {
  connections: number;
  targets: Record<HttpTargetName, HttpFigures>;
  /** Lines of the app server's log during the whole HTTP phase (filled in by run.ts). */
  serverLog?: { commandTimeouts: number; redisUnavailable: number };
};

export function httpTargets(token: string, cookieName: string): Target[] {
  const cookie = { cookie: `${cookieName}=${token}` };
  return [
    { name: "guarded", label: "the home page signed in (/, session checked)", path: "/", headers: cookie, expectStatus: 200 },
    { name: "open", label: "the sign-in page (/login, no check)", path: "/login", headers: cookie, expectStatus: 200 },
    { name: "api_me", label: "GET /api/me with a bearer token", path: "/api/me", headers: { authorization: `Bearer ${token}` }, expectStatus: 200 },
    { name: "no_cookie", label: "no cookie: redirect to /login", path: "/", headers: {}, expectStatus: 303 },
  ];
}

type OneRun = { reqPerSec: number; p50Ms: number; p99Ms: number; responses: number; failed: Record<string, number> };

/** One autocannon run; latencies come from its per-response event (sub-millisecond, all status codes). */
export function cannon(baseUrl: string, target: LoadRequest, connections: number, seconds: number): Promise<OneRun> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const failed: Record<string, number> = {};
    let wrong: number | undefined;
    const instance = autocannon(
      { url: `${baseUrl}${target.path}`, connections, duration: seconds, headers: target.headers, method: target.method ?? "GET", body: target.body },
      (error: unknown, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        if (wrong !== undefined) {
          return reject(new Error(`${target.path}: answered ${wrong} where ${target.expectStatus} was expected (a live session judged invalid?)`));
        }
        if (result.errors > 0) failed.connection_error = result.errors;
        const failures = Object.values(failed).reduce((a, b) => a + b, 0);
        if (failures > MAX_FAILED_FRACTION * Math.max(1, latencies.length)) {
          return reject(new Error(`${target.path}: ${failures} of ${latencies.length} requests failed (${JSON.stringify(failed)})`));
        }
        resolve({ reqPerSec: latencies.length / result.duration, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), responses: latencies.length, failed });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode === target.expectStatus) return;
      if (statusCode >= 500) failed[String(statusCode)] = (failed[String(statusCode)] ?? 0) + 1;
      else wrong = statusCode;
    });
  });
}

export async function runHttp(baseUrl: string, targets: Target[], options: BenchOptions): Promise<HttpResults> {
  const { connections, warmupSeconds, durationSeconds } = options.http;
  const runs = new Map<HttpTargetName, OneRun[]>();
  // The server is fresh: its first seconds under load are slower (JIT, caches),
  // and whichever target ran first would pay for it. Every target is warmed first.
  step(`http warm-up: ${targets.length} targets × ${options.http.initialWarmupSeconds} s…`);
  for (const target of targets) await cannon(baseUrl, target, connections, options.http.initialWarmupSeconds);
  for (let rep = 0; rep < options.repetitions; rep++) {
    step(`http run ${rep + 1}/${options.repetitions}: ${targets.length} targets × ${warmupSeconds + durationSeconds} s at ${connections} connections…`);
    // Every other repetition in reverse order: the guarded and open pages stay
    // neighbours (their ratio is the point) and neither always runs first.
    for (const target of rep % 2 === 0 ? targets : [...targets].reverse()) {
      await cannon(baseUrl, target, connections, warmupSeconds); // warm-up: connections open, code paths hot
      const run = await cannon(baseUrl, target, connections, durationSeconds);
      runs.set(target.name, [...(runs.get(target.name) ?? []), run]);
    }
  }
  const figures = {} as Record<HttpTargetName, HttpFigures>;
  for (const target of targets) {
    const list = runs.get(target.name) ?? [];
    figures[target.name] = {
      label: target.label,
      path: target.path,
      status: target.expectStatus,
      reqPerSec: summarize(list.map((run) => run.reqPerSec)),
      p50Ms: summarize(list.map((run) => run.p50Ms)),
      p99Ms: summarize(list.map((run) => run.p99Ms)),
      responses: list.reduce((total, run) => total + run.responses, 0),
      failed: list.reduce<Record<string, number>>((total, run) => {
        for (const [status, count] of Object.entries(run.failed)) total[status] = (total[status] ?? 0) + count;
        return total;
      }, {}),
    };
  }
  return { connections, targets: figures };
}
