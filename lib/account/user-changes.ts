import { isDatabaseUnavailable } from "../db/client";
import { changeUser, clearPendingSessionEnding, deleteUser, findUserById, listPendingSessionEndings, type UserChange } from "../db/users";
import { isRedisUnavailable } from "../redis/client";
import { logEvent, type Runtime } from "../runtime";
import type { SessionStore, SignedIn } from "../session";

// A session carries what requests need of its user (id, email, admin flag), so a
// request never reads the users table. The price: when the row changes, its
// sessions must follow. Every such change (a new password, another admin flag, a
// deletion) goes to the database first, then to Redis:
//
//   1. the database, in one transaction: the change, the row's session_version
//      raised, and a row in pending_session_endings naming the user;
//   2. Redis: the user's fence is raised to that version, so no sign-in that read
//      the old row can start a session from now on; then the sessions end;
//   3. the database: the pending row goes.
//
// If Redis fails at step 2, the pending row stays, and the user's sessions are
// ended (all of them, not updated) as soon as Redis answers again: this process
// tries every second until it succeeds, and every process tries at its start and
// whenever its Redis connection comes back. A session therefore never keeps
// rights its user row no longer gives once Redis serves requests again.

const RETRY_EVERY_MS = 1000;

/**
 * Steps 2 and 3 of a change the database has made: raise the fence, then
 * `endSessions`. "pending" when Redis failed in between: the ending is left to
 * settlePendingEndings.
 */
export async function followChange<T>(rt: Runtime, change: UserChange, endSessions: (sessions: SessionStore) => Promise<T>): Promise<T | "pending"> {
  const { users, sessions } = rt;
  let result: T;
  try {
    await sessions.raiseFence(change.user, change.sessionVersion ?? "deleted");
    result = await endSessions(sessions);
  } catch (error) {
    if (!isRedisUnavailable(error)) throw error;
    logEvent("session_ending_pending", { userId: change.user.id });
    settleSoon(rt);
    return "pending";
  }
  try {
    await clearPendingSessionEnding(users, change.pendingId);
  } catch (error) {
    // The sessions have followed; a record left behind only means the user's sessions
    // are ended once more later (at worst, one more sign-in for them).
    if (!isRedisUnavailable(error) && !isDatabaseUnavailable(error)) throw error;
    settleSoon(rt);
  }
  return result;
}

/**
 * Ends the sessions of every change a Redis failure left pending; returns how
 * many it settled. Each user row is read as it is now: still there, the fence
 * takes its current version and every session ends; gone, the fence says
 * "deleted" and the index and the activity log go too.
 */
export async function settlePendingEndings(rt: Runtime): Promise<number> {
  const { users, sessions } = rt;
  const pending = await listPendingSessionEndings(users);
  for (const entry of pending) {
    const owner = { id: entry.userId, uid: entry.userUid };
    const row = await findUserById(users, entry.userId);
    const user = row && row.uid === entry.userUid ? row : undefined;
    await sessions.raiseFence(owner, user ? user.sessionVersion : "deleted");
    const ended = user ? await sessions.revokeAllUserSessions(owner, { reason: "revoked" }) : await sessions.forgetUser(owner);
    await clearPendingSessionEnding(users, entry.id);
    logEvent("session_ending_settled", { userId: entry.userId, sessionsEnded: ended });
  }
  return pending.length;
}

/** Tries settlePendingEndings every second until it succeeds (one retry loop per process: rt.pendingEndings). */
export function settleSoon(rt: Runtime): void {
  if (rt.pendingEndings.retrying) return;
  rt.pendingEndings.retrying = true;
  const attempt = (): void => {
    settlePendingEndings(rt).then(
      () => void (rt.pendingEndings.retrying = false),
      (error: unknown) => {
        if (!isRedisUnavailable(error) && !isDatabaseUnavailable(error)) logEvent("session_ending_failed", { message: error instanceof Error ? error.message : String(error) });
        setTimeout(attempt, RETRY_EVERY_MS).unref();
      },
    );
  };
  setTimeout(attempt, RETRY_EVERY_MS).unref();
}

/**
 * At the start of a process (the composition root calls it once): settles what
 * an earlier failure left (possibly in another process), and again whenever the
 * Redis connection comes back.
 */
export function watchPendingEndings(rt: Runtime): void {
  const settleNow = (): void => {
    if (rt.pendingEndings.retrying) return; // a retry loop is on it
    settlePendingEndings(rt).catch(() => settleSoon(rt));
  };
  rt.redis.on("ready", settleNow);
  settleNow();
}

export type AdminFlagChange = { status: "changed"; email: string; sessionsEnded: number | "pending" } | { status: "not_found" };

/**
 * An administrator grants or takes back the admin flag. The user's sessions end
 * (OWASP: a new session after any change of privilege), so the new flag counts
 * from their next sign-in, and an old session cannot keep rights it lost.
 */
export async function setAdminFlag(rt: Runtime, userId: number, isAdmin: boolean): Promise<AdminFlagChange> {
  const change = await changeUser(rt.users, userId, { isAdmin });
  if (!change) return { status: "not_found" };
  const sessionsEnded = await followChange(rt, change, (sessions) => sessions.revokeAllUserSessions(change.user, { reason: "admin" }));
  logEvent("admin_flag_changed", { userId, isAdmin, sessionsEnded: String(sessionsEnded) });
  return { status: "changed", email: change.user.email, sessionsEnded };
}

/**
 * Deletes the account (ASVS 7.4.2): the user row first (with a record that its
 * sessions are to end, in the same transaction), then the fence ("deleted": no
 * sign-in that read the row can start a session now), every session, the index
 * and the activity log (user-changes.ts). Returns how many sessions ended, or
 * "pending" when Redis failed after the row was gone: they end as soon as it answers.
 */
export async function deleteAccount(rt: Runtime, { user }: SignedIn): Promise<number | "pending"> {
  const change = await deleteUser(rt.users, user.id);
  if (!change) return 0; // deleted meanwhile (another tab): its sessions were ended with it
  const ended = await followChange(rt, change, (sessions) => sessions.forgetUser(change.user));
  logEvent("account_deleted", { userId: user.id, sessionsEnded: String(ended) });
  return ended;
}
