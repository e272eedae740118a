import type { HtmlForm } from "./html-form";
import { rawRequest, type OutgoingRequest } from "./raw-http";
import type { Credentials } from "./users";

// What a hostile-input case is: a request (or raw bytes, or a form to load and
// submit), what a right answer to it looks like, and how a value is put on the
// wire (header, path, query) without the test's own client refusing it.

export const SESSION_COOKIE = "__Host-session";
export const PROTECTED_PAGES = ["/", "/devices", "/admin", "/settings"];

/** What the run collected before the cases were drawn. */
export type World = {
  /** http://localhost:<port>, the origin every redirect must stay on. */
  origin: string;
  /** A fresh account whose sign-ins (with hostile `next` values) succeed; never sent a wrong password. */
  signer: Credentials;
  /** A fresh account the cases fail to sign in to (it ends up rate-limited, which is fine). */
  victimEmail: string;
  /** Bearer tokens of live sessions, only ever sent where a token does not belong. */
  realTokens: string[];
  /** Public ids of live sessions: they revoke, they never authenticate. */
  sessionIds: string[];
};

export type Expect = {
  /** The statuses that are right; when absent, anything below 500. */
  statuses?: number[];
  /** A 303 must lead to /login: a protected page asked for without a session. */
  toLogin?: boolean;
  /** A session cookie may never come back, may come back from a sign-up that created an account, or must (the signer). */
  session: "never" | "signup" | "required";
  /** An API answer: a 401 must be exactly {"error":"unauthorized"}. */
  api?: boolean;
  /** The part of an HTML payload that must not come back unescaped. */
  xssMarker?: string;
};

/** A form to load from `page` and submit as a browser does, with `values` typed into it. */
export type FormSubmission = {
  page: string;
  values: Record<string, string>;
  /** Post with this encoding instead of the form's own (a crafted page may). */
  enctype?: HtmlForm["enctype"];
  /** The Origin header of the post; absent for none. */
  origin?: string;
};

type Common = { label: string; expect: Expect; lane?: "signer" };
export type HostileCase = Common & ({ request: OutgoingRequest } | { raw: Buffer } | { form: FormSubmission });

/** The value as the bytes it would be on the wire, one character per byte (UTF-8 when it has characters above U+00FF). */
export function asLatin1(value: string): string {
  return /[^\x00-\xff]/.test(value) ? Buffer.from(value, "utf8").toString("latin1") : value;
}

function percentByte(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** A path or query string Node will send: bytes outside 0x21-0x7e percent-encoded, everything else ("%", "\", "..") left as written. */
export function loosePath(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) out += byte > 0x20 && byte < 0x7f && byte !== 0x23 ? String.fromCharCode(byte) : percentByte(byte);
  return out;
}

/**
 * A request carrying `headers`: through Node's client when it can send them,
 * else as raw bytes (CR, LF, NUL and other controls). The server's HTTP parser
 * refuses most of those (400) and reads some in its own way, so a raw answer is
 * held to what must hold whatever the parser decided: no 5xx, nothing off-site,
 * no session.
 */
export function withHeaders(
  label: string,
  host: string,
  request: { method: string; path: string; headers: Record<string, string>; body?: Buffer },
  expect: Expect,
): HostileCase {
  const headers = Object.entries(request.headers).map(([name, value]): [string, string] => [name, asLatin1(value)]);
  if (headers.every(([, value]) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value))) {
    return { label, request: { ...request, headers: Object.fromEntries(headers) }, expect };
  }
  return { label: `${label} (raw socket)`, raw: rawRequest(host, request.method, request.path, headers, request.body), expect: { session: "never" } };
}

/** A protected page asked for without a valid session: 303 to /login (or 400/431 from the HTTP layer). */
export const TO_LOGIN: Expect = { statuses: [303, 400, 431], toLogin: true, session: "never" };

/** A signed-in API endpoint without valid credentials. */
export function denied(statuses: number[]): Expect {
  return { statuses: [...statuses, 431], session: "never", api: true };
}
