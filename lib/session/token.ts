import { createHash, randomBytes } from "node:crypto";

// A token is 32 bytes from the OS CSPRNG (256 bits of secret), base64url: 43
// characters. Only the client ever holds it. Redis stores the SHA-256 of it as the
// session id, so a leaked Redis dump or a log of keys holds nothing that signs in.

const TOKEN_BYTES = 32;
const ENCODED_LENGTH = 43; // ceil(32 * 8 / 6) characters of base64url, no padding
const BASE64URL_43 = /^[A-Za-z0-9_-]{43}$/;

export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

/**
 * True only for the exact shape `generateToken` produces. Anything else (wrong
 * length, other characters, a non-canonical last character) is rejected here,
 * before a single Redis command is sent.
 */
export function isWellFormedToken(value: string | undefined | null): value is string {
  if (typeof value !== "string" || value.length !== ENCODED_LENGTH || !BASE64URL_43.test(value)) {
    return false;
  }
  return Buffer.from(value, "base64url").toString("base64url") === value;
}

/** The session id: SHA-256 of the token, base64url. Also the public id the devices page shows. */
export function sessionIdFromToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** Session ids have the same 43-character shape as tokens (a SHA-256 is 32 bytes too). */
export const isWellFormedSessionId = isWellFormedToken;
