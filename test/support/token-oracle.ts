// An independent judge of the token shape, written without the app's regex:
// Node's base64url decoder is lenient (it skips characters it does not know,
// takes "+", "/" and padding), so a string is the canonical encoding of 32 bytes
// exactly when it decodes to 32 bytes and encodes back to itself.

export function isCanonicalTokenOf32Bytes(value: string): boolean {
  const bytes = Buffer.from(value, "base64url");
  return bytes.length === 32 && bytes.toString("base64url") === value;
}
