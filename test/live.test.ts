import { describe, expect, it, inject } from "vitest";
import { sessionEventStream } from "../lib/live/event-stream";
import { createHub, type HubSignal } from "../lib/live/hub";
import { createRedisClient, whenReady } from "../lib/redis/client";
import { ACTIVITY_LIMIT, ACTIVITY_TTL_MS, activityKey, endedMarkerKey, userChannel } from "../lib/session";
import { created, freshUserId, keyOf, newSession, owner, sleep, testRedis, testStore } from "./support/store";

// Why sessions ended, the activity log, device names, and the subscriber hub
// that carries a user's events to open tabs: against the run's real redis-server.

const waitFor = async (check: () => boolean | Promise<boolean>, what: string): Promise<void> => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe("why a session ended", () => {
  it("keeps the reason of each ending, says 'expired' without one, and 'live' for a live session", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => created(store, newSession(userId))));
    await store.revokeUserSession(owner(userId), a.session.id, { reason: "revoked", by: "Firefox on Linux" });
    await store.revokeUserSession(owner(userId), b.session.id, { reason: "signed-out" });
    await store.revokeAllUserSessions(owner(userId), { reason: "admin" }); // c and d
    expect(await store.endReason(a.token)).toBe("revoked");
    expect(await store.endReason(b.token)).toBe("signed-out");
    expect(await store.endReason(c.token)).toBe("admin");
    // A session Redis expired by itself leaves no marker.
    const e = await created(store, newSession(userId));
    await client.del(keyOf(e.session));
    expect(await store.endReason(e.token)).toBe("expired");
    expect(await store.endReason((await created(store, newSession(userId))).token)).toBe("live");
    expect(await store.endReason("not-a-token")).toBeUndefined();
    // The marker is short-lived.
    const ttl = await client.pttl(endedMarkerKey(d.session.userUid, d.session.id));
    expect(ttl).toBeGreaterThan(23 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
  });

  it("says 'revoked' for a session pushed out by a sign-in over the device limit, and logs it", async () => {
    const { store } = testStore({ maxSessionsPerUser: 1 });
    const userId = freshUserId();
    const first = await created(store, newSession(userId));
    await sleep(5); // used least recently by a clear margin
    await created(store, newSession(userId));
    expect(await store.endReason(first.token)).toBe("revoked");
    const events = await store.recentActivity(owner(userId));
    expect(events[0]).toMatchObject({ type: "revoked", session: first.session.id.slice(0, 8), device: "Chrome 142 on macOS 10.15.7" });
  });

  it("peeks at the expiry without sliding it, and says null once the session is gone", async () => {
    const { store, client } = testStore({ idleTtlMs: 60_000 });
    const userId = freshUserId();
    const { token, session } = await created(store, newSession(userId));
    const before = await client.pexpiretime(keyOf(session));
    await sleep(20);
    const peeked = await store.peekExpiry(token);
    expect(peeked?.expiresAt).toBe(before);
    expect(await client.pexpiretime(keyOf(session))).toBe(before); // not slid
    await store.validateSession(token); // used: slid
    expect(await client.pexpiretime(keyOf(session))).toBeGreaterThan(before);
    await store.revokeUserSession(owner(userId), session.id);
    expect(await store.peekExpiry(token)).toBeNull();
  });
});

describe("device names", () => {
  it("renames only the user's own live sessions, at most 40 characters, and drops the name when empty", async () => {
    const { store } = testStore();
    const userId = freshUserId();
    const { token, session } = await created(store, newSession(userId));
    expect(await store.renameSession(owner(userId), session.id, "Work laptop")).toBe(true);
    expect((await store.listUserSessions(owner(userId)))[0].name).toBe("Work laptop");
    const checked = await store.validateSession(token);
    expect(checked.status === "valid" && checked.session.name).toBe("Work laptop");
    expect(await store.renameSession(owner(freshUserId()), session.id, "Mine now")).toBe(false);
    expect(await store.renameSession(owner(userId), session.id, "x".repeat(41))).toBe(false);
    expect(await store.renameSession(owner(userId), session.id, "🙂".repeat(40))).toBe(true); // characters, not UTF-16 units
    expect(await store.renameSession(owner(userId), session.id, "")).toBe(true);
    expect((await store.listUserSessions(owner(userId)))[0].name).toBe("");
    await store.revokeUserSession(owner(userId), session.id);
    expect(await store.renameSession(owner(userId), session.id, "Ghost")).toBe(false);
    expect(await store.listUserSessions(owner(userId))).toEqual([]); // no hash re-created
  });
});

