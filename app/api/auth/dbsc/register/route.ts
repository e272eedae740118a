import { unavailable } from "@/lib/web/api";
import { handleRegistration } from "@/lib/web/device-binding";
import { unlessOutage } from "@/lib/web/outage";

/** DBSC registration: the browser's signed answer to a sign-in's challenge binds the session to its key (lib/web/device-binding.ts). */
export async function POST(request: Request): Promise<Response> {
  return unlessOutage(() => handleRegistration(request), unavailable);
}
