import { db } from "../db/client";
import type { User } from "../db/schema";
import { findUserByEmail } from "../db/users";
import { parseDevice } from "../session/device";
import type { ValidSession } from "../session/record";
import { logEvent, logRef } from "../log";
import type { ClientInfo } from "./client-info";
import { checkPassword } from "./password";
import { loginLimiter, sessionStore } from "./session-store";

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
  const verdict = await loginLimiter().attempt(email, client.ip);
  if (!verdict.allowed) {
    logEvent("sign_in_rate_limited", { via: options.via, limit: verdict.limit });
    return { status: "rate_limited", retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)) };
  }
  const user = findUserByEmail(db(), email);
  const ok = await checkPassword(user?.passwordHash, password);
  if (!user || !ok) {
    logEvent("sign_in_failed", { via: options.via });
    return { status: "invalid_credentials" };
  }
  await loginLimiter().succeeded(email, client.ip);
  await endSessionOfToken(options.previousToken);
  const { token, session } = await startSession(user, client);
  logEvent("sign_in", { via: options.via, userId: user.id, session: logRef(session.id) });
  return { status: "signed_in", user, token, session };
}

/** The message both the form and the API give when the limit is reached. */
export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

/** A new session for a user who just proved who they are (sign-in or sign-up). */
export function startSession(user: User, client: ClientInfo): Promise<{ token: string; session: ValidSession }> {
  return sessionStore().createSession({
    userId: user.id,
    isAdmin: user.isAdmin,
    ip: client.ip,
    device: parseDevice(client.userAgent),
  });
}

/** Ends the session a client held before signing in again, so a planted cookie cannot be fixed on the victim. */
export async function endSessionOfToken(token: string | undefined): Promise<void> {
  const previous = await sessionStore().validateSession(token);
  if (previous.status === "valid") {
    await sessionStore().revokeUserSession(previous.session.userId, previous.session.id);
  }
}
