import { describe, expect, it } from "vitest";
import { userChannel } from "../lib/session";
import { keySlot } from "./support/key-slot";
import { created, freshUserId, newSession, owner, testStore } from "./support/store";

// Every key of one user carries the user's tag, so all of them hash to one Redis
// Cluster slot: the scripts that create and end sessions with their index stay
// atomic on a Cluster, and the listing is a single-slot pipeline.

describe("one hash slot per user", () => {
  it("computes slots the way the Cluster specification does", () => {
    expect(keySlot("123456789")).toBe(12739); // the specification's CRC16 example: 0x31C3
    expect(keySlot("{user1000}.following")).toBe(keySlot("user1000"));
  });

  it("puts a user's session hashes and index in one slot, and another user elsewhere", async () => {
    const { store, client } = testStore();
    const userId = freshUserId();
    const made = await Promise.all([1, 2, 3].map(() => created(store, newSession(userId))));
    await store.revokeUserSession(owner(userId), made[0].session.id);
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await client.scan(cursor, "MATCH", `session:{${owner(userId).uid}}:*`, "COUNT", 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== "0");
    // Two hashes, the index, the activity log and the end marker of the revoked session.
    expect(keys.map((key) => key.split(":")[2]).sort()).toEqual(["activity", "ended", "token", "token", "user"]);
    const slots = new Set(keys.map((key) => keySlot(key)));
    expect(slots.size).toBe(1);
    expect([...slots][0]).toBe(keySlot(owner(userId).uid));
    // The user's live channel is a shard channel of the same slot.
    expect(keySlot(userChannel(owner(userId)))).toBe(keySlot(owner(userId).uid));
    expect(keys.every((key) => key.startsWith(`session:{${owner(userId).uid}}:`))).toBe(true);
  });

  it("finds a session from its token alone: the token carries the tag", async () => {
    const { store } = testStore();
    const userId = freshUserId();
    const { token } = await created(store, newSession(userId));
    expect(token.startsWith(`${owner(userId).uid}.`)).toBe(true);
    expect((await store.validateSession(token)).status).toBe("valid");
    // The same secret under another user's tag points nowhere.
    const otherTag = owner(freshUserId()).uid;
    expect((await store.validateSession(`${otherTag}${token.slice(32)}`)).status).toBe("invalid");
  });
});
