import { findUserById } from "../db/users";
import { logEvent, type Runtime } from "../runtime";
import type { SignedIn } from "../session";
import { verifyPassword } from "./password";
import type { ClientInfo } from "./sign-in";

// A signed-in user proving the password again: to confirm a stale session ("sudo
// mode"), to change the password, to delete the account. The session does not
// carry the password hash, so this reads it from the users database (one query).
// Guesses are counted per session and per user whatever the address, and per
// address (lib/limits/login.ts): a stolen session gets no more guesses than a
// stranger, however many addresses it comes from.

export type OwnPasswordCheck = { status: "ok" } | { status: "wrong_password" } | { status: "rate_limited"; retryAfterSeconds: number };

export async function checkOwnPassword(rt: Runtime, { user, session }: SignedIn, password: string, client: ClientInfo, purpose: string): Promise<OwnPasswordCheck> {
  const { users, loginLimiter } = rt;
  const verdict = await loginLimiter.attemptOwnPassword(user, session.id, client.ip);
  if (!verdict.allowed) {
    logEvent("password_check_rate_limited", { userId: user.id, purpose, limit: verdict.limit, ip: client.ip });
    return { status: "rate_limited", retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)) };
  }
  // A row that is gone (or another row under this id) has no password this one can prove; its sessions are being ended.
  const row = await findUserById(users, user.id);
  const stored = row && row.uid === user.uid ? row.passwordHash : undefined;
  if (!stored || !(await verifyPassword(stored, password))) {
    logEvent("password_check_failed", { userId: user.id, purpose, ip: client.ip });
    return { status: "wrong_password" };
  }
  await loginLimiter.ownPasswordSucceeded(user, session.id, client.ip);
  return { status: "ok" };
}

export type ConfirmResult = Exclude<OwnPasswordCheck, { status: "ok" }> | { status: "confirmed"; authenticatedAt: number } | { status: "ended" };

/** "Confirm your password": the session's authenticated_at becomes now, so sensitive actions are one click again. */
export async function confirmPassword(rt: Runtime, current: SignedIn, password: string, client: ClientInfo): Promise<ConfirmResult> {
  const check = await checkOwnPassword(rt, current, password, client, "confirm");
  if (check.status !== "ok") return check;
  const authenticatedAt = await rt.sessions.confirmSession(current.session);
  if (authenticatedAt === null) return { status: "ended" };
  logEvent("password_confirmed", { userId: current.user.id });
  return { status: "confirmed", authenticatedAt };
}
