import { jsonError, withSession } from "@/lib/web/api";
import { readCredential } from "@/lib/web/credential";
import { runtime } from "@/lib/runtime";
import { sessionEventStream } from "@/lib/live/event-stream";
import { MAX_STREAMS_PER_SESSION } from "@/lib/live/hub";
import { userChannel } from "@/lib/session";

// GET /api/live: the Server-Sent Events stream every signed-in page keeps open
// (app/components/live/). Opening it is one session check, like any request.

export const dynamic = "force-dynamic";

export const GET = withSession(
  async ({ user, session }, request) => {
    const { sessions, hub } = runtime();
    const release = hub.takeStreamSlot(session.id);
    if (!release) return jsonError(429, `at most ${MAX_STREAMS_PER_SESSION} live streams per session`, { "retry-after": "5" });
    const token = readCredential(request.headers, "bearer-or-cookie")?.token ?? "";
    const body = sessionEventStream({
      hub,
      channel: userChannel(user),
      sessionId: session.id,
      expiry: { expiresAt: session.expiresAt, now: session.checkedAt },
      peek: () => sessions.peekExpiry(token),
      signal: request.signal,
      onClose: release,
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
