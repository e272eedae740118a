import { config } from "../config";
import type { ValidSession } from "../session/record";

// "Sudo mode" (OWASP ASVS 7.5.1/7.5.2): signing out other devices, changing the
// password and deleting the account need a recent proof of the password, so a
// session left open on a shared computer cannot do them. Judged by Redis's clock
// on both sides (authenticated_at and the check's now).

export function isFresh(session: ValidSession): boolean {
  return session.checkedAt - session.authenticatedAt < config().freshAgeMs;
}

/** Where a stale session goes to prove the password, and comes back from. */
export function confirmPath(next: string): string {
  return `/confirm?next=${encodeURIComponent(next)}`;
}
