// Key names as the trace and the key inspector show them. Session ids (SHA-256 of
// a token's secret), user tags and the hashes in rate-limit keys are long runs of
// hex or base64url: each is cut to its first 8 characters, as the log does with
// session ids (lib/log.ts logRef). Enough to match a row on the devices page, far
// too little to be anything's hash.

const LONG_ID = /[A-Za-z0-9_-]{16,}/g;

/** `session:{0f3c…32 hex}:token:<43 chars>` → `session:{0f3c9a1b…}:token:Xy3kPq9a…`. */
export function shortenKey(key: string): string {
  return key.replace(LONG_ID, (id) => `${id.slice(0, 8)}…`);
}
