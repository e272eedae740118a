// Why a session ended. The ending writes it next to the session (a marker key,
// keys.ts), so a browser that comes back with the dead cookie can be told why
// (the sign-in page), and the live event that reaches its open tabs says the same.

export const END_REASONS = ["revoked", "admin", "signed-out", "expired", "replaced"] as const;

/**
 * revoked: by the user from another device, by a password change, by the device
 *   cap or with the account; admin: by an administrator; signed-out: its own
 *   sign-out; expired: idle or absolute timeout (no marker: Redis expired the key);
 *   replaced: the same browser got a new session (sign-in again, password change).
 */
export type EndReason = (typeof END_REASONS)[number];

/** How an ending is recorded: the reason and, where a user did it, from which device. */
export type Ending = { reason: EndReason; by?: string };

/**
 * How long a marker is kept: long enough for a laptop closed after a revoke and
 * opened the next morning to still say why; after that, the sign-in page says the
 * session expired. One short string per ended session.
 */
export const END_MARKER_TTL_MS = 24 * 60 * 60 * 1000;

export function isEndReason(value: unknown): value is EndReason {
  return typeof value === "string" && (END_REASONS as readonly string[]).includes(value);
}
