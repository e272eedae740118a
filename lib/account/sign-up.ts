import { createUser, type User } from "../db/users";
import { isRedisUnavailable } from "../redis/client";
import { logEvent, type Runtime } from "../runtime";
import { logRef, type ValidSession } from "../session";
import { hashPassword } from "./password";
import { endPreviousSession, startSession, type ClientInfo, type PreviousCredential } from "./sign-in";

export type SignUpResult =
  | { status: "created"; user: User; token: string; session: ValidSession }
  | { status: "email_taken" }
  /** The account exists, but its session could not start (Redis could not serve): the user signs in later. */
  | { status: "created_signed_out" }
  | { status: "rate_limited"; retryAfterSeconds: number };

/**
 * Counts the sign-up against the address's limit before any hashing, creates the
 * user (the unique index decides a race for one email), ends the session the
 * browser held (no fixation) and starts the new user's. The password has passed
 * the policy (credentials.ts) already.
 */
export async function signUpWithPassword(rt: Runtime, email: string, password: string, client: ClientInfo, previous: PreviousCredential = {}): Promise<SignUpResult> {
  const { users, signupLimiter } = rt;
  const verdict = await signupLimiter.attempt(client.ip);
  if (!verdict.allowed) {
    logEvent("sign_up_rate_limited", { ip: client.ip });
    return { status: "rate_limited", retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)) };
  }
  const created = await createUser(users, { email, passwordHash: await hashPassword(password) });
  if (!created.ok) return { status: "email_taken" };
  let started: Awaited<ReturnType<typeof startSession>> | null;
  try {
    await endPreviousSession(rt, previous);
    started = await startSession(rt, created.user, client);
  } catch (error) {
    if (!isRedisUnavailable(error)) throw error;
    started = null;
  }
  // "stale": the brand-new row changed within these milliseconds (an administrator was quicker); the user signs in.
  if (started === null || started.status === "stale") return { status: "created_signed_out" };
  const { token, session } = started;
  logEvent("sign_up", { userId: created.user.id, session: logRef(session.id), ip: client.ip });
  return { status: "created", user: created.user, token, session };
}
