import { isWellFormedToken } from "../session/token";

// `Authorization: Bearer <token>` (RFC 6750): the scheme is case-insensitive, one
// space, then exactly one token of our shape. Anything else — another scheme, two
// tokens, a huge or non-ASCII value — is malformed and costs no Redis call.

const BEARER = /^Bearer ([^\s]+)$/i;

export function bearerToken(header: string): string | undefined {
  const match = BEARER.exec(header);
  return match && isWellFormedToken(match[1]) ? match[1] : undefined;
}
