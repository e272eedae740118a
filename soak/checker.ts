import { createHash } from "node:crypto";
import type { SoakSettings } from "./settings";

// The soak's independent checker. It keeps its own model of every session the
// virtual users were given — when it was acknowledged, when a request last
// proved it alive, whether its revocation was acknowledged — from what the app
// answered, and nothing else: it imports no app code. Every answer is judged
// against that model and the fault windows:
// - no 500, ever; a 503 (or, for a restarting instance, no answer) only within a
//   fault window and its grace;
// - a session whose revocation was acknowledged, or whose idle or absolute end
//   has passed, is never accepted again (a request started after the ack);
// - a session that must be live (acknowledged, used within the idle timeout
//   minus a margin, no revocation in flight) is never refused: that would be a
//   lost sign-in, the failover case included;
// - a user's list of sessions holds every session that must be live and none
//   that must be dead.

export type Outcome = "ok" | "refused" | "unavailable" | "server-error" | "unexpected" | "no-answer";

export type Session = {
  token: string;
  /** base64url(SHA-256(token)): the public id, computed here, not taken from the app. */
  id: string;
  email: string;
  via: "api" | "browser";
  /** The sign-in request's start: the session's idle and absolute ends are after it plus the TTL. */
  createdStart: number;
  /** The sign-in's acknowledgement: its ends are at most this plus the TTL. */
  createdEnd: number;
  /** The start of the last request it was accepted on (the expiry slid at or after it). */
  lastAcceptedStart: number;
  /** The end of the last request that may have slid its expiry (accepted, or with no clear answer); infinite while a page holds it open. */
  lastTouchedEnd: number;
  /** A revocation (or a password change, a sign-out) is in flight, or came back unclear. */
  revocationPending: boolean;
  revokedAt?: number;
  /** The app refused it (after it could be dead): it is gone, whatever the reason. */
  goneAt?: number;
};

export type Fault = { kind: string; label: string; start: number; end?: number; instance?: string; notes: string[] };

export type Violation = { at: number; invariant: string; detail: string };

export type RequestRecord = { at: number; ms: number; action: string; instance: string; outcome: Outcome; status: number };

export const INVARIANTS = {
  no500: "No 500, ever",
  unavailableInFaults: "503 (or no answer from a restarting instance) only inside a fault window + grace",
  revokedStayRevoked: "A session acknowledged as revoked is never accepted again, on any instance",
  expiredStayExpired: "A session past its idle or absolute end is never accepted",
  noLostSignIn: "No acknowledged sign-in is lost (a session that must be live is never refused), failovers included",
  listIsTrue: "A user's list holds every live session and no dead one",
  indexIsSessions: "At the end: every session hash is in its user's index, every index entry has its hash",
  capHolds: "At the end: no user holds more sessions than SESSION_MAX_PER_USER",
  memoryBack: "Redis key count, shard channels and memory return to their baseline once the TTLs have passed",
  appFlat: "App RSS and event-loop lag p99 stay flat",
} as const;

export type InvariantName = keyof typeof INVARIANTS;