describe("the activity log", () => {
  it("lists sign-ins, revokes (with the revoking device), sign-outs, an admin's sweep and expiries, newest first", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    const a = await created(store, newSession(userId, { ip: "198.51.100.1" }));
    const b = await created(store, newSession(userId));
    await store.revokeUserSession(owner(userId), b.session.id, { reason: "revoked", by: "Phone" });
    await store.revokeUserSession(owner(userId), a.session.id, { reason: "signed-out" });
    const c = await created(store, newSession(userId));
    await client.del(keyOf(c.session)); // Redis expired it; the next listing notices
    await store.listUserSessions(owner(userId));
    await store.listUserSessions(owner(userId)); // noticed once
    await created(store, newSession(userId));
    await store.revokeAllUserSessions(owner(userId), { reason: "admin" });
    const events = await store.recentActivity(owner(userId));
    expect(events.map((event) => event.type)).toEqual(["admin-signed-out", "signed-in", "expired", "signed-in", "signed-out", "revoked", "signed-in", "signed-in"]);
    expect(events[0].count).toBe(1);
    expect(events[5]).toMatchObject({ session: b.session.id.slice(0, 8), device: "Chrome 142 on macOS 10.15.7", by: "Phone" });
    expect(events[7]).toMatchObject({ session: a.session.id.slice(0, 8), device: "Chrome 142 on macOS 10.15.7", ip: "198.51.100.1" });
    expect(events.every((event, i) => i === 0 || event.at <= events[i - 1].at)).toBe(true);
    const ttl = await client.pttl(activityKey(owner(userId)));
    expect(ttl).toBeGreaterThan(ACTIVITY_TTL_MS - 60_000);
  });

  it("keeps at most the last 50 events", async () => {
    const { store } = testStore();
    const userId = freshUserId();
    for (let i = 0; i < ACTIVITY_LIMIT + 5; i++) await store.recordActivity(owner(userId), { type: "password-changed", by: `device ${i}` });
    const events = await store.recentActivity(owner(userId));
    expect(events).toHaveLength(ACTIVITY_LIMIT);
    expect(events[0].by).toBe(`device ${ACTIVITY_LIMIT + 4}`);
    expect(events.at(-1)?.by).toBe("device 5");
  });

  it("goes with a deleted account", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    await created(store, newSession(userId));
    expect(await client.exists(activityKey(owner(userId)))).toBe(1);
    await store.forgetUser(owner(userId));
    expect(await client.exists(activityKey(owner(userId)))).toBe(0);
  });
});

describe("the subscriber hub", () => {
  const url = () => inject("redisUrl");

  it("carries a user's events from one instance to another's listeners", async () => {
    const hub = createHub(createRedisClient(url(), { commandTimeoutMs: 5000, role: "subscriber" }));
    const { store } = testStore();
    const userId = freshUserId();
    const heard: HubSignal[] = [];
    const stop = hub.listen(userChannel(owner(userId)), (signal) => heard.push(signal));
    const probe = testRedis();
    await whenReady(probe, 5000);
    await waitFor(async () => (await probe.pubsub("NUMSUB", userChannel(owner(userId))))[1] === 1, "the subscription");
    const { session } = await created(store, newSession(userId));
    await store.revokeUserSession(owner(userId), session.id, { reason: "revoked", by: "Phone" });
    await waitFor(() => heard.length === 2, "two messages");
    expect(heard).toEqual([
      { type: "signed-in", sessionId: session.id, browser: "Chrome 142", os: "macOS 10.15.7" },
      { type: "ended", sessionIds: [session.id], reason: "revoked" },
    ]);
    stop();
    hub.client.disconnect();
  });

  it("holds one subscription for 200 listeners and leaves none, and no connection, once they stop", async () => {
    const probe = testRedis();
    await whenReady(probe, 5000);
    const clientsBefore = Number(/connected_clients:(\d+)/.exec(await probe.info("clients"))?.[1]);
    const hub = createHub(createRedisClient(url(), { commandTimeoutMs: 5000, role: "subscriber" }));
    const channel = userChannel(owner(freshUserId()));
    const stops = Array.from({ length: 200 }, () => hub.listen(channel, () => undefined));
    await waitFor(async () => (await probe.pubsub("NUMSUB", channel))[1] === 1, "the subscription");
    expect(hub.stats()).toEqual({ channels: 1, listeners: 200, streams: 0 });
    const clientsOpen = Number(/connected_clients:(\d+)/.exec(await probe.info("clients"))?.[1]);
    expect(clientsOpen).toBe(clientsBefore + 1); // one subscriber connection for all 200
    for (const stop of stops) stop();
    stops[0](); // stopping twice is harmless
    expect(hub.stats()).toEqual({ channels: 0, listeners: 0, streams: 0 });
    await waitFor(async () => (await probe.pubsub("NUMSUB", channel))[1] === 0, "the unsubscription");
    hub.client.disconnect();
    await waitFor(async () => Number(/connected_clients:(\d+)/.exec(await probe.info("clients"))?.[1]) === clientsBefore, "the connection to close");
  });
});

