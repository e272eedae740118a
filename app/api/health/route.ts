import { json } from "@/lib/web/api";
import { checkHealth } from "@/lib/web/health";

/** No authentication: 200 when Redis and the users database answer, 503 naming what is down. */
export async function GET(): Promise<Response> {
  const health = await checkHealth();
  const ok = health.redis === "ok" && health.database === "ok";
  return json(health, ok ? 200 : 503);
}
