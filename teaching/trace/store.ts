import { AsyncLocalStorage } from "node:async_hooks";

// The Redis commands of each HTTP request, collected through async context. The
// front door (server.ts) opens a trace per request; the proxy, the page or route
// handler and a server action all run inside that request's async context, so the
// observer on the client (observer.ts) finds the trace without being handed it.
// One store per process, made by attachTeaching (teaching/index.ts) and kept in
// the runtime, so the proxy, the pages, the route handlers (bundled apart by
// Next.js) and server.ts all find the same one.

/** One command as the app sent it: names and keys only, never an argument value. */
export type TracedCommand = {
  /** Upper case, as Redis names it ("EVALSHA", "HGETALL"). */
  command: string;
  /** The keys the command declares, as sent (shortened only when shown). */
  keys: string[];
  /** For EVALSHA/EVAL of a script the app defined: its name. */
  script?: string;
  /** Measured around the client call: from the call to the reply. Undefined while in flight. */
  durationUs?: number;
  failed?: boolean;
};

export type RequestTrace = {
  id: string;
  /** "GET /devices": what the browser asked for (the path without its query). */
  request: string;
  commands: TracedCommand[];
  /** The request this one continues: a server action whose redirect Next.js renders by fetching the target page. */
  continues?: RequestTrace;
};

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

export type TraceStore = ReturnType<typeof createTraceStore>;

export function createTraceStore() {
  const storage = new AsyncLocalStorage<RequestTrace>();
  const open = new Map<string, RequestTrace>();
  const finished = new Map<string, { trace: RequestTrace; at: number }>();

  /** Runs `work` (and everything it starts) with `trace` as the current request's trace. */
  function runTraced<T>(trace: RequestTrace, work: () => T): T {
    return storage.run(trace, work);
  }

  /** The trace of the request being served, or undefined (work outside any request). */
  function currentTrace(): RequestTrace | undefined {
    return storage.getStore();
  }

  /** Adds a command to the trace; call the returned function when its reply (or error) has arrived. */
  function recordCommand(trace: RequestTrace, command: Omit<TracedCommand, "durationUs">): (durationUs: number, failed: boolean) => void {
    const entry: TracedCommand = { ...command };
    trace.commands.push(entry);
    return (durationUs, failed) => {
      entry.durationUs = durationUs;
      if (failed) entry.failed = true;
    };
  }

  /** A request in flight, continuable by a follow-up fetch that names its id; false when too many are. */
  function opened(trace: RequestTrace): boolean {
    if (open.size >= MAX_OPEN_TRACES) return false;
    open.set(trace.id, trace);
    return true;
  }

  function inFlight(id: string): RequestTrace | undefined {
    return open.get(id);
  }

  /** The request is done; a page's trace is kept for its panel. */
  function closed(trace: RequestTrace, keep: boolean): void {
    open.delete(trace.id);
    if (!keep) return;
    const now = Date.now();
    finished.set(trace.id, { trace, at: now });
    // Insertion order is age order: drop from the front what is too old or too many.
    for (const [id, entry] of finished) {
      if (finished.size <= MAX_FINISHED_TRACES && now - entry.at < KEEP_FINISHED_MS) break;
      finished.delete(id);
    }
  }

  /** A request's trace by its id: in flight, or finished within the last few minutes. */
  function findTrace(id: string): RequestTrace | undefined {
    const entry = finished.get(id);
    if (entry && Date.now() - entry.at < KEEP_FINISHED_MS) return entry.trace;
    return open.get(id);
  }

  return { runTraced, currentTrace, recordCommand, opened, inFlight, closed, findTrace };
}
