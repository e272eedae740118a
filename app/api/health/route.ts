import { json } from "@/lib/api/responses";
import { checkHealth } from "@/lib/health";

/** No authentication: 200 when Redis and the users database answer, 503 naming what is down. */
export async function GET(): Promise<Response> {
  const health = await checkHealth();
  const ok = health.redis === "ok" && health.database === "ok";
  return json(health, ok ? 200 : 503);
}
