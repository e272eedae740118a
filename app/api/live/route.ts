import { jsonError } from "@/lib/api/responses";
import { withSession } from "@/lib/api/with-session";
import { readCredential } from "@/lib/auth/credential";
import { runtime } from "@/lib/runtime";
import { sessionEventStream } from "@/lib/live/event-stream";
import { liveHub } from "@/lib/live/hub";
import { MAX_STREAMS_PER_SESSION, takeStreamSlot } from "@/lib/live/stream-quota";
import { userChannel } from "@/lib/session/keys";

// GET /api/live: the Server-Sent Events stream every signed-in page keeps open
// (app/components/live/). Opening it is one session check, like any request.

export const dynamic = "force-dynamic";

export const GET = withSession(
  async ({ user, session }, request) => {
    const { sessions } = await runtime();
    const release = takeStreamSlot(session.id);
    if (!release) return jsonError(429, `at most ${MAX_STREAMS_PER_SESSION} live streams per session`, { "retry-after": "5" });
    const token = readCredential(request.headers, "bearer-or-cookie")?.token ?? "";
    const body = sessionEventStream({
      hub: liveHub(),
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
