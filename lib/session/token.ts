import { createHash, randomBytes } from "node:crypto";

// A token is `<user tag>.<secret>`. The secret is 32 bytes from the OS CSPRNG
// (256 bits), base64url: 43 characters. The tag is the user row's random uid (32
// hex characters): it names no one, it is no secret, and it lets the token lead
// straight to the user's hash slot, so every key of one user shares one Redis
// Cluster slot and the per-request check stays one key, one round trip. Only the
// client ever holds the token. Redis stores the SHA-256 of it as the session id,
// so a leaked Redis dump or a log of keys holds nothing that signs in.

const SECRET_BYTES = 32;
const TAG = /^[0-9a-f]{32}$/;
// 32 bytes are 43 base64url characters (no padding). The last one carries only 4
// bits, so its 2 low bits are zero: one of the 16 characters below. Anything else
// is not the canonical encoding of 32 bytes.
const CANONICAL_SECRET = "[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]";
const CANONICAL_TOKEN = new RegExp(`^[0-9a-f]{32}\\.${CANONICAL_SECRET}$`);
const SESSION_ID = new RegExp(`^${CANONICAL_SECRET}$`);
const TOKEN_LENGTH = 32 + 1 + 43;

/** A user tag: what users.uid holds (16 random bytes, hex). */
export function newUserTag(): string {
  return randomBytes(16).toString("hex");
}

export function isUserTag(value: string): boolean {
  return TAG.test(value);
}

/** A new token for the user whose tag is given (a random tag where none is: a token of nobody, for tests and benchmarks). */
export function generateToken(tag: string = newUserTag()): string {
  if (!isUserTag(tag)) throw new Error("generateToken: the user tag must be 32 hex characters");
  return `${tag}.${randomBytes(SECRET_BYTES).toString("base64url")}`;
}

/**
 * True only for the exact shape `generateToken` produces. Anything else (wrong
 * length, other characters, a non-canonical last character) is rejected here,
 * before a single Redis command is sent.
 */
export function isWellFormedToken(value: string | undefined | null): value is string {
  return typeof value === "string" && value.length === TOKEN_LENGTH && CANONICAL_TOKEN.test(value);
}

/** The user tag a well-formed token carries. */
export function tagOfToken(token: string): string {
  return token.slice(0, 32);
}

/** The session id: SHA-256 of the whole token, base64url. Also the public id the devices page shows. */
export function sessionIdFromToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** Session ids are 43 base64url characters (a SHA-256 is 32 bytes). They revoke, they never authenticate. */
export function isWellFormedSessionId(value: string | undefined | null): value is string {
  return typeof value === "string" && value.length === 43 && SESSION_ID.test(value);
}
