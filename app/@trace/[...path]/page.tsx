import { connection } from "next/server";
import { RedisTracePanel } from "@/app/components/redis-trace-panel";
import { config } from "@/lib/config";

// "Redis behind this page" as a parallel route of the root layout matching every
// path: a layout is not rendered again when the browser navigates between its
// pages, this slot is, so the panel always shows the request that made the page.
export default async function RedisTraceSlot() {
  await connection(); // per request, never prerendered: the trace is this request's
  return config().showRedisTrace ? <RedisTracePanel /> : null;
}
