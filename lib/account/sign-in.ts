import { findUserByEmail, findUserById, type User } from "../db/users";
import { logEvent, type Runtime } from "../runtime";
import { logRef, ownerOf, parseDevice, type Creation, type ValidSession, type Validation } from "../session";
import { checkPassword } from "./password";

/** Who is at the other end: the client address the front door decided (lib/web/client-address.ts) and the user agent. */
export type ClientInfo = { ip: string; userAgent: string | null };

/** The session a browser held before it signs in (or up) again: its token, and the short-lived cookie if it was device-bound. */
export type PreviousCredential = { token?: string; boundCookie?: string };

export type SignInResult =
  | { status: "signed_in"; user: User; token: string; session: ValidSession }
  // Unknown email and wrong password are one outcome, with one message.
  | { status: "invalid_credentials" }
  | { status: "rate_limited"; retryAfterSeconds: number };

/**
 * Counts the attempt, checks the password, ends the session the client had before
 * (no fixation) and starts a new one. One query to the users database: the
 * lookup by email. `via` only labels the log line.
 */
export async function signInWithPassword(
  rt: Runtime,
  email: string,
  password: string,
  client: ClientInfo,
  options: { previous?: PreviousCredential; via: "form" | "api"; remember?: boolean },
): Promise<SignInResult> {
  const { users, sessions, loginLimiter } = rt;
  const user = await findUserByEmail(users, email);
  const previous = await sessions.validateSession(options.previous?.token, options.previous?.boundCookie); // no Redis call without a cookie
  // A browser already signed in as this user is not locked out by failures that
  // strangers caused from elsewhere (the per-email limit across IPs).
  const holdsSession = user !== undefined && previous.status === "valid" && previous.session.userId === user.id;
  const verdict = await loginLimiter.attempt(email, client.ip, { holdsSession });
  if (!verdict.allowed) {
    logEvent("sign_in_rate_limited", { via: options.via, limit: verdict.limit, ip: client.ip });
    return { status: "rate_limited", retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)) };
  }
  const ok = await checkPassword(user?.passwordHash, password);
  if (!user || !ok) {
    logEvent("sign_in_failed", { via: options.via, ip: client.ip });
    return { status: "invalid_credentials" };
  }
  await loginLimiter.succeeded(email, client.ip, { holdsSession });
  await endSession(rt, previous);
  const started = await startSessionFollowingChanges(rt, user, client, options.remember === true);
  if (!started) {
    logEvent("sign_in_failed", { via: options.via, ip: client.ip, reason: "password_changed_meanwhile" });
    return { status: "invalid_credentials" };
  }
  logEvent("sign_in", { via: options.via, userId: started.user.id, session: logRef(started.session.id), ip: client.ip });
  return { status: "signed_in", user: started.user, token: started.token, session: started.session };
}

/**
 * The user row can change between the lookup and the new session: a password
 * change, a new admin flag, a deletion, each of which then ends the user's
 * sessions. The session store refuses a session for a row older than the user's
 * fence ("stale"), so none can slip in after that sweep. The row is then read
 * again, once: changed password or gone, the sign-in fails as if the password
 * were wrong (it is no longer the password); another change, the session is made
 * from the row as it is now.
 */
async function startSessionFollowingChanges(rt: Runtime, user: User, client: ClientInfo, remember: boolean): Promise<{ user: User; token: string; session: ValidSession } | null> {
  const first = await startSession(rt, user, client, { remember });
  if (first.status === "created") return { user, token: first.token, session: first.session };
  const now = await findUserById(rt.users, user.id);
  if (!now || now.passwordHash !== user.passwordHash) return null;
  const second = await startSession(rt, now, client, { remember });
  return second.status === "created" ? { user: now, token: second.token, session: second.session } : null;
}

/** The message both the form and the API give when the limit is reached. */
export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

/**
 * A new session for a user who just proved who they are (sign-in, sign-up,
 * password change), carrying what requests need of the user. `remember`: "Keep
 * me signed in" was checked (a password change keeps the choice of the session it replaces).
 */
export function startSession(rt: Runtime, user: User, client: ClientInfo, options: { announce?: boolean; remember?: boolean } = {}): Promise<Creation> {
  return rt.sessions.createSession(
    {
      userId: user.id,
      userUid: user.uid,
      email: user.email,
      isAdmin: user.isAdmin,
      sessionVersion: user.sessionVersion,
      ip: client.ip,
      device: parseDevice(client.userAgent),
      remember: options.remember,
    },
    options,
  );
}

/** Ends the session a client held before signing in again, so a planted cookie cannot be fixed on the victim. */
async function endSession(rt: Runtime, previous: Validation): Promise<void> {
  if (previous.status === "valid") await rt.sessions.revokeUserSession(ownerOf(previous.session), previous.session.id, { reason: "replaced" });
}

/** The same, from the credential the browser sent (sign-up). */
export async function endPreviousSession(rt: Runtime, previous: PreviousCredential): Promise<void> {
  await endSession(rt, await rt.sessions.validateSession(previous.token, previous.boundCookie));
}
