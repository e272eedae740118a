import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// A header that the app's own front door (server.ts) or proxy writes, and that a
// client must not be able to write for it. The value carries an HMAC under a
// secret that exists only in this process's memory (the runtime's stampSecret),
// made anew at every start, so a copy sent from outside (or an old one) never verifies.

/** A new secret for a process (the composition root makes one). */
export function newStampSecret(): Buffer {
  return randomBytes(32);
}

function mac(secret: Buffer, purpose: string, value: string): Buffer {
  return createHmac("sha256", secret).update(`${purpose}\n${value}`).digest();
}

/** `value;mac`: the purpose is part of the MAC, so one stamped header cannot be replayed as another. */
export function stampValue(secret: Buffer, purpose: string, value: string): string {
  return `${value};${mac(secret, purpose, value).toString("base64url")}`;
}

/** The value when the stamp is this process's for this purpose, else undefined. */
export function verifyStamp(secret: Buffer, purpose: string, stamped: string | null | undefined): string | undefined {
  if (!stamped) return undefined;
  const separator = stamped.lastIndexOf(";");
  if (separator < 0) return undefined;
  const value = stamped.slice(0, separator);
  const given = Buffer.from(stamped.slice(separator + 1), "base64url");
  const expected = mac(secret, purpose, value);
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : undefined;
}
