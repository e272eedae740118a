import type { RedisClient } from "../redis/client";

// Pub/sub keeps nothing: a message published while a subscription is down is lost
// for good. This reports when such a gap has closed again, so every open tab can
// catch up once, against a Redis that serves again (reconnecting tabs into an
// outage would only show them the outage page).
//   - A single Redis, or one found through Sentinel: the subscriber connection
//     closes ("close"); ioredis subscribes again by itself when it is back ("ready").
//   - A Cluster: shard channels live on one subscriber connection per master,
//     which the cluster client replaces by itself after a failover, without
//     closing. A removed subscriber ("-subscriber") opens a gap; each replacement
//     reports "subscribersReady", many times a second while the old master is
//     down and unreachable, so the gap counts as closed once SETTLE_MS pass after
//     one without another removal (the promoted replica's subscriber is in place).

const SETTLE_MS = 1000;

/** Calls `restored` each time a gap in the client's subscriptions has closed. */
export function onSubscriptionRestored(client: RedisClient, restored: () => void): void {
  let connected = false;
  let closed = false;
  // "close" comes again after each failed reconnection attempt: the gap is open from the first one on.
  client.on("close", () => {
    if (connected) closed = true;
    connected = false;
  });
  client.on("ready", () => {
    connected = true;
    if (!closed) return;
    closed = false;
    restored();
  });
  if (!client.isCluster) return;

  let shardGap = false;
  let settle: ReturnType<typeof setTimeout> | undefined;
  client.on("-subscriber", () => {
    shardGap = true;
    clearTimeout(settle);
  });
  client.on("subscribersReady", () => {
    if (!shardGap) return;
    clearTimeout(settle);
    settle = setTimeout(() => {
      shardGap = false;
      restored();
    }, SETTLE_MS);
    settle.unref();
  });
}
