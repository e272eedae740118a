import type { HubSignal, Hub } from "./hub";

// The Server-Sent Events stream of one open tab: its user's channel, passed on
// as named events (docs/live.md lists them), and ended as soon as the tab's own
// session ends. The ending is published on the channel; but a revocation that
// came before the subscription was in place, or whose publish failed, is never
// heard. So the session is asked once more (without sliding it) as soon as the
// subscription is in place, then every `recheckMs` (SESSION_LAST_SEEN_INTERVAL)
// and whenever its known expiry has passed: a revoked session's tab hears no more
// of its user's events after that, whatever pub/sub did.

export const HEARTBEAT_MS = 15_000;
/** How long a browser waits before reconnecting a dropped stream (EventSource `retry`). */
export const RECONNECT_MS = 2_000;

export type Expiry = { expiresAt: number; now: number };

export type StreamOptions = {
  hub: Hub;
  channel: string;
  sessionId: string;
  /** The session's expiry as the check that opened the stream saw it (Redis clock). */
  expiry: Expiry;
  /** The session's expiry now, without sliding it; null once it has ended. */
  peek: () => Promise<Expiry | null>;
  /** The request's signal: aborted when the browser goes away. */
  signal: AbortSignal;
  heartbeatMs?: number;
  /** How often the session is asked again whatever happened on the channel. */
  recheckMs: number;
  /** Called once when the stream ends, however it ends. */
  onClose?: () => void;
};

const encoder = new TextEncoder();

function frame(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function sessionEventStream(options: StreamOptions): ReadableStream<Uint8Array> {
  const { hub, channel, sessionId, peek, signal } = options;
  let stop = (): void => undefined;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      let expiry = options.expiry;
      let offset = expiry.now - Date.now(); // Redis clock minus ours

      const close = (): void => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unlisten();
        signal.removeEventListener("abort", close);
        options.onClose?.();
        try {
          controller.close();
        } catch {
          // already closed by the browser going away
        }
      };
      stop = close;
      const send = (chunk: Uint8Array): void => {
        if (!open) return;
        try {
          controller.enqueue(chunk);
        } catch {
          close();
        }
      };
      const ended = (reason: string): void => {
        send(frame("ended", { sessionIds: [sessionId], reason }));
        close();
      };

      // Nothing of the channel is passed on before the session was checked once the
      // subscription is in place: until then, messages wait here.
      let waiting: HubSignal[] | undefined = [];
      const unlisten = hub.listen(channel, (signalled: HubSignal) => {
        if (signalled.type === "lost") return close(); // the browser reconnects and catches up
        if (signalled.type === "ended" && signalled.sessionIds.includes(sessionId)) return ended(signalled.reason);
        if (waiting) waiting.push(signalled);
        else send(frame(signalled.type, signalled));
      });

      let checkedAt = Date.now();
      /** Is the session still there? (No slide.) Gone: "ended"; Redis unavailable: asked again later. */
      const recheck = (): Promise<void> => {
        checkedAt = Date.now();
        return peek().then(
          (current) => {
            if (!current) return ended("expired"); // the sign-in page reads the real reason from its marker
            expiry = current;
            offset = current.now - Date.now();
          },
          () => undefined,
        );
      };
      unlisten.ready.then(
        () =>
          recheck().then(() => {
            const held = waiting ?? [];
            waiting = undefined;
            for (const signalled of held) if (signalled.type !== "lost") send(frame(signalled.type, signalled));
          }),
        () => close(), // no subscription: the browser reconnects
      );

      const heartbeat = setInterval(() => {
        send(encoder.encode(": heartbeat\n\n"));
        // Past the expiry known here (slid by another tab, or over), or not asked for a while.
        if (Date.now() + offset >= expiry.expiresAt || Date.now() - checkedAt >= options.recheckMs) void recheck();
      }, Math.min(options.heartbeatMs ?? HEARTBEAT_MS, options.recheckMs));

      signal.addEventListener("abort", close);
      if (signal.aborted) return close();
      send(encoder.encode(`retry: ${RECONNECT_MS}\n\n`));
      send(frame("hello", { sessionId, expiresAt: expiry.expiresAt, now: expiry.now }));
    },
    cancel() {
      stop();
    },
  });
}
