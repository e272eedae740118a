import { createHash, createPublicKey, ECDH, randomBytes, verify, type JsonWebKey } from "node:crypto";
import type { RedisClient } from "../redis/client";
import type { ActivityEntry } from "./journal";
import { challengeKey, sessionKey, type SessionOwner } from "./keys";
import { logRef } from "./record";
import { isUserTag, isWellFormedSessionId } from "./token";

// Device Bound Session Credentials (DBSC, W3C WebAppSec draft): the Redis side.
// A browser that can keep a private key it cannot export registers one for its
// session; from then on the session is valid only with a short-lived cookie that
// the browser renews by signing a challenge with that key. A thief who copies the
// long-lived cookie (an infostealer reads the cookie jar, not the key) is signed
// out when the short one ends. The HTTP side (headers, JSON, cookies) is
// lib/web/device-binding.ts; this file stores and checks:
//   session hash  bound_key (the public key, compressed), bound_cookie (SHA-256 of the short
//                 cookie: never the cookie), bound_until (its end, Redis clock),
//                 and bound_prev/bound_prev_until, the cookie the last refresh
//                 replaced (requests sent during a refresh carry it), until its
//                 own end; the per-request check compares them in its one script
//   challenge     session:{tag}:challenge:<SHA-256 of it>, '<purpose>:<session id>',
//                 PX CHALLENGE_TTL_MS, deleted when taken: one use

/** How long a challenge waits for the browser's signed answer: it answers in milliseconds, and a soak's drain waits for every key to expire. */
export const CHALLENGE_TTL_MS = 60 * 1000;

/**
 * The server accepts a short-lived cookie this much past its Max-Age: the
 * browser starts counting when the response arrives, after Redis fixed the end,
 * and its last request may still be on its way. A newly bound session accepts
 * requests with no short cookie for as long: the browser registers in the
 * background, and the page a sign-in leads to may be asked before it has the cookie.
 */
export const BOUND_COOKIE_GRACE_MS = 5000;

/** Why a registration or a refresh got no cookie (the activity log and the process log say it). */
export type BindingRefusal = "malformed" | "wrong-key" | "challenge" | "already-bound" | "gone";

export type BindingOutcome =
  | { status: "bound"; sessionId: string; tag: string; cookie: string; cookieEndsAt: number }
  | { status: "refused"; why: BindingRefusal };

/** What the protocol calls the session: `<user tag>.<session id>`, public (the id is the one the devices page shows). */
export function bindingIdentifier(session: { id: string; userUid: string }): string {
  return `${session.userUid}.${session.id}`;
}

function parseIdentifier(identifier: string | null | undefined): { tag: string; id: string } | undefined {
  const [tag, id, ...rest] = (identifier ?? "").split(".");
  return rest.length === 0 && isUserTag(tag ?? "") && isWellFormedSessionId(id) ? { tag, id } : undefined;
}

const sha256 = (value: string): string => createHash("sha256").update(value).digest("base64url");

/** The hash the session stores of a short-lived cookie, and the check compares ('' for none). */
export function boundCookieHash(cookie: string | undefined): string {
  return cookie ? sha256(cookie) : "";
}

type BindingSettings = {
  usersDatabaseId: string;
  /** The short-lived cookie's Max-Age (SESSION_BOUND_COOKIE_TTL). */
  cookieTtlMs: number;
  guarded: <T>(operation: () => Promise<T>) => Promise<T>;
  /** Writes a line to the user's activity log (journal.ts). */
  record: (owner: SessionOwner, entry: ActivityEntry) => Promise<void>;
  log: (event: string, fields: Record<string, string | number>) => void;
};

