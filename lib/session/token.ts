import { createHash, randomBytes } from "node:crypto";

// A token is 32 bytes from the OS CSPRNG (256 bits of secret), base64url: 43
// characters. Only the client ever holds it. Redis stores the SHA-256 of it as the
// session id, so a leaked Redis dump or a log of keys holds nothing that signs in.

const TOKEN_BYTES = 32;
// 32 bytes are 43 base64url characters (no padding). The last one carries only 4
// bits, so its 2 low bits are zero: one of the 16 characters below. Anything else
// is not the canonical encoding of 32 bytes.
const CANONICAL_TOKEN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

/**
 * True only for the exact shape `generateToken` produces. Anything else (wrong
 * length, other characters, a non-canonical last character) is rejected here,
 * before a single Redis command is sent.
 */
export function isWellFormedToken(value: string | undefined | null): value is string {
  return typeof value === "string" && value.length === 43 && CANONICAL_TOKEN.test(value);
}

/** The session id: SHA-256 of the token, base64url. Also the public id the devices page shows. */
export function sessionIdFromToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** Session ids have the same 43-character shape as tokens (a SHA-256 is 32 bytes too). */
export const isWellFormedSessionId = isWellFormedToken;