export function publicId(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export function createChecker(settings: SoakSettings, startedAt: number) {
  const idleMs = settings.idleTtlSeconds * 1000;
  const absoluteMs = settings.absoluteTtlSeconds * 1000;
  const sessions = new Map<string, Session>();
  const faults: Fault[] = [];
  const violations: Violation[] = [];
  const requests: RequestRecord[] = [];
  /** How many times each invariant was put to the test (so a verdict never passes on no evidence). */
  const checks = Object.fromEntries(Object.keys(INVARIANTS).map((name) => [name, 0])) as Record<InvariantName, number>;

  const violate = (invariant: InvariantName, detail: string, at = Date.now()): void => {
    violations.push({ at, invariant, detail: `${INVARIANTS[invariant]}: ${detail}` });
  };

  /** Alive for sure over [.., at]: acknowledged, used recently enough, nothing in flight that could end it. */
  function mustBeLive(session: Session, at: number): boolean {
    if (session.revocationPending || session.revokedAt !== undefined || session.goneAt !== undefined) return false;
    return at < session.lastAcceptedStart + idleMs - settings.marginMs && at < session.createdStart + absoluteMs - settings.marginMs;
  }

  /** Why it must be dead at `at` (a request started then must be refused), or undefined. */
  function deadBecause(session: Session, at: number): "revoked" | "expired" | undefined {
    if (session.revokedAt !== undefined && at > session.revokedAt) return "revoked";
    if (at > session.lastTouchedEnd + idleMs + settings.marginMs || at > session.createdEnd + absoluteMs + settings.marginMs) return "expired";
    return undefined;
  }

  /**
   * A fault window (with its grace) that overlaps [start, end]. `instance`: faults
   * of the stores, or of that instance (a restart of the other one does not count).
   * `onlyThatInstance`: a restart of that instance alone (a connection refused).
   */
  function coveringFault(start: number, end: number, instance?: string, onlyThatInstance = false): Fault | undefined {
    return faults.find((fault) => {
      const until = (fault.end ?? Number.POSITIVE_INFINITY) + settings.graceMs;
      if (start > until || end < fault.start) return false;
      if (instance === undefined) return true;
      return fault.instance === instance || (!onlyThatInstance && fault.instance === undefined);
    });
  }

  /**
   * Judges one answer: the outcome classes every invariant but the session ones
   * need. `session`: the session the request carried, if any.
   */
  function judge(record: RequestRecord, session?: Session): void {
    requests.push(record);
    const end = record.at + record.ms;
    const where = `${record.action} on ${record.instance} at ${seconds(record.at)}`;
    checks.no500++;
    if (record.outcome === "server-error") violate("no500", `${record.status} from ${where}`, end);
    if (record.outcome === "unexpected") violate("no500", `unexpected answer ${record.status} from ${where}`, end);
    if (record.outcome === "unavailable") {
      checks.unavailableInFaults++;
      if (!coveringFault(record.at, end, record.instance)) violate("unavailableInFaults", `503 from ${where}, no fault near`, end);
    }
    if (record.outcome === "no-answer") {
      checks.unavailableInFaults++;
      if (!coveringFault(record.at, end, record.instance, true)) violate("unavailableInFaults", `no answer within ${settings.requestTimeoutMs / 1000} s from ${where}`, end);
    }
    if (!session) return;
    if (record.outcome === "ok") {
      const dead = deadBecause(session, record.at);
      if (dead === "revoked") {
        checks.revokedStayRevoked++;
        violate("revokedStayRevoked", `session ${session.id.slice(0, 8)} (revoked at ${seconds(session.revokedAt ?? 0)}) accepted by ${where}`, end);
      } else if (dead === "expired") {
        checks.expiredStayExpired++;
        violate("expiredStayExpired", `session ${session.id.slice(0, 8)} (last touched ${seconds(session.lastTouchedEnd)}) accepted by ${where}`, end);
      }
      session.lastAcceptedStart = Math.max(session.lastAcceptedStart, record.at);
      session.lastTouchedEnd = Math.max(session.lastTouchedEnd, end);
    } else if (record.outcome === "refused") {
      if (session.revokedAt !== undefined) checks.revokedStayRevoked++;
      else if (deadBecause(session, record.at) === "expired") checks.expiredStayExpired++;
      if (mustBeLive(session, end)) {
        checks.noLostSignIn++;
        violate("noLostSignIn", `session ${session.id.slice(0, 8)} (signed in ${seconds(session.createdEnd)}, last accepted ${seconds(session.lastAcceptedStart)}) refused by ${where}`, end);
      }
      session.goneAt ??= end;
    } else {
      // No clear answer: the request may have slid the expiry, or may still (a queued request).
      session.lastTouchedEnd = Math.max(session.lastTouchedEnd, end + (record.outcome === "no-answer" ? settings.requestTimeoutMs : 0));
    }
    if (record.outcome === "ok" && mustBeLive(session, end)) checks.noLostSignIn++;
  }

  return {
    sessions,
    faults,
    violations,
    requests,
    checks,
    violate,
    judge,
    mustBeLive,
    deadBecause,
    coveringFault,
    /** A sign-in the app acknowledged with this token. */
    signedIn(token: string, email: string, via: Session["via"], start: number, end: number): Session {
      const session: Session = { token, id: publicId(token), email, via, createdStart: start, createdEnd: end, lastAcceptedStart: start, lastTouchedEnd: end, revocationPending: false };
      sessions.set(session.id, session);
      return session;
    },
    /** A revocation is about to be asked: until its answer, nothing is certain about these sessions. */
    revoking(targets: Session[]): void {
      for (const session of targets) session.revocationPending = true;
    },
    /** The app acknowledged the revocation: from `at` on, no request may get through with them. */
    revoked(targets: Session[], at: number): void {
      for (const session of targets) {
        session.revokedAt ??= at;
        session.revocationPending = false;
      }
    },
    /** A user's sessions in the model. */
    sessionsOf(email: string): Session[] {
      return [...sessions.values()].filter((session) => session.email === email);
    },
    /** Judges a user's list (ids as the app listed them) against the model, for a list asked at [start, end]. */
    judgeList(email: string, listed: Set<string>, start: number, end: number): void {
      for (const session of sessions.values()) {
        if (session.email !== email) continue;
        if (mustBeLive(session, end) && !listed.has(session.id)) {
          checks.listIsTrue++;
          violate("listIsTrue", `live session ${session.id.slice(0, 8)} missing from ${email}'s list at ${seconds(end)}`, end);
        } else if (deadBecause(session, start) !== undefined && listed.has(session.id)) {
          checks.listIsTrue++;
          violate("listIsTrue", `dead session ${session.id.slice(0, 8)} (${deadBecause(session, start)}) in ${email}'s list at ${seconds(end)}`, end);
        } else checks.listIsTrue++;
      }
    },
    startFault(kind: string, label: string, instance?: string): Fault {
      const fault: Fault = { kind, label, start: Date.now(), instance, notes: [] };
      faults.push(fault);
      return fault;
    },
    seconds,
  };

  function seconds(at: number): string {
    return `${((at - startedAt) / 1000).toFixed(1)} s`;
  }
}

export type Checker = ReturnType<typeof createChecker>;
