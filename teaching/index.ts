import type { IncomingMessage, ServerResponse } from "node:http";
import type { Config } from "../lib/runtime/config";
import type { Runtime } from "../lib/runtime";
import type { CommandObserver } from "../lib/redis/client";
import { traceObserver } from "./trace/observer";
import { isTraced, traceRequest } from "./trace/request";
import { createTraceStore, type TraceStore } from "./trace/store";

// THE TEACHING LAYER: "Redis behind this page" (the Redis trace), the key
// inspector of the devices page, and /how-it-works. It shows the pattern at work
// and is not part of it: it attaches at start through the one hook the core
// offers (an observer on the Redis client factory, registered by server.ts), keeps
// its state in the runtime, and mounts its pages where the app leaves room for
// them (app/@trace, app/(teaching), and the lines marked "teaching" in
// app/layout.tsx and app/(signed-in)/devices/page.tsx). Deleting it: see the
// README ("Copying the pattern"). Nothing in lib/ imports it.

export type Teaching = {
  /** The Redis trace of this process's requests. */
  traces: TraceStore;
  /** Give to the composition root: it watches the app's Redis clients. */
  observers: CommandObserver[];
  /** server.ts serves each request through this (Next.js' own files go straight through). */
  serve: (request: IncomingMessage, response: ServerResponse, handle: () => Promise<void>) => void;
};

/** The teaching layer of a process whose SHOW_REDIS_TRACE is on; undefined when it is off (nothing is hooked). */
export function attachTeaching(config: Config): Teaching | undefined {
  if (!config.showRedisTrace) return undefined;
  const traces = createTraceStore();
  return {
    traces,
    observers: [traceObserver(traces)],
    serve: (request, response, handle) => (isTraced(request.url) ? traceRequest(traces, request, response, handle) : void handle()),
  };
}

/** The teaching layer as the runtime keeps it (under extensions.teaching), or undefined when it is off. */
export function teachingOf(rt: Runtime): Teaching | undefined {
  return rt.extensions.teaching as Teaching | undefined;
}
