import type { HubSignal, Hub } from "./hub";

// The Server-Sent Events stream of one open tab: its user's channel, passed on
// as named events (the README's "Live updates" lists them), and ended as soon as
// the tab's own session ends. Nothing here asks Redis per message or per
// heartbeat; only when the session's known expiry has passed is it asked once
// (without sliding it) whether the session is still there.

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

      const unlisten = hub.listen(channel, (signalled: HubSignal) => {
        if (signalled.type === "lost") return close(); // the browser reconnects and catches up
        if (signalled.type === "ended" && signalled.sessionIds.includes(sessionId)) return ended(signalled.reason);
        send(frame(signalled.type, signalled));
      });

      const heartbeat = setInterval(() => {
        send(encoder.encode(": heartbeat\n\n"));
        if (Date.now() + offset < expiry.expiresAt) return;
        // Past the expiry known here: slid by another tab, or over (Redis expired the key by itself).
        peek().then(
          (current) => {
            if (!current) return ended("expired");
            expiry = current;
            offset = current.now - Date.now();
          },
          () => undefined, // Redis unavailable: asked again at the next heartbeat
        );
      }, options.heartbeatMs ?? HEARTBEAT_MS);

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
