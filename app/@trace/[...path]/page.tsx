import { connection } from "next/server";
import { RedisTracePanel } from "@/app/components/redis-trace-panel";
import { config } from "@/lib/config";
import { currentTrace } from "@/lib/trace/storage";

// "Redis behind this page" as a parallel route of the root layout matching every
// path: a layout is not rendered again when the browser navigates between its
// pages, this slot is, so the panel always names the request that made the page.
// It renders only the trace's id; the panel fetches the rows when opened.
export default async function RedisTraceSlot() {
  await connection(); // per request, never prerendered: the trace is this request's
  const trace = config().showRedisTrace ? currentTrace() : undefined;
  return trace ? <RedisTracePanel traceId={trace.id} /> : null;
}
