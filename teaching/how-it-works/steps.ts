import type { StepId } from "../commands";

// The pattern in six steps and the choices a copier must keep, each with what
// breaks without it. The commands of each step are not written here: the page
// shows them from teaching/commands.ts (the one list, checked against what the
// code sends), by the ids below; "Redis behind this page" shows them live.

export type Step = { title: string; what: string; commands: StepId[]; code: string[] };

export const STEPS: Step[] = [
  {
    title: "Sign in",
    what: "The attempt is counted before the password is checked (the user row is read once, by email); then a new random token is made, and Redis gets its SHA-256 as the key of a small hash, with a TTL, listed in the user's index. The hash carries what requests need of the user (id, email, admin flag) and the id of the users database.",
    commands: ["sign-in"],
    code: ["app/login/actions.ts", "lib/account/sign-in.ts", "lib/limits/login.ts", "lib/session/index.ts (createSession)"],
  },
  {
    title: "Each request",
    what: "The proxy reads the cookie; a token of the wrong shape costs nothing. Otherwise one script reads the hash, checks that it belongs to this users database and is within its absolute end, and slides the expiry, atomically: one round trip, one key, no query to the users database. The page takes the proxy's answer.",
    commands: ["request"],
    code: ["proxy.ts", "lib/web/handoff.ts", "lib/session/scripts.ts (VALIDATE_SESSION)"],
  },
  {
    title: "Sign out",
    what: "The hash and its index entry go in one step, leaving a short-lived marker of why (so a tab that comes back can be told), then the cookie is cleared: a copied cookie is worth nothing afterwards. The user's other tabs are told at once.",
    commands: ["sign-out"],
    code: ["app/(signed-in)/actions.ts", "lib/session/index.ts (revokeUserSession)", "lib/session/journal.ts", "lib/live/hub.ts"],
  },
  {
    title: "Devices",
    what: "The user's index lists their sessions: no SCAN, no KEYS. Each is read in one pipeline; ended ones are dropped from the index on the way. Revoking one, or all others, is the sign-out script with their ids.",
    commands: ["devices", "sign-out-others"],
    code: ["app/(signed-in)/devices/page.tsx", "lib/session/index.ts (listUserSessions, revokeOtherSessions)"],
  },
  {
    title: "Device-bound sessions",
    what: "A browser with Device Bound Session Credentials (DBSC) answers a sign-in's Secure-Session-Registration with a key pair it cannot export: the public key goes into the session's hash, and from then on every request needs a short-lived cookie too, whose SHA-256 the same one-key check compares. When that cookie ends, the browser holds its requests, signs a one-use challenge kept in Redis, and gets a new one. A thief who copied the cookies has minutes, not hours.",
    commands: ["bind-offer", "bind-register", "bind-refresh"],
    code: ["lib/web/device-binding.ts", "lib/session/binding.ts", "lib/session/scripts.ts (SET_BOUND_COOKIE)"],
  },
  {
    title: "Expiry",
    what: "Nobody deletes an idle session, and no command is sent for it: its TTL (set with PEXPIREAT by createSession and validateSession) runs out and Redis removes the hash. Every check moves the TTL to min(now + idle, the absolute end), so no activity keeps a session past its end. The index forgets it at its next read (indexRead drops entries past their end).",
    commands: [],
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
