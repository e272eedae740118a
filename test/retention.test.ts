import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { hashPassword } from "../lib/account/password";
import { startSession } from "../lib/account/sign-in";
import { setAdminFlag } from "../lib/account/user-changes";
import { createUser } from "../lib/db/users";
import { activityKey, endedMarkerKey, fenceKey, type SessionOwner } from "../lib/session";
import { testRuntime } from "./support/runtime";
import { created, freshUserId, newSession, owner, sleep, testStore } from "./support/store";

// What outlives a session or a change of its user (the end marker, the activity
// log, the fence) is kept as long as the settings say, not as long as the
// defaults: with short settings, a user's keys are all gone soon after the last
// step, so a run can watch Redis return to its baseline key count.

const RETENTION = { endReasonMs: 2000, activityMs: 3000, fenceMs: 2000 };

/** Every key of one user (their tag is in each). */
async function keysOf(client: Redis, of: SessionOwner): Promise<string[]> {
  return client.keys(`session:{${of.uid}}:*`);
}

describe("retention settings of the store", () => {
  it("keeps the end marker, the activity log and the fence no longer than the settings say", async () => {
    const { store, client } = testStore({ retention: RETENTION });
    const userId = freshUserId();
    const { session } = await created(store, newSession(userId));
    const activityTtl = await client.pttl(activityKey(owner(userId)));
    expect(activityTtl).toBeGreaterThan(0);
    expect(activityTtl).toBeLessThanOrEqual(RETENTION.activityMs);

    await store.revokeUserSession(owner(userId), session.id);
    const markerTtl = await client.pttl(endedMarkerKey(owner(userId).uid, session.id));
    expect(markerTtl).toBeGreaterThan(0);
    expect(markerTtl).toBeLessThanOrEqual(RETENTION.endReasonMs);

    await store.raiseFence(owner(userId), 2);
    const fenceTtl = await client.pttl(fenceKey(owner(userId)));
    expect(fenceTtl).toBeGreaterThan(0);
    expect(fenceTtl).toBeLessThanOrEqual(RETENTION.fenceMs);
  });

  it("gives the marker of a session pushed out over the device limit the same retention", async () => {
    const { store, client } = testStore({ retention: RETENTION, maxSessionsPerUser: 1 });
    const userId = freshUserId();
    const first = await created(store, newSession(userId));
    await sleep(5); // used least recently by a clear margin
    await created(store, newSession(userId));
    const markerTtl = await client.pttl(endedMarkerKey(owner(userId).uid, first.session.id));
    expect(markerTtl).toBeGreaterThan(0);
    expect(markerTtl).toBeLessThanOrEqual(RETENTION.endReasonMs);
  });

  it("leaves none of the user's keys once the longest retention has passed after their last session ended", async () => {
    const { store, client } = testStore({ retention: RETENTION });
    const userId = freshUserId();
    await created(store, newSession(userId));
    await created(store, newSession(userId));
    await store.raiseFence(owner(userId), 2);
    await store.revokeAllUserSessions(owner(userId), { reason: "revoked" });
    // Markers, the log and the fence are still there; the sessions and the index are not.
    expect((await keysOf(client, owner(userId))).length).toBe(4);
    await sleep(Math.max(RETENTION.endReasonMs, RETENTION.activityMs, RETENTION.fenceMs) + 200);
    expect(await keysOf(client, owner(userId))).toEqual([]);
  });
});

describe("retention settings from the environment", () => {
  it("reach the store the app builds: a user change leaves a fence, markers and a log kept as configured", async () => {
    const rt = await testRuntime({ SESSION_END_REASON_TTL: "2", ACTIVITY_LOG_TTL: "3", SESSION_FENCE_TTL: "10" });
    const made = await createUser(rt.users, { email: `u${freshUserId()}@example.com`, passwordHash: await hashPassword("correct horse battery") });
    if (!made.ok) throw new Error("could not create the user");
    const user = made.user;
    const creation = await startSession(rt, user, { ip: "203.0.113.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" });
    if (creation.status !== "created") throw new Error("could not sign in");

    expect(await setAdminFlag(rt, user.id, true)).toMatchObject({ status: "changed", sessionsEnded: 1 });
    const ttls = {
      fence: await rt.redis.pttl(fenceKey(user)),
      marker: await rt.redis.pttl(endedMarkerKey(user.uid, creation.session.id)),
      activity: await rt.redis.pttl(activityKey(user)),
    };
    expect(ttls.fence).toBeGreaterThan(0);
    expect(ttls.fence).toBeLessThanOrEqual(10_000);
    expect(ttls.marker).toBeGreaterThan(0);
    expect(ttls.marker).toBeLessThanOrEqual(2000);
    expect(ttls.activity).toBeGreaterThan(0);
    expect(ttls.activity).toBeLessThanOrEqual(3000);
  });
});
