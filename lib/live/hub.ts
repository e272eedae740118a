import { config } from "../config";
import { logEvent } from "../log";
import { createRedisClient, type RedisClient } from "../redis";
import type { LiveMessage } from "../session/journal";
import { onSubscriptionRestored } from "./subscription-gaps";

// One subscriber connection per app instance, shared by every open tab it serves:
// a channel is subscribed while at least one tab of its user listens, and
// unsubscribed when the last one leaves. A thousand tabs cost one connection (on a
// Cluster, one per master: shard channels are served by the node that owns them).

/** What a listener hears: a message of its user's channel, or "lost" once a dropped subscription is back. */
export type HubSignal = LiveMessage | { type: "lost" };
export type Listener = (signal: HubSignal) => void;

export type Hub = ReturnType<typeof createHub>;

export function createHub(client: RedisClient) {
  const listeners = new Map<string, Set<Listener>>();
  const sharded = client.isCluster;

  function deliver(channel: string, payload: string): void {
    const set = listeners.get(channel);
    if (!set) return;
    let message: LiveMessage;
    try {
      message = JSON.parse(payload) as LiveMessage;
    } catch {
      return; // not ours: only the journal publishes here
    }
    for (const listener of [...set]) listener(message);
  }
  client.on(sharded ? "smessage" : "message", deliver);

  // Messages published while a subscription was down are lost for good (pub/sub
  // keeps nothing). Once it is back, every listener is told, so its tab can catch up by asking once.
  onSubscriptionRestored(client, () => {
    for (const set of listeners.values()) for (const listener of [...set]) listener({ type: "lost" });
  });

  const subscribe = (channel: string) => (sharded ? client.ssubscribe(channel) : client.subscribe(channel));
  const unsubscribe = (channel: string) => (sharded ? client.sunsubscribe(channel) : client.unsubscribe(channel));
  const failed = (what: string) => (error: unknown) => logEvent("live_subscribe_failed", { what, message: error instanceof Error ? error.message : String(error) });

  /** Starts listening on a channel; the function returned stops (once, however often it is called). */
  function listen(channel: string, listener: Listener): () => void {
    let set = listeners.get(channel);
    if (!set) {
      set = new Set();
      listeners.set(channel, set);
      subscribe(channel).catch(failed("subscribe"));
    }
    set.add(listener);
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      const current = listeners.get(channel);
      if (!current) return;
      current.delete(listener);
      if (current.size > 0) return;
      listeners.delete(channel);
      unsubscribe(channel).catch(failed("unsubscribe"));
    };
  }

  /** How many channels are subscribed and how many listeners wait on them (the health check shows it). */
  function stats(): { channels: number; listeners: number } {
    let count = 0;
    for (const set of listeners.values()) count += set.size;
    return { channels: listeners.size, listeners: count };
  }

  return { listen, stats, client };
}

const globalForHub = globalThis as typeof globalThis & { appLiveHub?: Hub };

/** The process-wide hub (cached on globalThis: route handlers are bundled apart but share it). */
export function liveHub(): Hub {
  globalForHub.appLiveHub ??= createHub(createRedisClient(config().redis, config().redisCommandTimeoutMs, "subscriber"));
  return globalForHub.appLiveHub;
}

/** The hub's numbers, without creating a subscriber connection where none is needed yet. */
export function liveStats(): { channels: number; listeners: number } {
  return globalForHub.appLiveHub?.stats() ?? { channels: 0, listeners: 0 };
}
