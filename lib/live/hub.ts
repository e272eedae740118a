import type { RedisClient } from "../redis/client";
import type { LiveMessage } from "../session";
import { onSubscriptionRestored } from "./subscription-gaps";

// One subscriber connection per app instance, shared by every open tab it serves:
// a channel is subscribed while at least one tab of its user listens, and
// unsubscribed when the last one leaves. A thousand tabs cost one connection (on a
// Cluster, one per master: shard channels are served by the node that owns them).
// The composition root builds one hub per process (lib/root/build.ts).
//
// Each open stream holds a connection and a listener for as long as the tab
// lives. A browser opens one per tab; a client that opens hundreds with one
// stolen or scripted session would only be using up the instance. So each
// session may hold MAX_STREAMS_PER_SESSION at once on an instance; more get a 429.

export const MAX_STREAMS_PER_SESSION = 10;

/** What a listener hears: a message of its user's channel, or "lost" once a dropped subscription is back. */
export type HubSignal = LiveMessage | { type: "lost" };
export type Listener = (signal: HubSignal) => void;

export type Hub = ReturnType<typeof createHub>;

export function createHub(client: RedisClient, log: (event: string, fields: Record<string, string>) => void = () => undefined) {
  const listeners = new Map<string, Set<Listener>>();
  const streamsPerSession = new Map<string, number>();
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
  const failed = (what: string) => (error: unknown) => log("live_subscribe_failed", { what, message: error instanceof Error ? error.message : String(error) });

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

  /** A slot for one more stream of this session, and the function that gives it back (once); null when the session holds the maximum. */
  function takeStreamSlot(sessionId: string): (() => void) | null {
    const held = streamsPerSession.get(sessionId) ?? 0;
    if (held >= MAX_STREAMS_PER_SESSION) return null;
    streamsPerSession.set(sessionId, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (streamsPerSession.get(sessionId) ?? 1) - 1;
      if (left > 0) streamsPerSession.set(sessionId, left);
      else streamsPerSession.delete(sessionId);
    };
  }

  return { listen, stats, takeStreamSlot, client };
}
