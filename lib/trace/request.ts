import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { serverTiming } from "./server-timing";
import { newTrace, runTraced, type RequestTrace } from "./storage";

// One trace per HTTP request, opened by the front door (server.ts) around
// Next.js' handling of it, so the proxy, the page or route handler, and a server
// action all record into it.
//
// A server action that redirects: with JavaScript on, Next.js renders the target
// page by fetching it from this same server, with the action request's headers.
// The action's request carries its trace id in a header this process sets
// (anything a client sent there is overwritten); the fetched page's request finds
// the action's trace by that id among the requests in flight, and shows its
// commands first. The id is 128 random bits, told only to the request's own
// browser, so it works as a capability: a client that sends an id can only
// continue a trace it was given, its own (the same id that reads a finished
// trace from GET /api/trace/<id>). The traces live in this process's memory: an
// instance never sees another's, which it never needs to (the fetch goes to the
// same process). A form posted without JavaScript gets a plain 303: the page
// after it shows its own commands only.

const TRACE_HEADER = "x-redis-trace";
/** Requests in flight whose trace a follow-up fetch may continue; beyond this many, new ones are not continuable. */
const MAX_OPEN_TRACES = 10_000;

/**
 * A finished request's trace is kept this long, for its page's panel to fetch
 * when the reader opens it (GET /api/trace/<id>): the page itself carries only
 * the id, so no page renders a table it may never show.
 */
const KEEP_FINISHED_MS = 10 * 60 * 1000;
/** At most this many finished traces are kept (the oldest go first). */
const MAX_FINISHED_TRACES = 2_000;

type Finished = { trace: RequestTrace; at: number };

const globalForOpen = globalThis as typeof globalThis & { openRedisTraces?: Map<string, RequestTrace>; finishedRedisTraces?: Map<string, Finished> };
const open = (): Map<string, RequestTrace> => (globalForOpen.openRedisTraces ??= new Map());
const finished = (): Map<string, Finished> => (globalForOpen.finishedRedisTraces ??= new Map());

function keepFinished(trace: RequestTrace): void {
  const kept = finished();
  const now = Date.now();
  kept.set(trace.id, { trace, at: now });
  // Insertion order is age order: drop from the front what is too old or too many.
  for (const [id, entry] of kept) {
    if (kept.size <= MAX_FINISHED_TRACES && now - entry.at < KEEP_FINISHED_MS) break;
    kept.delete(id);
  }
}

/** A request's trace by its id: in flight, or finished within the last few minutes. */
export function findTrace(id: string): RequestTrace | undefined {
  const entry = finished().get(id);
  if (entry && Date.now() - entry.at < KEEP_FINISHED_MS) return entry.trace;
  return open().get(id);
}

/** Next.js' own files (/_next/static, /_next/image): served without app code, so never traced. */
const UNTRACED_PREFIX = "/_next/";

/** Whether `traceRequest` has anything to record for this path. */
export function isTraced(url: string | undefined): boolean {
  return !(url ?? "/").startsWith(UNTRACED_PREFIX);
}

/** Serves `request` inside a trace of its own; the API's answers get a Server-Timing header of its commands. */
export function traceRequest(request: IncomingMessage, response: ServerResponse, handle: () => Promise<void>): void {
  const id = randomBytes(16).toString("base64url");
  const [pathname] = (request.url ?? "/").split("?");
  const sent = request.headers[TRACE_HEADER];
  const continues = typeof sent === "string" ? open().get(sent) : undefined;
  const trace = newTrace(id, `${request.method ?? "GET"} ${pathname}`, continues);
  // The only id a request passes on is its own; only a POST (a server action) has
  // a follow-up fetch to pass it to, so other requests carry no such header at all.
  if (request.method === "POST") request.headers[TRACE_HEADER] = id;
  else if (sent !== undefined) delete request.headers[TRACE_HEADER];
  if (open().size < MAX_OPEN_TRACES) {
    open().set(id, trace);
    response.once("close", () => {
      open().delete(id);
      // Pages only: an API answer carries its trace in Server-Timing, and a live stream has no panel.
      if (!pathname.startsWith("/api/")) keepFinished(trace);
    });
  }
  if (pathname.startsWith("/api/")) addServerTiming(response, trace);
  runTraced(trace, () => void handle());
}

/** Sets the header just before the head is written: a route handler has done its Redis work by then. */
function addServerTiming(response: ServerResponse, trace: RequestTrace): void {
  const writeHead = response.writeHead;
  response.writeHead = ((...args: Parameters<typeof writeHead>) => {
    if (!response.headersSent && trace.commands.length > 0) response.setHeader("server-timing", serverTiming(trace.commands));
    return writeHead.apply(response, args);
  }) as typeof writeHead;
}
