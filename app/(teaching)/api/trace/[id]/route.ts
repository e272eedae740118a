import { runtime } from "@/lib/runtime";
import { json, jsonError } from "@/lib/web/api";
import { teachingOf } from "@/teaching";
import { traceGroups } from "@/teaching/trace/rows";

/**
 * GET /api/trace/<id>: the rows of "Redis behind this page" for the page that
 * carries this id, fetched when its reader opens the panel. The id is 128 random
 * bits known only to that page; the rows hold command names and shortened keys,
 * never a value. 404 when the trace is off, unknown, or older than 10 minutes.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const trace = teachingOf(runtime())?.traces.findTrace((await params).id);
  return trace ? json({ groups: traceGroups(trace) }) : jsonError(404, "trace not found");
}
