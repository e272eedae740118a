// An independent judge of the token shape, written without the app's regex. A
// token is `<tag>.<secret>`: the tag is 16 bytes in lower-case hex, the secret the
// canonical base64url of 32 bytes. Node's decoders are lenient (hex stops at the
// first bad pair, base64url skips characters it does not know and takes "+", "/"
// and padding), so each part is canonical exactly when it decodes to 16 or 32
// bytes and encodes back to itself.

export function isCanonicalToken(value: string): boolean {
  const dot = value.indexOf(".");
  if (dot < 0) return false;
  const [tag, secret] = [value.slice(0, dot), value.slice(dot + 1)];
  const tagBytes = Buffer.from(tag, "hex");
  const secretBytes = Buffer.from(secret, "base64url");
  return tagBytes.length === 16 && tagBytes.toString("hex") === tag && secretBytes.length === 32 && secretBytes.toString("base64url") === secret;
}
