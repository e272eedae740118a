import { describe, expect, it } from "vitest";
import { userIndexKey } from "../lib/session";
import { created, freshUserId, keyOf, newSession, owner, sleep, testStore } from "./support/store";

describe("the per-user session cap", () => {
  it("ends the least recently active session when a sign-in goes past the cap", async () => {
    const { store } = testStore({ maxSessionsPerUser: 3, lastSeenIntervalMs: 1 });
    const userId = freshUserId();
    const oldest = await created(store, newSession(userId));
    await sleep(5);
    const middle = await created(store, newSession(userId));
    await sleep(5);
    const newest = await created(store, newSession(userId));
    await sleep(5);
    await store.validateSession(oldest.token); // the oldest is now the most recently active

    const fourth = await created(store, newSession(userId));
    expect((await store.validateSession(middle.token)).status).toBe("invalid");
    for (const kept of [oldest, newest, fourth]) expect((await store.validateSession(kept.token)).status).toBe("valid");
    expect((await store.listUserSessions(owner(userId))).map((s) => s.id).sort()).toEqual([oldest, newest, fourth].map((s) => s.session.id).sort());
  });

  it("holds exactly the cap after 200 parallel sign-ins, the index matching the live sessions one for one", async () => {
    const { store, client } = testStore({ maxSessionsPerUser: 50 });
    const userId = freshUserId();
    const made = await Promise.all(Array.from({ length: 200 }, () => created(store, newSession(userId))));

    const exists = await Promise.all(made.map(({ session }) => client.exists(keyOf(session))));
    const live = made.filter((_, i) => exists[i] === 1).map(({ session }) => session.id);
    const indexed = await client.zrange(userIndexKey(owner(userId)), "0", "-1");
    expect(live).toHaveLength(50);
    expect([...indexed].sort()).toEqual([...live].sort());
  });
});