describe("a tab's event stream and its own session", () => {
  const url = () => inject("redisUrl");
  const decoder = new TextDecoder();

  /** The stream's events by name, as they come, until it closes or `ms` pass. */
  async function eventsOf(stream: ReadableStream<Uint8Array>, ms: number): Promise<{ events: string[]; closed: boolean }> {
    const reader = stream.getReader();
    let text = "";
    const deadline = Date.now() + ms;
    let closed = false;
    while (Date.now() < deadline) {
      const next = await Promise.race([reader.read(), sleep(deadline - Date.now()).then(() => "timeout" as const)]);
      if (next === "timeout") break;
      if (next.done) {
        closed = true;
        break;
      }
      text += decoder.decode(next.value);
    }
    reader.releaseLock();
    return { events: [...text.matchAll(/^event: (\S+)$/gm)].map((match) => match[1]), closed };
  }

  function streamOf(hub: ReturnType<typeof createHub>, store: ReturnType<typeof testStore>["store"], token: string, sessionId: string, userId: number, abort: AbortController) {
    return sessionEventStream({
      hub,
      channel: userChannel(owner(userId)),
      sessionId,
      expiry: { expiresAt: Date.now() + 60_000, now: Date.now() },
      peek: () => store.peekExpiry(token),
      signal: abort.signal,
      recheckMs: 300,
    });
  }

  it("a session revoked before its stream's subscription is in place: the stream ends at once and passes on nothing of the user's", async () => {
    const hub = createHub(createRedisClient(url(), { commandTimeoutMs: 5000, role: "subscriber" }));
    const { store, client } = testStore();
    const userId = freshUserId();
    const { token, session } = await created(store, newSession(userId));
    await client.del(keyOf(session)); // ended, and nobody told the channel (a lost publish)
    const abort = new AbortController();
    const { events, closed } = await eventsOf(streamOf(hub, store, token, session.id, userId, abort), 3000);
    expect(closed).toBe(true);
    expect(events).toEqual(["hello", "ended"]);
    abort.abort();
    hub.client.disconnect();
  });

  it("a session ended without a word on the channel: the stream asks again within its re-check interval and ends", async () => {
    const hub = createHub(createRedisClient(url(), { commandTimeoutMs: 5000, role: "subscriber" }));
    const { store, client } = testStore();
    const userId = freshUserId();
    const { token, session } = await created(store, newSession(userId));
    const abort = new AbortController();
    const stream = streamOf(hub, store, token, session.id, userId, abort);
    const reader = stream.getReader();
    const first = decoder.decode((await reader.read()).value);
    expect(first).toContain("retry:");
    reader.releaseLock();
    await sleep(500); // subscribed and checked once: still live
    await client.del(keyOf(session)); // the session goes; the channel says nothing
    await client.publish(userChannel(owner(userId)), JSON.stringify({ type: "renamed", sessionId: session.id, name: "x" }));
    const { events, closed } = await eventsOf(stream, 3000);
    expect(closed).toBe(true);
    expect(events.at(-1)).toBe("ended");
    abort.abort();
    hub.client.disconnect();
  });
});
