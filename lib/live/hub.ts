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
// lives. A browser opens one per tab; a client that opens hundreds (one stolen or
// scripted session, many sessions of one account, or many accounts from one
// address) would only be using up the instance. So an instance serves at most
// STREAM_LIMITS at once per session, per user and per client address (an IPv6
// client by its prefix, as the rate limits count it); more get a 429.

export const STREAM_LIMITS = { session: 10, user: 50, address: 200 } as const;
export type StreamHolder = { sessionId: string; userId: number; address: string };
export type StreamSlot = { release: () => void } | { refused: keyof typeof STREAM_LIMITS };

/** What a listener hears: a message of its user's channel, or "lost" once a dropped subscription is back. */
export type HubSignal = LiveMessage | { type: "lost" };
export type Listener = (signal: HubSignal) => void;

export type Hub = ReturnType<typeof createHub>;

export function createHub(client: RedisClient, log: (event: string, fields: Record<string, string>) => void = () => undefined) {
  const listeners = new Map<string, Set<Listener>>();
  /** Open streams by holder: "session:<id>", "user:<id>", "address:<bucket>". */
  const openStreams = new Map<string, number>();
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

  /** The subscription of each channel in place (or failed), for listeners that must not start before it. */
  const subscribed = new Map<string, Promise<void>>();

  /**
   * Starts listening on a channel; the function returned stops (once, however
   * often it is called). `ready` settles once the channel's subscription is in
   * place: a message published before that is not heard, so a stream checks its
   * session again after it (lib/live/event-stream.ts). It rejects when the
   * subscription failed.
   */
  function listen(channel: string, listener: Listener): (() => void) & { ready: Promise<void> } {
    let set = listeners.get(channel);
    if (!set) {
      set = new Set();
      listeners.set(channel, set);
      const subscription = subscribe(channel).then(() => undefined);
      subscription.catch(failed("subscribe"));
      subscribed.set(channel, subscription);
    }
    set.add(listener);
    const ready = subscribed.get(channel) ?? Promise.resolve();
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      const current = listeners.get(channel);
      if (!current) return;
      current.delete(listener);
      if (current.size > 0) return;
      listeners.delete(channel);
      subscribed.delete(channel);
      unsubscribe(channel).catch(failed("unsubscribe"));
    };
    return Object.assign(stop, { ready });
  }

  let streams = 0;

  /** Channels subscribed, listeners waiting on them, and open streams (the health check shows them). */
  function stats(): { channels: number; listeners: number; streams: number } {
    let count = 0;
    for (const set of listeners.values()) count += set.size;
    return { channels: listeners.size, listeners: count, streams };
  }

  /** A slot for one more stream of this holder, with the function that gives it back (once); refused when a limit is reached. */
  function takeStreamSlot(holder: StreamHolder): StreamSlot {
    const keys = { session: `session:${holder.sessionId}`, user: `user:${holder.userId}`, address: `address:${holder.address}` };
    for (const limit of ["session", "user", "address"] as const) if ((openStreams.get(keys[limit]) ?? 0) >= STREAM_LIMITS[limit]) return { refused: limit };
    for (const key of Object.values(keys)) openStreams.set(key, (openStreams.get(key) ?? 0) + 1);
    streams++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        streams--;
        for (const key of Object.values(keys)) {
          const left = (openStreams.get(key) ?? 1) - 1;
          if (left > 0) openStreams.set(key, left);
          else openStreams.delete(key);
        }
      },
    };
  }

  return { listen, stats, takeStreamSlot, client };
}
