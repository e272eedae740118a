import { activityKey, challengeKey, endedMarkerKey, fenceKey, SCRIPTS, sessionKey, userChannel, userIndexKey, type ScriptName } from "../lib/session";

// THE ONE SOURCE of "which Redis commands does each step send". The table in
// docs/how-it-works.md (written by `npm run docs`), the commands on /how-it-works,
// its sequence diagram and the trace's "Step" column are all made from this file.
// What a script sends is not written here: it is read from the script's own Lua
// (lib/session/scripts.ts). What is written here — which scripts and commands a
// step sends, in which order — test/commands.test.ts checks against the commands
// the app's own code sends to a real Redis, step by step.

/** The kinds of key the app uses, each shown as its template. */
export type KeyKind = "session" | "index" | "fence" | "marker" | "challenge" | "activity" | "channel" | "guesses" | "login" | "signup" | "counter";

const OWNER = { id: 0, uid: "<uid>" };
const withUserId = (key: string): string => key.replace(/:0$/, ":<user_id>");

export const KEY_TEMPLATES: Record<KeyKind, string> = {
  session: sessionKey("<uid>", "<id>"),
  index: withUserId(userIndexKey(OWNER)),
  fence: withUserId(fenceKey(OWNER)),
  marker: endedMarkerKey("<uid>", "<id>"),
  challenge: challengeKey("<uid>", "<challenge hash>"),
  activity: withUserId(activityKey(OWNER)),
  channel: withUserId(userChannel(OWNER)),
  guesses: "session:{<uid>}:guesses:<id>",
  login: "ratelimit:login:<kind>:<digest>",
  signup: "ratelimit:signup:ip:<digest>",
  counter: "<counter>",
};

/** The kind of a key the app sent (undefined for one it does not make). */
export function kindOfKey(key: string | undefined): KeyKind | undefined {
  if (key === undefined) return undefined;
  const session = /^session:\{[^}]*\}:(token|user|fence|ended|challenge|activity|events|guesses):/.exec(key);
  if (session) {
    const kinds = { token: "session", user: "index", fence: "fence", ended: "marker", challenge: "challenge", activity: "activity", events: "channel", guesses: "guesses" } as const;
    return kinds[session[1] as keyof typeof kinds];
  }
  if (key.startsWith("ratelimit:login:")) return "login";
  if (key.startsWith("ratelimit:signup:")) return "signup";
  return undefined;
}

/**
 * Which kind of key each KEYS[…] of a script is, by the index expression its Lua
 * writes (KEYS[1], or KEYS[1 + i] in a loop over n sessions). Typed over every
 * script: a new script does not compile until it is described here.
 */
const SCRIPT_KEYS: Record<ScriptName, Record<string, KeyKind>> = {
  createSession: { "1": "session", "2": "index", "3": "fence" },
  raiseFence: { "1": "fence" },
  validateSession: { "1": "session" },
  indexRead: { "1": "index" },
  revokeSessions: { "1": "index", "1 + i": "session", "1 + n + i": "marker" },
  evictOverCap: { "1": "index", "1 + i": "session", "1 + n + i": "marker" },
  endReason: { "1": "session", "2": "marker" },
  peekExpiry: { "1": "session" },
  renameSession: { "1": "session" },
  confirmSession: { "1": "session" },
  issueChallenge: { "1": "session", "2": "challenge" },
  takeChallenge: { "1": "challenge", "2": "session" },
  setBoundCookie: { "1": "session" },
  countAttempt: { "1": "counter" },
  returnAttempt: { "1": "counter" },
};

/** What each script is for, in the words of the trace's "Step" column. */
export const SCRIPT_PURPOSE: Record<ScriptName, string> = {
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
  issueChallenge: "issue a device-binding challenge",
  takeChallenge: "take the challenge (one use) and read the device's key",
  setBoundCookie: "bind the session to the device's key: store the short-lived cookie's hash",
};

/** A command a script's Lua calls: its name, the KEYS index expression it names (if any), and its other arguments as written. */
export type ScriptCall = { command: string; keyExpression?: string; args: string[] };

