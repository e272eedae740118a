import { unavailable } from "@/lib/web/api";
import { handleRefresh } from "@/lib/web/device-binding";
import { unlessOutage } from "@/lib/web/outage";

/** DBSC refresh: a challenge, then the device's signed answer earns a new short-lived cookie (lib/web/device-binding.ts). */
export async function POST(request: Request): Promise<Response> {
  return unlessOutage(() => handleRefresh(request), unavailable);
}
