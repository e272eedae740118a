import { connection } from "next/server";
import { runtime } from "@/lib/runtime";
import { teachingOf } from "@/teaching";
import { RedisTracePanel } from "@/teaching/trace/panel";

// "Redis behind this page" (the teaching layer) as a parallel route of the root
// layout matching every path: a layout is not rendered again when the browser
// navigates between its pages, this slot is, so the panel always names the
// request that made the page. It renders only the trace's id; the panel fetches
// the rows when opened.
export default async function RedisTraceSlot() {
  await connection(); // per request, never prerendered: the trace is this request's
  const trace = teachingOf(runtime())?.traces.currentTrace();
  return trace ? <RedisTracePanel traceId={trace.id} /> : null;
}