/** `redis.call('HSET', KEYS[1], 'a', x)` → { command: "HSET", keyExpression: "1", args: ["a", "…"] }, in the order written, each command and key once. */
export function callsOf(lua: string): ScriptCall[] {
  const calls: ScriptCall[] = [];
  const seen = new Set<string>();
  for (const match of lua.matchAll(/redis\.p?call\(/g)) {
    const [name, ...rest] = splitArguments(lua, (match.index ?? 0) + match[0].length);
    const command = /^['"]([A-Za-z]+)['"]$/.exec(name)?.[1]?.toUpperCase();
    if (!command) continue;
    const key = /^KEYS\[\s*(.+?)\s*\]$/.exec(rest[0] ?? "");
    const args = (key ? rest.slice(1) : rest).map((arg) => /^'([^']*)'$|^"([^"]*)"$/.exec(arg)?.slice(1).find((text) => text !== undefined) ?? "…");
    const call: ScriptCall = { command, keyExpression: key?.[1], args: args.filter((arg, i) => arg !== "…" || args[i - 1] !== "…") };
    const id = `${call.command} ${call.keyExpression ?? ""}`;
    if (seen.has(id)) continue;
    seen.add(id);
    calls.push(call);
  }
  return calls;
}

/** The top-level, comma-separated arguments of a call whose "(" ends just before `start`. */
function splitArguments(text: string, start: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      current += text.slice(i, end + 1);
      i = end;
    } else if ("([{".includes(char)) {
      depth++;
      current += char;
    } else if (")]}".includes(char)) {
      if (depth === 0) break;
      depth--;
      current += char;
    } else if (char === "," && depth === 0) {
      args.push(current.trim());
      current = "";
    } else current += char;
  }
  if (current.trim()) args.push(current.trim());
  return args;
}

/** The kind of key a script's call names, from the script's key table. */
export function keyKindOfCall(script: ScriptName, call: ScriptCall): KeyKind | undefined {
  if (call.keyExpression === undefined) return undefined;
  const kind = SCRIPT_KEYS[script][call.keyExpression];
  if (!kind) throw new Error(`${script}: no key kind for KEYS[${call.keyExpression}] (teaching/commands.ts, SCRIPT_KEYS)`);
  return kind;
}

/**
 * What a script sends, as one line: `GET <fence> + HSET <session> created_at … + PEXPIREAT + …`.
 * A key is named at the first command on it; the commands after it on the same key
 * name none. TIME is left out: every script that needs the time reads Redis's clock.
 */
export function describeScript(script: ScriptName): string {
  let previous: KeyKind | undefined;
  return callsOf(SCRIPTS[script].lua)
    .filter((call) => call.command !== "TIME")
    .map((call) => {
      const kind = keyKindOfCall(script, call);
      const key = kind && kind !== previous ? KEY_TEMPLATES[kind] : undefined;
      previous = kind ?? previous;
      return [call.command, key, ...call.args].filter(Boolean).join(" ");
    })
    .join(" + ");
}

/** The commands a script's Lua sends, each once, without TIME: `["GET", "HSET", "PEXPIREAT", …]`. */
export function scriptCommands(script: ScriptName): string[] {
  return [...new Set(callsOf(SCRIPTS[script].lua).map((call) => call.command))].filter((command) => command !== "TIME");
}

/**
 * What each plain command (not a script) the steps send is for, by command and
 * kind of key: the trace's "Step" column for it, written once however many steps
 * send it (test/teaching/commands.test.ts checks every step's are here).
 */
const PLAIN_COMMANDS = {
  "XADD activity": "log the event in the user's activity",
  "PEXPIRE activity": "keep the activity log (30 days by default)",
  "PUBLISH channel": "tell the user's open tabs",
  "DEL login": "forgive this browser's failed sign-ins",
  "DEL guesses": "forgive this session's failed password proofs",
  "HGETALL session": "read each device's session",
  "ZREM index": "drop ended sessions from the index",
  "XREVRANGE activity": "read the recent activity",
  "TYPE index": "inspect the user's index",
  "OBJECT index": "inspect the user's index",
  "PTTL index": "inspect the user's index",
  "ZCARD index": "inspect the user's index",
  "TYPE session": "inspect the session's key",
  "OBJECT session": "inspect the session's key",
  "PTTL session": "inspect the session's key",
  "HMGET session": "find the least recently active sessions",
  "DEL index": "delete the user's index",
  "DEL activity": "delete the user's activity log",
  "GETDEL challenge": "take the registration challenge (one use)",
} as const;

type PlainCommand = keyof typeof PLAIN_COMMANDS extends `${infer Command} ${string}` ? Command : never;

/**
 * One thing a step sends: a script (EVALSHA), or a plain command on a kind of key
 * (what it is for: PLAIN_COMMANDS). `times` says how often; `when` marks a send that happens
 * only in some cases (the test lets it be absent).
 */
export type Send = ({ script: ScriptName } | { command: PlainCommand; key: KeyKind }) & { times?: string; when?: string };

