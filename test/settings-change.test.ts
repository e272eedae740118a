import { describe, expect, it } from "vitest";
import { created, freshUserId, newSession, owner, sleep, testStore } from "./support/store";

// A restart with other settings is a new store over the same Redis. Whatever the
// settings were when a session was made, every session that still validates must
// be listed and must end with "sign out everywhere" and "all other devices".

const listedIds = async (store: ReturnType<typeof testStore>["store"], userId: number): Promise<string[]> =>
  (await store.listUserSessions(owner(userId))).map((s) => s.id).sort();

describe("sessions made under other settings", () => {
  it("stay listed and revocable after a restart with a larger SESSION_ABSOLUTE_TTL", async () => {
    const before = testStore({ absoluteTtlMs: 1500, idleTtlMs: 60_000 }).store;
    const userId = freshUserId();
    const a = await created(before, newSession(userId));
    const b = await created(before, newSession(userId));
    const after = testStore({ absoluteTtlMs: 600_000, idleTtlMs: 60_000 }).store;
    const c = await created(after, newSession(userId));

    expect(await listedIds(after, userId)).toEqual([a.session.id, b.session.id, c.session.id].sort());
    await sleep(1700); // past the end a and b were created with
    // Live exactly when listed: a and b ended at the end they were made with.
    const live = [];
    for (const s of [a, b, c]) if ((await after.validateSession(s.token)).status === "valid") live.push(s.session.id);
    expect(await listedIds(after, userId)).toEqual(live.sort());
    expect(live).toEqual([c.session.id]);

    const d = await created(after, newSession(userId));
    expect(await after.revokeOtherSessions(owner(userId), d.session.id)).toBe(1);
    expect((await after.validateSession(c.token)).status).toBe("invalid");
    expect(await after.revokeAllUserSessions(owner(userId))).toBe(1);
    expect((await after.validateSession(d.token)).status).toBe("invalid");
    expect(await listedIds(after, userId)).toEqual([]);
  });

  it("end sooner, and leave the list with it, after a restart with a smaller SESSION_ABSOLUTE_TTL", async () => {
    const before = testStore({ absoluteTtlMs: 600_000 }).store;
    const userId = freshUserId();
    const old = await created(before, newSession(userId));
    const after = testStore({ absoluteTtlMs: 1000 }).store;
    await sleep(1200);
    expect(await listedIds(after, userId)).toEqual([]);
    expect((await after.validateSession(old.token)).status).toBe("invalid");
  });

  it("keep a live session listed for as long as it validates, however the settings moved", async () => {
    const userId = freshUserId();
    const first = testStore({ absoluteTtlMs: 3000, idleTtlMs: 3000 }).store;
    const s = await created(first, newSession(userId));
    const second = testStore({ absoluteTtlMs: 600_000, idleTtlMs: 600_000 }).store;
    // Made 3 s before its end: valid and listed now, whatever the new settings say…
    expect((await second.validateSession(s.token)).status).toBe("valid");
    expect(await listedIds(second, userId)).toEqual([s.session.id]);
    const seen: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const valid = (await second.validateSession(s.token)).status === "valid";
      seen.push(valid);
      expect(await listedIds(second, userId)).toEqual(valid ? [s.session.id] : []);
      await sleep(900);
    }
    // …and once valid, never valid again after it was not (the end it was made with holds).
    expect(seen.slice(seen.indexOf(false) === -1 ? seen.length : seen.indexOf(false))).not.toContain(true);
    await sleep(300); // past the 3 s it was made with, slides or not
    expect((await second.validateSession(s.token)).status).toBe("invalid");
    expect(await listedIds(second, userId)).toEqual([]);
  });
});
