import { AsyncLocalStorage } from "node:async_hooks";

// The Redis commands of one HTTP request, collected through async context. The
// front door (server.ts) opens a trace per request; the proxy, the page or route
// handler and a server action all run inside that request's async context, so a
// hook on the client (hook.ts) finds the trace without being handed it. Next.js
// bundles the proxy, the pages and the route handlers separately: the storage
// lives on globalThis so that all of them, and server.ts, share the one instance.

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

const globalForTrace = globalThis as typeof globalThis & { redisTraceStorage?: AsyncLocalStorage<RequestTrace> };

function storage(): AsyncLocalStorage<RequestTrace> {
  globalForTrace.redisTraceStorage ??= new AsyncLocalStorage<RequestTrace>();
  return globalForTrace.redisTraceStorage;
}

export function newTrace(id: string, request: string, continues?: RequestTrace): RequestTrace {
  return { id, request, commands: [], continues };
}

/** Runs `work` (and everything it starts) with `trace` as the current request's trace. */
export function runTraced<T>(trace: RequestTrace, work: () => T): T {
  return storage().run(trace, work);
}

/** The trace of the request being served, or undefined (tracing off, or work outside any request). */
export function currentTrace(): RequestTrace | undefined {
  return globalForTrace.redisTraceStorage?.getStore();
}

/** Adds a command to the trace; call the returned function when its reply (or error) has arrived. */
export function recordCommand(trace: RequestTrace, command: Omit<TracedCommand, "durationUs">): (durationUs: number, failed: boolean) => void {
  const entry: TracedCommand = { ...command };
  trace.commands.push(entry);
  return (durationUs, failed) => {
    entry.durationUs = durationUs;
    if (failed) entry.failed = true;
  };
}
