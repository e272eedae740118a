import { db } from "../db/client";
import type { User } from "../db/schema";
import { findUserByEmail } from "../db/users";
import { parseDevice } from "../session/device";
import type { ValidSession } from "../session/record";
import type { ClientInfo } from "./client-info";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { sessionStore } from "./session-store";

export type SignInResult =
  | { status: "signed_in"; user: User; token: string; session: ValidSession }
  // Unknown email and wrong password are one outcome, with one message.
  | { status: "invalid_credentials" };

/** Checks the password, ends the session the client had before (no fixation), starts a new one. */
export async function signInWithPassword(
  email: string,
  password: string,
  client: ClientInfo,
  previousToken?: string,
): Promise<SignInResult> {
  const user = findUserByEmail(db(), email);
  const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  if (!user || !ok) return { status: "invalid_credentials" };
  await endSessionOfToken(previousToken);
  const { token, session } = await startSession(user, client);
  return { status: "signed_in", user, token, session };
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
