import { describe, expect, it } from "vitest";
import { bindingIdentifier, BOUND_COOKIE_GRACE_MS, challengeKey, parseProof } from "../lib/session";
import { deviceKey } from "./support/device-key";
import { created, freshUserId, keyOf, newSession, owner, sleep, testStore } from "./support/store";
import { createHash } from "node:crypto";

// The session core's device binding (lib/session/binding.ts) and remembered
// sessions, on the run's real redis-server: what Redis holds, and what the
// per-request check accepts, at each step of the protocol. The HTTP side and a
// real Chromium are e2e/device-bound-*.spec.ts.

const sha256 = (value: string): string => createHash("sha256").update(value).digest("base64url");

async function boundSession(cookieTtlMs = 60_000) {
  const { store, client } = testStore({ boundCookieTtlMs: cookieTtlMs });
  const { token, session } = await created(store, newSession(freshUserId()));
  const device = deviceKey();
  const challenge = await store.binding.issueChallenge(session, "register");
  if (!challenge) throw new Error("no challenge");
  const outcome = await store.binding.register(device.proof(challenge, { withKey: true }));
  if (outcome.status !== "bound") throw new Error(`register: ${outcome.why}`);
  return { store, client, token, session, device, cookie: outcome.cookie, challenge };
}

async function refreshed(store: ReturnType<typeof testStore>["store"], session: { id: string; userUid: string }, device: ReturnType<typeof deviceKey>) {
  const identifier = bindingIdentifier(session);
  const issued = await store.binding.refreshChallenge(identifier);
  if (!("challenge" in issued)) return { status: "gone" as const };
  return store.binding.refresh(identifier, device.proof(issued.challenge, { withKey: false }));
}