/** The step ids test/commands.test.ts performs with the app's own code. */
export type StepId =
  | "sign-up"
  | "sign-in"
  | "request"
  | "confirm"
  | "sign-out"
  | "sign-out-others"
  | "devices"
  | "rename"
  | "end-reason"
  | "idle-warning"
  | "over-cap"
  | "password-change"
  | "user-change"
  | "delete-account"
  | "key-inspector"
  | "bind-offer"
  | "bind-register"
  | "bind-refresh";

export type CommandStep = {
  id: StepId;
  title: string;
  /** In the order the code sends them; each script or (command, kind of key) once. */
  sends: Send[];
  /** As the code sends them: commands sent together (a pipeline, or calls awaited together) are one. */
  roundTrips: number;
  /** Said after the number in the docs' table. */
  roundTripsNote?: string;
  /** Said after the commands, in the docs' table. */
  note?: string;
};

const JOURNAL: Send[] = [
  { command: "XADD", key: "activity" },
  { command: "PEXPIRE", key: "activity" },
  { command: "PUBLISH", key: "channel" },
];

export const COMMAND_STEPS: CommandStep[] = [
  {
    id: "sign-in",
    title: "sign in",
    sends: [
      { script: "countAttempt", times: "×3: email+IP, IP, email, sent together" },
      { command: "DEL", key: "login", times: "after the password check, with the two below" },
      { script: "returnAttempt", times: "the IP's and the email's" },
      { script: "createSession" },
      ...JOURNAL,
    ],
    roundTrips: 4,
    note: "The user row is read once, by email. A fence past the version the sign-in read refuses the session: nothing is written.",
  },
  {
    id: "request",
    title: "each request (page view, API call)",
    sends: [{ script: "validateSession" }],
    roundTrips: 1,
    roundTripsNote: "(one key)",
    note: "A malformed token sends nothing. `last_seen_at` is written at most once a minute.",
  },
  {
    id: "sign-up",
    title: "sign up",
    sends: [{ script: "countAttempt", times: "on the sign-up counter, before any hashing" }, { script: "createSession" }, ...JOURNAL],
    roundTrips: 3,
  },
  {
    id: "confirm",
    title: "confirm the password",
    sends: [
      { script: "countAttempt", times: "×3: this session's, this user's (`session:{<uid>}:guesses:…`) and this address's counters, sent together" },
      { command: "DEL", key: "guesses", times: "after the password check, with the two below" },
      { script: "returnAttempt", times: "the user's and the address's" },
      { script: "confirmSession" },
    ],
    roundTrips: 3,
  },
  {
    id: "devices",
    title: "devices page (after the page view's check)",
    sends: [
      { script: "indexRead" },
      { command: "HGETALL", key: "session", times: "each id, one pipeline" },
      { command: "ZREM", key: "index", when: "ids whose hash is gone" },
      ...JOURNAL.map((send) => ({ ...send, when: "an `expired` line for each of them" })),
      { command: "XREVRANGE", key: "activity" },
    ],
    roundTrips: 3,
  },
  {
    id: "key-inspector",
    title: "the key inspector (devices page, `SHOW_REDIS_TRACE` on)",
    sends: [
      { command: "TYPE", key: "index" },
      { command: "OBJECT", key: "index" },
      { command: "PTTL", key: "index" },
      { command: "ZCARD", key: "index" },
      { command: "TYPE", key: "session" },
      { command: "OBJECT", key: "session" },
      { command: "PTTL", key: "session" },
      { command: "HGETALL", key: "session" },
    ],
    roundTrips: 1,
    roundTripsNote: "(one pipeline)",
  },
  {
    id: "rename",
    title: "rename a device",
    sends: [{ script: "renameSession" }, { command: "PUBLISH", key: "channel" }],
    roundTrips: 2,
  },
  {
    id: "idle-warning",
    title: "the idle warning (`GET /api/me/expiry`)",
    sends: [{ script: "peekExpiry" }],
    roundTrips: 1,
    note: "It reads the expiry without sliding it.",
  },
  {
    id: "over-cap",
    title: "a new session past the cap (`SESSION_MAX_PER_USER`)",
    sends: [
      { script: "createSession" },
      ...JOURNAL,
      { script: "indexRead" },
      { command: "HMGET", key: "session", times: "each id, one pipeline" },
      { script: "evictOverCap" },
    ],
    roundTrips: 6,
    roundTripsNote: "(rare; the evicted session's ending is journaled too)",
  },
  {
    id: "sign-out-others",
    title: "sign out other devices / everywhere",
    sends: [{ script: "indexRead" }, { script: "revokeSessions", times: "with every other (or every) id" }, ...JOURNAL],
    roundTrips: 3,
  },
  {
    id: "sign-out",
    title: "sign out / revoke one",
    sends: [{ script: "revokeSessions" }, ...JOURNAL],
    roundTrips: 2,
  },
  {
    id: "end-reason",
    title: "`/login` with a dead cookie",
    sends: [{ script: "endReason" }],
    roundTrips: 1,
    note: "Never for a live page view, never for a malformed cookie.",
  },
  {
    id: "password-change",
    title: "password change",
    sends: [
      { script: "countAttempt", times: "the current password's proof, as confirm" },
      { command: "DEL", key: "guesses" },
      { script: "returnAttempt" },
      { script: "raiseFence" },
      { script: "indexRead" },
      { script: "createSession", times: "this device's new session" },
      { script: "revokeSessions", times: "every other session, and this device's old one" },
      { command: "PUBLISH", key: "channel" },
      { command: "XADD", key: "activity" },
      { command: "PEXPIRE", key: "activity" },
    ],
    roundTrips: 8,
  },
  {
    id: "user-change",
    title: "make / remove admin",
    sends: [{ script: "raiseFence" }, { script: "indexRead" }, { script: "revokeSessions", times: "with every id" }, ...JOURNAL],
    roundTrips: 4,
    note: "A change of privilege ends every session: the new flag counts from the next sign-in.",
  },
  {
    id: "delete-account",
    title: "delete account",
    sends: [
      { script: "raiseFence", times: "to `deleted`" },
      { script: "indexRead" },
      { script: "revokeSessions", times: "with every id" },
      ...JOURNAL,
      { command: "DEL", key: "index" },
      { command: "DEL", key: "activity" },
    ],
    roundTrips: 6,
  },
  {
    id: "bind-offer",
    title: "offer device binding (a browser's sign-in, `SESSION_DEVICE_BOUND` on)",
    sends: [{ script: "issueChallenge", times: "for `Secure-Session-Registration`" }],
    roundTrips: 1,
  },
  {
    id: "bind-register",
    title: "device-binding registration (`POST /api/auth/dbsc/register`)",
    sends: [{ command: "GETDEL", key: "challenge" }, { script: "setBoundCookie" }, ...JOURNAL],
    roundTrips: 3,
    note: "The signed proof is checked before any command: a proof that is not signed by the key it names sends nothing.",
  },
  {
    id: "bind-refresh",
    title: "device-binding refresh (`POST /api/auth/dbsc/refresh`, twice)",
    sends: [{ script: "issueChallenge", times: "the first request: the 403's challenge" }, { script: "takeChallenge", times: "the second, with the proof" }, { script: "setBoundCookie" }],
    roundTrips: 3,
    note: "Once per short-lived cookie (`SESSION_BOUND_COOKIE_TTL`); the per-request check compares that cookie's hash in its one script.",
  },
];

