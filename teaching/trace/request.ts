import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { shortenKey, commandLabel } from "./rows";
import { stepOf } from "./steps";
import type { RequestTrace, TraceStore, TracedCommand } from "./store";

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

/** Next.js' own files (/_next/static, /_next/image): served without app code, so never traced. */
const UNTRACED_PREFIX = "/_next/";

/** Whether `traceRequest` has anything to record for this path. */
export function isTraced(url: string | undefined): boolean {
  return !(url ?? "/").startsWith(UNTRACED_PREFIX);
}

/** Serves `request` inside a trace of its own; the API's answers get a Server-Timing header of its commands. */
export function traceRequest(store: TraceStore, request: IncomingMessage, response: ServerResponse, handle: () => Promise<void>): void {
  const id = randomBytes(16).toString("base64url");
  const [pathname] = (request.url ?? "/").split("?");
  const sent = request.headers[TRACE_HEADER];
  const continues = typeof sent === "string" ? store.inFlight(sent) : undefined;
  const trace: RequestTrace = { id, request: `${request.method ?? "GET"} ${pathname}`, commands: [], continues };
  // The only id a request passes on is its own; only a POST (a server action) has
  // a follow-up fetch to pass it to, so other requests carry no such header at all.
  if (request.method === "POST") request.headers[TRACE_HEADER] = id;
  else if (sent !== undefined) delete request.headers[TRACE_HEADER];
  // Pages only are kept: an API answer carries its trace in Server-Timing, and a live stream has no panel.
  if (store.opened(trace)) response.once("close", () => store.closed(trace, !pathname.startsWith("/api/")));
  if (pathname.startsWith("/api/")) addServerTiming(response, trace);
  store.runTraced(trace, () => void handle());
}

/** Sets the header just before the head is written: a route handler has done its Redis work by then. */
function addServerTiming(response: ServerResponse, trace: RequestTrace): void {
  const writeHead = response.writeHead;
  response.writeHead = ((...args: Parameters<typeof writeHead>) => {
    if (!response.headersSent && trace.commands.length > 0) response.setHeader("server-timing", serverTiming(trace.commands));
    return writeHead.apply(response, args);
  }) as typeof writeHead;
}

// The API's trace: a Server-Timing header, one `redis` entry per command, which
// browser dev tools show in the request's timing. Header values are Latin-1 and
// `desc` is a quoted string: the ellipsis of shortened keys becomes "...".

export function serverTiming(commands: TracedCommand[]): string {
  return commands.map((entry) => `redis;dur=${((entry.durationUs ?? 0) / 1000).toFixed(3)};desc=${quoted(describe(entry))}`).join(", ");
}

function describe(entry: TracedCommand): string {
  const keys = entry.keys.map(shortenKey).join(" ");
  return `${stepOf(entry)}: ${commandLabel(entry)}${keys ? ` ${keys}` : ""}`.replaceAll("…", "...");
}

function quoted(text: string): string {
  return `"${text.replace(/[^\x20-\x7e]/g, "?").replace(/["\\]/g, "\\$&")}"`;
}
