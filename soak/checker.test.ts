import { describe, expect, it } from "vitest";
import { createChecker, INVARIANTS, publicId } from "./checker";
import { soakSettings } from "./settings";

// The soak's checker judges thousands of answers; these cases show it catches
// each kind of broken promise, and lets the expected answers through.

const settings = { ...soakSettings(["--short"]), idleTtlSeconds: 10, absoluteTtlSeconds: 30, marginMs: 1000, graceMs: 2000 };
const T0 = 1_000_000;
const record = (at: number, outcome: "ok" | "refused" | "unavailable" | "server-error" | "no-answer", status: number, instance = "A") => ({ at, ms: 10, action: "api read", instance, outcome, status });

function fresh() {
  const checker = createChecker(settings, T0);
  const session = checker.signedIn("uid.token", "u@example.com", "api", T0, T0 + 50);
  return { checker, session };
}

const brokenNames = (checker: ReturnType<typeof fresh>["checker"]): string[] =>
  checker.violations.map((v) => Object.entries(INVARIANTS).find(([, text]) => v.detail.startsWith(text))?.[0] ?? "?");

describe("the soak's checker", () => {
  it("names a session by the SHA-256 of its token, as the app does", () => {
    expect(publicId("uid.token")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh().session.id).toBe(publicId("uid.token"));
  });

  it("accepts what the model expects: a live session accepted, a revoked one refused", () => {
    const { checker, session } = fresh();
    checker.judge(record(T0 + 1000, "ok", 200), session);
    checker.revoking([session]);
    checker.revoked([session], T0 + 2000);
    checker.judge(record(T0 + 2500, "refused", 401), session);
    expect(checker.violations).toEqual([]);
    expect(checker.checks.revokedStayRevoked).toBe(1);
  });

  it("flags a revoked session accepted by a request that started after the acknowledgement", () => {
    const { checker, session } = fresh();
    checker.revoked([session], T0 + 2000);
    checker.judge(record(T0 + 1500, "ok", 200), session); // started before the ack: no verdict
    checker.judge(record(T0 + 2100, "ok", 200), session);
    expect(brokenNames(checker)).toEqual(["revokedStayRevoked"]);
  });

  it("flags a session accepted after its idle end, and one refused while it must be live", () => {
    const { checker, session } = fresh();
    checker.judge(record(T0 + 12_000, "ok", 200), session); // idle 10 s + margin 1 s after its last touch
    const other = checker.signedIn("uid.other", "u@example.com", "api", T0, T0 + 50);
    checker.judge(record(T0 + 3000, "refused", 401), other); // used 3 s ago: must be live
    expect(brokenNames(checker)).toEqual(["expiredStayExpired", "noLostSignIn"]);
  });

  it("judges nothing between must-be-live and must-be-dead, nor while a revocation is in flight", () => {
    const { checker, session } = fresh();
    checker.judge(record(T0 + 9500, "refused", 401), session); // within the margin of its idle end
    const pending = checker.signedIn("uid.pending", "u@example.com", "api", T0, T0 + 50);
    checker.revoking([pending]);
    checker.judge(record(T0 + 1000, "refused", 401), pending);
    expect(checker.violations).toEqual([]);
  });

  it("allows a 503 inside a fault window and its grace, never a 500, and no answer only from the restarting instance", () => {
    const { checker } = fresh();
    const fault = checker.startFault("app-restart", "restart of B", "B");
    fault.start = T0 + 5000;
    fault.end = T0 + 7000;
    checker.judge(record(T0 + 8000, "no-answer", 0, "B"));
    checker.judge(record(T0 + 8000, "unavailable", 503, "B"));
    expect(checker.violations).toEqual([]);
    checker.judge(record(T0 + 8000, "no-answer", 0, "A")); // the other instance must answer
    checker.judge(record(T0 + 10_000, "unavailable", 503, "B")); // past the grace
    checker.judge(record(T0 + 6000, "server-error", 500, "B")); // a 500 even inside a fault
    expect(brokenNames(checker)).toEqual(["unavailableInFaults", "unavailableInFaults", "no500"]);
  });

  it("compares a user's list with the model: a live session missing and a revoked one listed are both flagged", () => {
    const { checker, session } = fresh();
    const revoked = checker.signedIn("uid.gone", "u@example.com", "api", T0, T0 + 50);
    checker.revoked([revoked], T0 + 500);
    checker.judgeList("u@example.com", new Set([session.id, revoked.id]), T0 + 1000, T0 + 1010);
    checker.judgeList("u@example.com", new Set([]), T0 + 1000, T0 + 1010);
    expect(brokenNames(checker)).toEqual(["listIsTrue", "listIsTrue"]);
  });
});