export function commandStep(id: StepId): CommandStep {
  const step = COMMAND_STEPS.find((candidate) => candidate.id === id);
  if (!step) throw new Error(`no step ${id}`);
  return step;
}

/** What the step sends, each with its note: `EVALSHA createSession → GET … + HSET …` or `HGETALL session:{<uid>}:token:<id>`. */
export function describeSends(step: CommandStep): { code: string; times?: string }[] {
  return step.sends.map((send) => ({
    code: "script" in send ? `EVALSHA ${send.script} → ${describeScript(send.script)}` : `${send.command} ${KEY_TEMPLATES[send.key]}`,
    times: [send.times, send.when ? `only for ${send.when}` : undefined].filter(Boolean).join("; ") || undefined,
  }));
}

/** The plain commands' purposes, by command and kind of key, for the trace. */
export function commandPurpose(command: string, kind: KeyKind | undefined): string | undefined {
  return (PLAIN_COMMANDS as Record<string, string>)[`${command} ${kind}`];
}

/** The table in docs/how-it-works.md: step, commands, round trips. */
export function commandsTable(): string {
  const rows = COMMAND_STEPS.map((step) => {
    const sends = describeSends(step).map(({ code, times }) => `\`${code}\`${times ? ` (${times})` : ""}`);
    const commands = [...sends, ...(step.note ? [step.note] : [])].join("; ").replaceAll("|", "\\|");
    const roundTrips = step.id === "request" ? `**${step.roundTrips}**` : String(step.roundTrips);
    return `| ${step.title} | ${commands} | ${roundTrips}${step.roundTripsNote ? ` ${step.roundTripsNote}` : ""} |`;
  });
  return ["| step | commands | round trips |", "| --- | --- | --- |", ...rows].join("\n");
}
