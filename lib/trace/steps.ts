import type { TracedCommand } from "./storage";

// The "Step" column: which step of the session pattern a command belongs to, in
// plain words. Scripts are named by what they do; a plain command by what it
// does to which kind of key (session hash, user index, rate-limit counter).

const SCRIPT_STEPS: Record<string, string> = {
  validateSession: "check the session and slide its expiry",
  createSession: "create the session",
  indexRead: "list this user's devices (expired ones dropped)",
  revokeSessions: "end the session",
  evictOverCap: "end the least recently active session (over the cap)",
  confirmSession: "record the password confirmation",
  countAttempt: "count a sign-in attempt",
  endReason: "find out why the session ended",
  peekExpiry: "read the session's expiry (without sliding it)",
  renameSession: "rename the device",
  raiseFence: "fence off sign-ins that read the old user row",
  returnAttempt: "give the attempt back (signed in)",
};

type KeyKind = "session" | "index" | "activity" | "login" | "signup" | "other";

function kindOf(key: string | undefined): KeyKind {
  if (!key) return "other";
  if (/^session:\{[^}]*\}:token:/.test(key)) return "session";
  if (/^session:\{[^}]*\}:user:/.test(key)) return "index";
  if (/^session:\{[^}]*\}:activity:/.test(key)) return "activity";
  if (key.startsWith("ratelimit:login:")) return "login";
  if (key.startsWith("ratelimit:signup:")) return "signup";
  return "other";
}

const COMMAND_STEPS: Partial<Record<KeyKind, Record<string, string>>> = {
  session: {
    HGETALL: "read each device's session",
    HMGET: "find the least recently active sessions",
    TYPE: "inspect the session's key",
    OBJECT: "inspect the session's key",
    PTTL: "inspect the session's key",
  },
  index: {
    ZREM: "drop ended sessions from the index",
    DEL: "delete the user's index",
    ZCARD: "inspect the user's index",
    PTTL: "inspect the user's index",
  },
  activity: {
    XADD: "log the event in the user's activity",
    PEXPIRE: "keep the activity log 30 days",
    XREVRANGE: "read the recent activity",
    DEL: "delete the user's activity log",
  },
  login: { DEL: "forgive this browser's failed sign-ins" },
};

export function stepOf(entry: Pick<TracedCommand, "command" | "keys" | "script">): string {
  const kind = kindOf(entry.keys[0]);
  if (entry.script === "countAttempt" && kind === "signup") return "count a sign-up";
  if (entry.script) return SCRIPT_STEPS[entry.script] ?? `run the ${entry.script} script`;
  if (entry.command === "WAIT") return "wait for a replica to have the write";
  if (entry.command === "PING") return "health check";
  if (entry.command === "PUBLISH" || entry.command === "SPUBLISH") return "tell the user's open tabs";
  // A new connection's handshake (RESP3, client name, server info): once per connection, not per request.
  if (["HELLO", "CLIENT", "INFO", "AUTH", "SELECT", "READONLY", "CLUSTER"].includes(entry.command)) return "open the connection (once)";
  return COMMAND_STEPS[kind]?.[entry.command] ?? "other";
}
