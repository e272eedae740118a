import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTraced, traceRequest } from "../../teaching/trace/request";
import { createTraceStore, type RequestTrace } from "../../teaching/trace/store";

const traces = createTraceStore();
const { currentTrace, findTrace } = traces;

// The front door's trace (teaching/trace/request.ts) on a real HTTP server: each
// request gets a trace of its own, passes on only its own id, and continues
// another request's trace only by an id it was given while that request is open.

const seen: { trace?: RequestTrace; header?: string }[] = [];
/** Requests to /hold stay open until released, like a server action whose redirect target is being fetched. */
const held: (() => void)[] = [];
let server: Server;
let base: string;

function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  seen.push({ trace: currentTrace(), header: request.headers["x-redis-trace"] as string | undefined });
  if (request.url === "/hold") {
    held.push(() => response.end("released"));
    return Promise.resolve();
  }
  response.end("ok");
  return Promise.resolve();
}

beforeAll(async () => {
  server = createServer((request, response) => traceRequest(traces, request, response, () => handle(request, response)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function get(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<{ trace?: RequestTrace; header?: string }> {
  const before = seen.length;
  const response = await fetch(`${base}${path}`, { method, headers });
  await response.text();
  return seen[before];
}

describe("the front door's trace of a request", () => {
  it("opens one trace per request; a POST passes on its own id only, never the one a client sent", async () => {
    const forged = "A".repeat(22);
    const action = await get("/page", { "x-redis-trace": forged }, "POST");
    const view = await get("/page", { "x-redis-trace": forged });
    expect(action.trace?.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(action.header).toBe(action.trace?.id);
    expect(action.trace?.continues, "an id no open request has continues nothing").toBeUndefined();
    expect(view.header, "a GET has no follow-up fetch: no id passed on, and the client's is dropped").toBeUndefined();
    expect(view.trace?.id).not.toBe(action.trace?.id);
  });

  it("continues the trace of a request still open, by its id (a server action's redirect fetch)", async () => {
    const before = seen.length;
    const holding = fetch(`${base}/hold`).then((response) => response.text());
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const action = seen[before].trace;
    const page = await get("/target", { "x-redis-trace": action?.id ?? "" });
    expect(page.trace?.continues).toBe(action);
    held.shift()?.();
    await holding;
    const late = await get("/target", { "x-redis-trace": action?.id ?? "" });
    expect(late.trace?.continues, "once the action has answered, its id continues nothing").toBeUndefined();
  });

  it("keeps a finished page's trace for its panel, and not an API answer's", async () => {
    const page = await get("/devices");
    const api = await get("/api/me");
    expect(findTrace(page.trace?.id ?? "")).toBe(page.trace);
    expect(findTrace(api.trace?.id ?? "")).toBeUndefined();
  });

  it("leaves Next.js' own files untraced", () => {
    expect(isTraced("/_next/static/chunks/app.js")).toBe(false);
    expect(isTraced("/_next/image?url=x")).toBe(false);
    expect(isTraced("/devices")).toBe(true);
    expect(isTraced("/")).toBe(true);
  });
});
