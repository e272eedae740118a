import type { Rng } from "./fuzz-rng";
import { FAMILIES, type Family, type Secrets } from "./fuzz-values";
import type { OutgoingRequest } from "./raw-http";
import type { Credentials } from "./users";

// What every fuzz case shares: the world it runs in, what it sends, what a correct
// answer to it looks like, and how it picks its value family.

export const SESSION_COOKIE_NAME = "__Host-session";
export const PROTECTED_PAGES = ["/", "/devices", "/admin", "/settings"] as const;

export type World = {
  /** http://localhost:<port>, the origin every redirect must stay on. */
  origin: string;
  secrets: Secrets;
  /** A fresh account the fuzz may fail to sign in to (it ends up rate-limited, which is fine). */
  victimEmail: string;
  /** A fresh account whose sign-ins succeed, with fuzzed `next` values. Never sent a wrong password. */
  signer: Credentials;
  signInActionId: string;
  /** The hidden fields of the sign-in form, from GET /login. */
  signInHiddenFields: [string, string][];
};

export type Expectation =
  /** A protected page without a valid session: 303 to /login (or a 4xx from the HTTP layer: 400, 431). */
  | { kind: "protected-page" }
  /** A page request the proxy must refuse (a non-GET from another origin): 403. */
  | { kind: "refused-page" }
  /** A fuzzed path, or one with a dot segment: anything but a 5xx (it may resolve to a public page, or be normalized with a redirect). */
  | { kind: "page-any" }
  /** /login or /signup: the page (or a 4xx from the HTTP layer). */
  | { kind: "public-page" }
  /** A signed-in API endpoint without valid credentials: a 4xx, exactly `exact` when known (431 always allowed). */
  | { kind: "api-denied"; exact?: number }
  | { kind: "health" }
  /** POST /api/auth/login without valid credentials: 400, 401 or 429. */
  | { kind: "login-api" }
  /** A form post: anything but a 5xx. */
  | { kind: "form" }
  /** The signer's sign-in with a fuzzed `next`: a redirect (303, or x-action-redirect) on this origin. */
  | { kind: "sign-in" }
  /** The signer's API sign-in with extra fields: 200, and the extra fields change nothing. */
  | { kind: "signer-json" }
  /** Bytes HTTP does not allow: a 4xx from the server's parser. */
  | { kind: "raw-invalid" }
  /** Odd but parseable raw requests (injected header lines, pipelining): anything but a 5xx. */
  | { kind: "raw-any" };

export type FuzzCase = {
  index: number;
  family: Family;
  /** A short label: method, path and where the value went. */
  target: string;
  request?: OutgoingRequest;
  raw?: Buffer;
  expect: Expectation;
  /** Only the signer's own sign-ins may come back with a session. */
  authenticates?: boolean;
  /** Requests of one account's sign-ins, kept few at a time (see the spec). */
  lane?: "signer";
  xssMarker?: string;
};

export type Outcome = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

// ---- Helpers -----------------------------------------------------------------

const COMMON_WEIGHT: Record<Family, number> = {
  bytes: 1.2,
  long: 0.6,
  unicode: 1,
  crlf: 1,
  glob: 1,
  lua: 1,
  sql: 0.8,
  traversal: 1,
  xss: 0.5,
  percent: 1,
  "near-token": 1.5,
  "unknown-token": 1.2,
  "session-id": 1.2,
  "real-token": 1,
};

export function pickFamily(rng: Rng, allowed: readonly Family[], boost: Partial<Record<Family, number>> = {}): Family {
  const weights = {} as Record<Family, number>;
  for (const family of allowed) weights[family] = boost[family] ?? COMMON_WEIGHT[family];
  return rng.weighted(weights);
}

export const ALL_BUT_REAL = FAMILIES.filter((family) => family !== "real-token");

export const WRONG_COOKIE_NAMES = [
  "session", "__Host-Session", "__host-session", "__Secure-session", "__Host-session_", "Host-session", "__Host-sessio", "__Host-session2",
  "___Host-session", "__Host-session.sig", "token", "sid",
];