export function createDeviceBinding(client: RedisClient, settings: BindingSettings) {
  const { usersDatabaseId, guarded } = settings;
  const cookieLifetimeMs = settings.cookieTtlMs + BOUND_COOKIE_GRACE_MS;

  /** A new challenge `<tag>.<32 random bytes>` for this session, or null if the session is gone or not in the state the purpose needs. */
  async function issueChallenge(session: { id: string; userUid: string }, purpose: "register" | "refresh"): Promise<string | null> {
    const challenge = `${session.userUid}.${randomBytes(32).toString("base64url")}`;
    const key = challengeKey(session.userUid, sha256(challenge));
    const issued = await guarded(() => client.issueChallenge(sessionKey(session.userUid, session.id), key, session.id, purpose, CHALLENGE_TTL_MS, usersDatabaseId));
    return issued === 1 ? challenge : null;
  }

  async function refused(why: BindingRefusal, purpose: string, session?: { id: string; tag: string; userId?: string }): Promise<BindingOutcome> {
    settings.log("session_binding_refused", { purpose, why, ...(session ? { session: logRef(session.id) } : {}) });
    if (session?.userId) await settings.record({ id: Number(session.userId), uid: session.tag }, { type: "binding-refused", session: logRef(session.id), why });
    return { status: "refused", why };
  }

  async function newCookie(
    tag: string,
    sessionId: string,
    publicKey: string,
    purpose: "register" | "refresh",
  ): Promise<{ status: "ok"; cookie: string; endsAt: number; userId: string } | { status: "bound" | "gone"; userId?: string }> {
    const cookie = randomBytes(32).toString("base64url");
    const [status, userId, endsAt] = await guarded(() =>
      client.setBoundCookie(sessionKey(tag, sessionId), publicKey, sha256(cookie), cookieLifetimeMs, usersDatabaseId, purpose, BOUND_COOKIE_GRACE_MS),
    );
    if (status === "ok") return { status, cookie, endsAt: Number(endsAt), userId: String(userId) };
    return { status: status === "bound" ? "bound" : "gone", userId };
  }

  /**
   * Registration: the browser answers the challenge of a sign-in with a JWT
   * signed by a new key and naming it. The challenge is taken (one use), and the
   * key becomes the session's, unless it has one already.
   */
  async function register(jwt: string | null): Promise<BindingOutcome> {
    const proof = parseProof(jwt);
    if (!proof?.publicKey || !isSignedBy(proof, proof.publicKey)) return refused("malformed", "register");
    const tag = proof.challenge.split(".")[0];
    if (!isUserTag(tag)) return refused("challenge", "register");
    const held = await guarded(() => client.getdel(challengeKey(tag, sha256(proof.challenge))));
    const sessionId = held?.startsWith("register:") ? held.slice("register:".length) : undefined;
    if (!sessionId) return refused("challenge", "register");
    const result = await newCookie(tag, sessionId, serializeKey(proof.publicKey), "register");
    if (result.status !== "ok") return refused(result.status === "bound" ? "already-bound" : "gone", "register", { id: sessionId, tag, userId: result.userId });
    await settings.record({ id: Number(result.userId), uid: tag }, { type: "device-bound", session: logRef(sessionId) });
    return { status: "bound", sessionId, tag, cookie: result.cookie, cookieEndsAt: result.endsAt };
  }

  /** Refresh, first step: a challenge for a live bound session, or "gone" (the browser should end its DBSC session). */
  async function refreshChallenge(identifier: string | null): Promise<{ challenge: string } | { gone: true }> {
    const session = parseIdentifier(identifier);
    if (!session) return { gone: true };
    const challenge = await issueChallenge({ id: session.id, userUid: session.tag }, "refresh");
    return challenge ? { challenge } : { gone: true };
  }

  /**
   * Refresh, second step: the JWT must answer a challenge issued for this very
   * session, unused and unexpired, and verify with the key stored at
   * registration. Then a new short-lived cookie replaces the old one.
   */
  async function refresh(identifier: string | null, jwt: string | null): Promise<BindingOutcome> {
    const session = parseIdentifier(identifier);
    const proof = parseProof(jwt);
    if (!session) return refused("gone", "refresh");
    if (!proof || proof.challenge.split(".")[0] !== session.tag) return refused("malformed", "refresh");
    const [status, userId, stored] = await guarded(() =>
      client.takeChallenge(challengeKey(session.tag, sha256(proof.challenge)), sessionKey(session.tag, session.id), `refresh:${session.id}`, usersDatabaseId),
    );
    if (status === "gone") return refused("gone", "refresh");
    const where = { id: session.id, tag: session.tag, userId };
    if (status !== "ok") return refused("challenge", "refresh", where);
    const publicKey = deserializeKey(stored ?? "");
    if (!publicKey || !isSignedBy(proof, publicKey)) return refused("wrong-key", "refresh", where);
    const result = await newCookie(session.tag, session.id, serializeKey(publicKey), "refresh");
    if (result.status !== "ok") return refused("gone", "refresh");
    return { status: "bound", sessionId: session.id, tag: session.tag, cookie: result.cookie, cookieEndsAt: result.endsAt };
  }

  return { issueChallenge, register, refreshChallenge, refresh };
}

