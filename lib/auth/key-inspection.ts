import { config } from "../config";
import { redis } from "../redis";
import type { SessionOwner } from "../session/keys";
import { inspectUserKeys, type InspectedUserKeys } from "../session/inspect";
import { readyTimeoutMs } from "../runtime";

// The devices page's key inspector is part of showing the Redis behind the app
// (SHOW_REDIS_TRACE): off, the page reads nothing more than its listing.

export async function inspectDeviceKeys(owner: SessionOwner, sessionIds: string[]): Promise<InspectedUserKeys | null> {
  if (!config().showRedisTrace) return null;
  return inspectUserKeys(redis(), owner, sessionIds, readyTimeoutMs());
}
