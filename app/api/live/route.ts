import { jsonError, withSession } from "@/lib/web/api";
import { readCredential } from "@/lib/web/credential";
import { runtime } from "@/lib/runtime";
import { sessionEventStream } from "@/lib/live/event-stream";
import { STREAM_LIMITS } from "@/lib/live/hub";
import { addressBucket } from "@/lib/limits/login";
import { clientInfoFrom } from "@/lib/web/client-address";
import { userChannel } from "@/lib/session";

// GET /api/live: the Server-Sent Events stream every signed-in page keeps open
// (app/components/live/). Opening it is one session check, like any request. An
// instance serves at most STREAM_LIMITS streams per session, per user and per
// client address at once (lib/live/hub.ts); more get a 429.

export const dynamic = "force-dynamic";

export const GET = withSession(
  async ({ user, session }, request) => {
    const { sessions, hub, config, stampSecret } = runtime();
    const address = addressBucket(clientInfoFrom(stampSecret, request.headers).ip, config.loginLimits.ipv6PrefixBits);
    const slot = hub.takeStreamSlot({ sessionId: session.id, userId: user.id, address });
    if ("refused" in slot) return jsonError(429, `at most ${STREAM_LIMITS[slot.refused]} live streams per ${slot.refused}`, { "retry-after": "5" });
    const token = readCredential(request.headers, "bearer-or-cookie")?.token ?? "";
    const body = sessionEventStream({
      hub,
      channel: userChannel(user),
      sessionId: session.id,
      expiry: { expiresAt: session.expiresAt, now: session.checkedAt },
      // The stream's request was checked, short-lived cookie included; the stream outlives that cookie.
      peek: () => sessions.peekExpiry(token, "checked"),
      signal: request.signal,
      recheckMs: config.lastSeenIntervalMs,
      onClose: slot.release,
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        // no-transform: no compression layer may hold events back to fill a buffer.
        "cache-control": "no-store, no-transform",
        "x-accel-buffering": "no",
      },
    });
  },
  { mutates: false },
);