// The browser's signed answer to a DBSC challenge (the Secure-Session-Response
// header): a compact JWT, ES256 only (the only algorithm this app offers), typ
// "dbsc+jwt", whose jti is the challenge. At registration the JWT carries the
// device's public key (a P-256 JWK, in the header's `jwk`; earlier drafts put it
// in the payload's `key`, read too) and is signed with it: that proves the
// browser holds the private key, which it cannot export. At refresh it carries no
// key: it must verify with the key stored at registration.

/** A P-256 public key as a JWK: only the four members that define it (the hash stores it compressed: serializeKey). */
export type DevicePublicKey = { kty: "EC"; crv: "P-256"; x: string; y: string };

export type Proof = {
  challenge: string;
  /** The key the JWT names (registration); undefined when it names none (refresh). */
  publicKey: DevicePublicKey | undefined;
  signingInput: string;
  signature: Buffer;
};

/** A JWT is three base64url parts; no part of ours comes near 4 kB. */
const MAX_PROOF_LENGTH = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const COORDINATE = /^[A-Za-z0-9_-]{43}$/; // 32 bytes

function jsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function asPublicKey(value: unknown): DevicePublicKey | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const { kty, crv, x, y } = value as Record<string, unknown>;
  if (kty !== "EC" || crv !== "P-256" || typeof x !== "string" || typeof y !== "string" || !COORDINATE.test(x) || !COORDINATE.test(y)) return undefined;
  return { kty, crv, x, y };
}

/** The JWT's parts if it is an ES256 "dbsc+jwt" with a string jti; undefined for anything else (no exception). */
export function parseProof(jwt: string | null | undefined): Proof | undefined {
  if (!jwt || jwt.length > MAX_PROOF_LENGTH) return undefined;
  const parts = jwt.trim().split(".");
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return undefined;
  const [header, payload] = [jsonPart(parts[0]), jsonPart(parts[1])];
  if (!header || !payload || header.alg !== "ES256" || header.typ !== "dbsc+jwt") return undefined;
  if (typeof payload.jti !== "string" || payload.jti.length === 0) return undefined;
  const signature = Buffer.from(parts[2], "base64url");
  if (signature.length !== 64) return undefined; // ES256: r and s, 32 bytes each (JWS, not DER)
  return { challenge: payload.jti, publicKey: asPublicKey(header.jwk ?? payload.key), signingInput: `${parts[0]}.${parts[1]}`, signature };
}

/** True if the proof is signed by this key. */
function isSignedBy(proof: Proof, publicKey: DevicePublicKey): boolean {
  try {
    const key = createPublicKey({ key: publicKey as JsonWebKey, format: "jwk" });
    return verify("sha256", Buffer.from(proof.signingInput), { key, dsaEncoding: "ieee-p1363" }, proof.signature);
  } catch {
    return false; // not a point on the curve, and the like
  }
}

/**
 * The key as the session hash stores it, and back: the compressed point (33
 * bytes, 44 base64url characters). A JWK's JSON would be over 64 bytes, and one
 * such value turns the whole hash from Redis's compact listpack into a
 * hashtable (record.ts: parseDevice says why that matters).
 */
function serializeKey(publicKey: DevicePublicKey): string {
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(publicKey.x, "base64url"), Buffer.from(publicKey.y, "base64url")]);
  return ECDH.convertKey(point, "prime256v1", undefined, "base64url", "compressed") as string;
}

function deserializeKey(stored: string): DevicePublicKey | undefined {
  try {
    const point = ECDH.convertKey(stored, "prime256v1", "base64url", undefined, "uncompressed") as Buffer;
    return { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") };
  } catch {
    return undefined;
  }
}
