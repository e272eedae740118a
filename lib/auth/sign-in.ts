import { db } from "../db/client";
import type { User } from "../db/schema";
import { findUserByEmail, findUserById } from "../db/users";
import { parseDevice } from "../session/device";
import { ownerOf } from "../session/keys";
import type { ValidSession } from "../session/record";
import type { Validation } from "../session/store";
import { logEvent, logRef } from "../log";
import type { ClientInfo } from "./client-info";
import { checkPassword } from "./password";
import { loginLimiter, sessionStore } from "./store-instances";

export type SignInResult =
  | { status: "signed_in"; user: User; token: string; session: ValidSession }
  // Unknown email and wrong password are one outcome, with one message.
  | { status: "invalid_credentials" }
  | { status: "rate_limited"; retryAfterSeconds: number };

/**
 * Counts the attempt, checks the password, ends the session the client had before
 * (no fixation) and starts a new one. `via` only labels the log line.
 */
export async function signInWithPassword(
  email: string,
  password: string,
  client: ClientInfo,
  options: { previousToken?: string; via: "form" | "api" },
): Promise<SignInResult> {
  const user = findUserByEmail(db(), email);
  const previous = await sessionStore().validateSession(options.previousToken); // no Redis call without a cookie
  // A browser already signed in as this user is not locked out by failures that
  // strangers caused from elsewhere (the per-email limit across IPs).
  const holdsSession = user !== undefined && previous.status === "valid" && previous.session.userId === user.id;
  const verdict = await loginLimiter().attempt(email, client.ip, { holdsSession });
  if (!verdict.allowed) {
    logEvent("sign_in_rate_limited", { via: options.via, limit: verdict.limit, ip: client.ip });
    return { status: "rate_limited", retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)) };
  }
  const ok = await checkPassword(user?.passwordHash, password);
  if (!user || !ok) {
    logEvent("sign_in_failed", { via: options.via, ip: client.ip });
    return { status: "invalid_credentials" };
  }
  await loginLimiter().succeeded(email, client.ip, { holdsSession });
  await endSession(previous);
  const { token, session } = await startSession(user, client);
  if (!(await passwordUnchanged(user, session))) {
    logEvent("sign_in_failed", { via: options.via, ip: client.ip, reason: "password_changed_meanwhile" });
    return { status: "invalid_credentials" };
  }
  logEvent("sign_in", { via: options.via, userId: user.id, session: logRef(session.id), ip: client.ip });
  return { status: "signed_in", user, token, session };
}

/**
 * A password change stores the new hash, then ends every other session. A sign-in
 * that checked the old hash just before could create its session just after that
 * sweep, and live on with a password that no longer exists. So the hash is read
 * again once the session exists: unchanged, the sweep (if any) comes later and
 * will see this session; changed, this sign-in ends its own session.
 */
async function passwordUnchanged(user: User, session: ValidSession): Promise<boolean> {
  const now = findUserById(db(), user.id);
  if (now && now.passwordHash === user.passwordHash) return true;
  await sessionStore().revokeUserSession(user, session.id);
  return false;
}

/** The message both the form and the API give when the limit is reached. */
export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

/** A new session for a user who just proved who they are (sign-in or sign-up). */
export function startSession(user: User, client: ClientInfo, options: { announce?: boolean } = {}): Promise<{ token: string; session: ValidSession }> {
  return sessionStore().createSession(
    { userId: user.id, userUid: user.uid, ip: client.ip, device: parseDevice(client.userAgent) },
    options,
  );
}

/** Ends the session a client held before signing in again, so a planted cookie cannot be fixed on the victim. */
async function endSession(previous: Validation): Promise<void> {
  if (previous.status === "valid") await sessionStore().revokeUserSession(ownerOf(previous.session), previous.session.id, { reason: "replaced" });
}

/** The same, from the token (sign-up). */
export async function endSessionOfToken(token: string | undefined): Promise<void> {
  await endSession(await sessionStore().validateSession(token));
}
