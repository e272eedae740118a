// The pattern in five steps, with the commands as this app sends them (the
// scripts are in lib/session/scripts.ts; "Redis behind this page" shows them
// live), and the choices a copier must keep, each with what breaks without it.

export type Step = { title: string; what: string; commands: string[]; code: string[] };

export const STEPS: Step[] = [
  {
    title: "Sign in",
    what: "The attempt is counted before the password is checked (the user row is read once, by email); then a new random token is made, and Redis gets its SHA-256 as the key of a small hash, with a TTL, listed in the user's index. The hash carries what requests need of the user (id, email, admin flag) and the id of the users database.",
    commands: [
      "EVALSHA countAttempt → INCR + PEXPIRE ratelimit:login:…   (×3: email+IP, IP, email)",
      "EVALSHA createSession → GET session:{<uid>}:fence:<user_id>   (a change of the user since the lookup: refused)",
      "                      + HSET session:{<uid>}:token:<id> user_id … email … is_admin … users_db … created_at … ends_at … device …",
      "                      + PEXPIREAT session:{<uid>}:token:<id> <now + idle>",
      "                      + ZADD session:{<uid>}:user:<user_id> <ends_at> <id> + PEXPIRE of the index",
    ],
    code: ["app/login/actions.ts", "lib/auth/sign-in.ts", "lib/auth/login-limiter.ts", "lib/session/store.ts (createSession)"],
  },
  {
    title: "Each request",
    what: "The proxy reads the cookie; a token of the wrong shape costs nothing. Otherwise one script reads the hash, checks that it belongs to this users database and is within its absolute end, and slides the expiry, atomically: one round trip, one key, no query to the users database. The page takes the proxy's answer.",
    commands: [
      "EVALSHA validateSession → HMGET session:{<uid>}:token:<id> user_id created_at last_seen_at ends_at users_db email is_admin …",
      "                        + PEXPIREAT … min(now + idle, ends_at)   (+ HSET last_seen_at at most once a minute)",
    ],
    code: ["proxy.ts", "lib/auth/handoff.ts", "lib/session/scripts.ts (VALIDATE_SESSION)"],
  },
  {
    title: "Sign out",
    what: "The hash and its index entry go in one step, leaving a short-lived marker of why (so a tab that comes back can be told), then the cookie is cleared: a copied cookie is worth nothing afterwards. The user's other tabs are told at once.",
    commands: [
      "EVALSHA revokeSessions → HMGET … user_id (it must be the caller's) + DEL session:{<uid>}:token:<id>",
      "                       + SET session:{<uid>}:ended:<id> signed-out PX 86400000 + ZREM session:{<uid>}:user:<user_id> <id>",
      "XADD session:{<uid>}:activity:<user_id> MAXLEN 50 * … + PEXPIRE + PUBLISH session:{<uid>}:events:<user_id> {\"type\":\"ended\",…}",
    ],
    code: ["app/(signed-in)/actions.ts", "lib/session/store.ts (revokeUserSession)", "lib/session/journal.ts", "lib/live/hub.ts"],
  },
  {
    title: "Devices",
    what: "The user's index lists their sessions: no SCAN, no KEYS. Each is read in one pipeline; ended ones are dropped from the index on the way. Revoking one, or all others, is the sign-out script with their ids.",
    commands: [
      "EVALSHA indexRead → ZREMRANGEBYSCORE session:{<uid>}:user:<user_id> -inf <now> + ZRANGE … 0 -1",
      "HGETALL session:{<uid>}:token:<id>   (each id, one pipeline)",
      "ZREM session:{<uid>}:user:<user_id> <ids whose hash is gone>",
    ],
    code: ["app/(signed-in)/devices/page.tsx", "lib/session/store.ts (listUserSessions, revokeOtherSessions)"],
  },
  {
    title: "Expiry",
    what: "Nobody deletes an idle session: its TTL runs out and Redis removes the hash. Every check moves the TTL to min(now + idle, the absolute end), so no activity keeps a session past its end. The index forgets it at its next read.",
    commands: ["(none: the key's TTL, set with PEXPIREAT by createSession and validateSession)", "EVALSHA indexRead → ZREMRANGEBYSCORE of entries past their end"],
    code: ["lib/session/scripts.ts", "lib/session/keys.ts"],
  },
];

export type Choice = { keep: string; why: string };

export const CHOICES: Choice[] = [
  {
    keep: "Hash the token",
    why: "Without it, whoever reads Redis (a leaked backup, a replica, a MONITOR session) holds every user's live token and can sign in as them; with it, Redis holds only SHA-256(token), which opens nothing.",
  },
  {
    keep: "Absolute and idle expiry",
    why: "With only an idle TTL, a session in use never ends, so a stolen cookie works for as long as the thief keeps using it; one rule, min(now + idle, the absolute end), keeps the Redis TTL and the session's end from disagreeing.",
  },
  {
    keep: "One atomic check",
    why: "Reading the hash and sliding its expiry as separate steps lets a revoke fall between them, and a slide that writes the session back (as libraries that save the session after each request do) re-creates the revoked key: the signed-out device is signed in again.",
  },
  {
    keep: "The user in the session, and sessions that follow the user",
    why: "A session store exists so that a request needs nothing else: if every page view also reads the users table (to learn the email or the admin flag), that database is on every request's path again. So the session carries them; in exchange, a change of the user row (password, admin flag, deletion) ends that user's sessions, the database first, then Redis, and a fence in Redis refuses any sign-in that read the row before the change.",
  },
  {
    keep: "An index instead of SCAN",
    why: "Without an index, listing one user's devices means a SCAN over every key of every user; an index kept as a JSON list rewritten whole drifts from the real sessions (entries left after sign-out, updates lost to parallel sign-ins), while a sorted set changed with single ZADD and ZREM commands and pruned on read stays true.",
  },
];
