import { describe, expect, it } from "vitest";
import { userIndexKey } from "../lib/session";
import { created, freshUserId, keyOf, newSession, owner, sleep, testStore } from "./support/store";

describe("listing and revoking", () => {
  it("lists a user's sessions newest first, and only theirs", async () => {
    const { store } = testStore();
    const userId = freshUserId();
    const a = await created(store, newSession(userId));
    await sleep(5);
    const b = await created(store, newSession(userId));
    await created(store, newSession(freshUserId()));
    expect((await store.listUserSessions(owner(userId))).map((s) => s.id)).toEqual([b.session.id, a.session.id]);
  });

  it("revokes one session by public id; the token stops working at once", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    const a = await created(store, newSession(userId));
    const b = await created(store, newSession(userId));
    expect(await store.revokeUserSession(owner(userId), b.session.id)).toBe(true);
    expect((await store.validateSession(b.token)).status).toBe("invalid");
    expect((await store.validateSession(a.token)).status).toBe("valid");
    expect(await client.zrange(userIndexKey(owner(userId)), "0", "-1")).toEqual([a.session.id]);
  });

  it("does not let a user revoke someone else's session", async () => {
    const { store } = testStore();
    const victim = await created(store, newSession(freshUserId()));
    expect(await store.revokeUserSession(owner(freshUserId()), victim.session.id)).toBe(false);
    expect(await store.revokeUserSession(owner(freshUserId()), "not-an-id")).toBe(false);
    // Even naming the victim's tag (their slot) with another user id: the hash says whose it is.
    expect(await store.revokeUserSession({ id: freshUserId(), uid: victim.session.userUid }, victim.session.id)).toBe(false);
    expect((await store.validateSession(victim.token)).status).toBe("valid");
  });

  it("signs out all other sessions and keeps the current one", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    const current = await created(store, newSession(userId));
    const others = await Promise.all([1, 2, 3].map(() => created(store, newSession(userId))));
    const bystander = await created(store, newSession(freshUserId()));

    expect(await store.revokeOtherSessions(owner(userId), current.session.id)).toBe(3);
    for (const other of others) expect((await store.validateSession(other.token)).status).toBe("invalid");
    expect((await store.validateSession(current.token)).status).toBe("valid");
    expect((await store.validateSession(bystander.token)).status).toBe("valid");
    expect(await client.zrange(userIndexKey(owner(userId)), "0", "-1")).toEqual([current.session.id]);
  });

  it("signs a user out everywhere without touching other users", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    const sessions = await Promise.all([1, 2].map(() => created(store, newSession(userId))));
    const bystander = await created(store, newSession(freshUserId()));

    expect(await store.revokeAllUserSessions(owner(userId))).toBe(2);
    for (const s of sessions) expect((await store.validateSession(s.token)).status).toBe("invalid");
    expect(await client.exists(userIndexKey(owner(userId)))).toBe(0);
    expect((await store.validateSession(bystander.token)).status).toBe("valid");
  });

  it("drops index entries of expired sessions when the index is read", async () => {
    const { store, client } = testStore({ idleTtlMs: 300 });
    const userId = freshUserId();
    const expiring = await created(store, newSession(userId));
    const { store: longLived } = testStore({ idleTtlMs: 60_000 }, client);
    const kept = await created(longLived, newSession(userId));
    await sleep(500);

    expect(await client.zcard(userIndexKey(owner(userId)))).toBe(2); // the stale entry is still there…
    expect((await store.listUserSessions(owner(userId))).map((s) => s.id)).toEqual([kept.session.id]);
    expect(await client.zrange(userIndexKey(owner(userId)), "0", "-1")).toEqual([kept.session.id]); // …and now gone
    expect(await client.exists(keyOf(expiring.session))).toBe(0);
  });

  it("drops index entries past their absolute end by score, and the index expires with its last session", async () => {
    const { store, client } = testStore({ idleTtlMs: 300, absoluteTtlMs: 300 });
    const userId = freshUserId();
    await created(store, newSession(userId));
    expect(await client.pttl(userIndexKey(owner(userId)))).toBeLessThanOrEqual(300);
    await sleep(400);
    expect(await client.exists(userIndexKey(owner(userId)))).toBe(0);
    expect(await store.listUserSessions(owner(userId))).toEqual([]);
  });
});
