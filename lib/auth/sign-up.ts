import { db } from "../db/client";
import type { User } from "../db/schema";
import { createUser } from "../db/users";
import { logEvent, logRef } from "../log";
import { unlessOutage } from "../outage";
import type { ValidSession } from "../session/record";
import type { ClientInfo } from "./client-info";
import { hashPassword } from "./password";
import { endSessionOfToken, startSession } from "./sign-in";
import { signupLimiter } from "./store-instances";

export type SignUpResult =
  | { status: "created"; user: User; token: string; session: ValidSession }
  | { status: "email_taken" }
  /** The account exists, but Redis could not start its session: the user signs in later. */
  | { status: "created_signed_out" }
  | { status: "rate_limited"; retryAfterSeconds: number };

/**
 * Counts the sign-up against the address's limit before any hashing, creates the
 * user (the unique index decides a race for one email), ends the session the
 * browser held (no fixation) and starts the new user's. The password has passed
 * the policy (credentials.ts) already.
 */
export async function signUpWithPassword(email: string, password: string, client: ClientInfo, previousToken: string | undefined): Promise<SignUpResult> {
  const verdict = await signupLimiter().attempt(client.ip);
  if (!verdict.allowed) {
    logEvent("sign_up_rate_limited", { ip: client.ip });
    return { status: "rate_limited", retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)) };
  }
  const created = createUser(db(), { email, passwordHash: await hashPassword(password) });
  if (!created.ok) return { status: "email_taken" };
  const started = await unlessOutage(async () => {
    await endSessionOfToken(previousToken);
    return startSession(created.user, client);
  }, () => null);
  if (started === null) return { status: "created_signed_out" };
  const { token, session } = started;
  logEvent("sign_up", { userId: created.user.id, session: logRef(session.id), ip: client.ip });
  return { status: "created", user: created.user, token, session };
}
