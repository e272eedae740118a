import { AsyncLocalStorage } from "node:async_hooks";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { OUTAGE_CHANNEL } from "../redis/client";

// The front door's part in outages. The proxy answers 503 when Redis cannot
// check a session; but a page the proxy let through may still fail halfway when
// a store stops answering (the devices list, a command timed out), and Next.js
// answers a page that threw with 500 whatever the error. Every outage error is
// published on OUTAGE_CHANNEL as it is made; the request it was made in is known
// (AsyncLocalStorage follows the request through Next.js), so a 500 of a request
// that met an outage goes out as what it is: 503, with Retry-After. The error
// boundary's page ("Sessions are temporarily unavailable … Try again") is its body.
// It also logs why the app answered 503, at most once per store every 5 seconds.

type Log = (event: string, fields: Record<string, string | number>) => void;

const OUTAGE_LOG_INTERVAL_MS = 5000;

export function watchOutages(log: Log): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  const currentRequest = new AsyncLocalStorage<{ outage: boolean }>();
  const lastLogged = { redis: { at: 0, since: 0 }, "users-database": { at: 0, since: 0 } };
  subscribe(OUTAGE_CHANNEL, (message) => {
    const error = message as Error;
    const request = currentRequest.getStore();
    if (request) request.outage = true;
    const store = error.name === "RedisUnavailableError" ? "redis" : "users-database";
    const last = lastLogged[store];
    const now = Date.now();
    if (now - last.at < OUTAGE_LOG_INTERVAL_MS) {
      last.since++;
      return;
    }
    log("outage", { store, cause: error.cause instanceof Error ? error.cause.message : String(error.cause ?? ""), alsoSinceLastLine: last.since });
    lastLogged[store] = { at: now, since: 0 };
  });

  return (request, response, next) => {
    const seen = { outage: false };
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
    // Node calls writeHead itself before the first byte (_implicitHeader), so this sees every status.
    response.writeHead = ((status: number, ...rest: unknown[]) => {
      if (status !== 500 || !seen.outage) return writeHead(status, ...rest);
      response.setHeader("retry-after", "5");
      return writeHead(503, ...rest.filter((part) => typeof part !== "string"));
    }) as ServerResponse["writeHead"];
    currentRequest.run(seen, next);
  };
}