describe("device binding", () => {
  it("stores the public key and the cookie's SHA-256, never the cookie; the challenge is gone once used", async () => {
    const { client, session, cookie, challenge } = await boundSession();
    const hash = await client.hgetall(keyOf(session));
    expect(hash.bound_key).toMatch(/^[A-Za-z0-9_-]{44}$/); // the compressed point
    expect(await client.object("ENCODING", keyOf(session)), "every value under 64 bytes: still a compact hash").toBe("listpack");
    expect(hash.bound_cookie).toBe(sha256(cookie));
    expect(Object.values(hash)).not.toContain(cookie);
    expect(await client.exists(challengeKey(session.userUid, sha256(challenge)))).toBe(0);
  });

  it("a bound session is valid only with its short-lived cookie, and a refusal neither slides nor ends it", async () => {
    const { store, client, token, session, cookie } = await boundSession();
    // The browser registers in the background: for a few seconds, its requests without the cookie still pass.
    expect((await store.validateSession(token)).status, "within the registration's grace").toBe("valid");
    await sleep(BOUND_COOKIE_GRACE_MS + 200);
    const before = await client.pttl(keyOf(session));
    expect((await store.validateSession(token)).status).toBe("invalid");
    expect((await store.validateSession(token, "x".repeat(43))).status).toBe("invalid");
    expect(await client.pttl(keyOf(session))).toBeLessThanOrEqual(before);
    const valid = await store.validateSession(token, cookie);
    expect(valid.status === "valid" && valid.session.bound).toBe(true);
    expect(await store.peekExpiry(token)).toBeNull();
    expect(await store.peekExpiry(token, cookie)).not.toBeNull();
    expect(await store.peekExpiry(token, "checked")).not.toBeNull();
  }, 15_000);

  it("a session that never registers keeps working with the token alone", async () => {
    const { store } = testStore();
    const { token, session } = await created(store, newSession(freshUserId()));
    expect(await store.binding.issueChallenge(session, "register")).not.toBeNull();
    const valid = await store.validateSession(token);
    expect(valid.status === "valid" && valid.session.bound).toBe(false);
  });

  it("a refresh replaces the cookie; the replaced one lasts only until its own end", async () => {
    const { store, token, session, device, cookie } = await boundSession(1500);
    const renewed = await refreshed(store, session, device);
    if (renewed.status !== "bound") throw new Error("refresh refused");
    expect(renewed.cookie).not.toBe(cookie);
    expect((await store.validateSession(token, renewed.cookie)).status).toBe("valid");
    expect((await store.validateSession(token, cookie)).status, "sent while the browser refreshed").toBe("valid");
    await sleep(1500 + BOUND_COOKIE_GRACE_MS + 200); // the first cookie's Max-Age and grace
    expect((await store.validateSession(token, cookie)).status).toBe("invalid");
    expect((await store.validateSession(token, renewed.cookie)).status, "the renewed one's end has passed too").toBe("invalid");
    const again = await refreshed(store, session, device);
    expect(again.status).toBe("bound");
  }, 15_000);

  it("refuses a wrong key, a replayed or unknown challenge, a second registration, and an ended session", async () => {
    const { store, session, device, challenge } = await boundSession();
    const identifier = bindingIdentifier(session);
    const issued = await store.binding.refreshChallenge(identifier);
    if (!("challenge" in issued)) throw new Error("no challenge");
    expect(await store.binding.refresh(identifier, deviceKey().proof(issued.challenge, { withKey: false }))).toEqual({ status: "refused", why: "wrong-key" });
    // The challenge was taken by that attempt: the right key cannot use it either.
    expect(await store.binding.refresh(identifier, device.proof(issued.challenge, { withKey: false }))).toEqual({ status: "refused", why: "challenge" });
    expect(await store.binding.register(device.proof(challenge, { withKey: true }))).toEqual({ status: "refused", why: "challenge" });
    expect(await store.binding.issueChallenge(session, "register"), "a bound session is offered no second key").toBeNull();
    expect(await store.binding.register("not.a.jwt")).toEqual({ status: "refused", why: "malformed" });

    const pending = await store.binding.refreshChallenge(identifier);
    if (!("challenge" in pending)) throw new Error("no challenge");
    await store.revokeAllUserSessions(owner(session.userId));
    expect(await store.binding.refresh(identifier, device.proof(pending.challenge, { withKey: false }))).toEqual({ status: "refused", why: "gone" });
    expect(await store.binding.refreshChallenge(identifier)).toEqual({ gone: true });
  });

  it("records binding and refusals in the user's activity log", async () => {
    const { store, session } = await boundSession();
    const identifier = bindingIdentifier(session);
    const issued = await store.binding.refreshChallenge(identifier);
    if (!("challenge" in issued)) throw new Error("no challenge");
    await store.binding.refresh(identifier, deviceKey().proof(issued.challenge, { withKey: false }));
    const types = (await store.recentActivity(owner(session.userId))).map((entry) => `${entry.type}${entry.why ? `:${entry.why}` : ""}`);
    expect(types.slice(0, 2)).toEqual(["binding-refused:wrong-key", "device-bound"]);
  });

  it("reads a proof only if it is an ES256 dbsc+jwt with a 64-byte signature", () => {
    const device = deviceKey();
    const good = device.proof("abc", { withKey: true });
    expect(parseProof(good)?.challenge).toBe("abc");
    const [header, payload, signature] = good.split(".");
    const swap = (part: object): string => Buffer.from(JSON.stringify(part)).toString("base64url");
    for (const bad of [
      "",
      "a.b",
      `${swap({ alg: "none", typ: "dbsc+jwt" })}.${payload}.${signature}`,
      `${swap({ alg: "ES256", typ: "JWT" })}.${payload}.${signature}`,
      `${header}.${swap({ jti: 42 })}.${signature}`,
      `${header}.${payload}.${Buffer.alloc(70).toString("base64url")}`,
      `${header}.${payload}.${signature}`.repeat(40),
    ]) {
      expect(parseProof(bad), bad.slice(0, 40)).toBeUndefined();
    }
  });
});

describe("Keep me signed in", () => {
  it("a remembered session lives by the remembered idle timeout and absolute end", async () => {
    const { store, client } = testStore({ idleTtlMs: 60_000, absoluteTtlMs: 600_000, remember: { idleTtlMs: 3_600_000, absoluteTtlMs: 86_400_000 } });
    const plain = await created(store, newSession(freshUserId()));
    const kept = await created(store, newSession(freshUserId(), { remember: true }));
    expect(kept.session.remembered).toBe(true);
    expect(kept.session.endsAt - kept.session.createdAt).toBe(86_400_000);
    expect(plain.session.endsAt - plain.session.createdAt).toBe(600_000);
    const valid = await store.validateSession(kept.token);
    expect(valid.status === "valid" && valid.session.remembered).toBe(true);
    expect(await client.pttl(keyOf(kept.session))).toBeGreaterThan(60_000);
    expect(await client.pttl(keyOf(plain.session))).toBeLessThanOrEqual(60_000);
    expect((await store.listUserSessions(owner(kept.session.userId)))[0].remembered).toBe(true);
  });
});
