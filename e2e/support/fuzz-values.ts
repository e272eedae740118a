import type { Rng } from "./fuzz-rng";

// The value families the fuzz spec throws at the app, and the ways a value is put
// into a header, a URL or a body.

export const FAMILIES = [
  "bytes",
  "long",
  "unicode",
  "crlf",
  "glob",
  "lua",
  "sql",
  "traversal",
  "xss",
  "percent",
  "near-token",
  "unknown-token",
  "session-id",
  "real-token",
] as const;
export type Family = (typeof FAMILIES)[number];

/** What the generator may draw from besides its own randomness: secrets the run collected. */
export type Secrets = {
  /** Public session ids of real sessions (members of session:user:* sets): never credentials. */
  sessionIds: string[];
  /** Bearer tokens of real sessions of other users: only ever sent where a token does not belong. */
  realTokens: string[];
};

export const GLOBS = [
  "*", "?", "**", "*:*", "[a-z]*", "[^a]*", "{a,b}", "\\*", "session:token:*", "session:token:?", "session:user:*", "session:*",
  "ratelimit:*", "ratelimit:login:*", "session:token:[A-Za-z0-9_-]*", "KEYS *", "SCAN 0 MATCH *", "h?llo", "h*llo", "h[ae]llo",
];

export const LUA = [
  "redis.call('FLUSHALL')", "]]--", "--[[", "]]", "'); redis.call('FLUSHALL') --", "\"]] redis.call('KEYS','*') --[[",
  "return redis.call('DEL', KEYS[1])", "KEYS[1]", "ARGV[1]", "local x = 1", "os.exit()", "string.rep('a', 1e9)", "cjson.decode('[')",
  "redis.pcall('CONFIG','SET','dir','/tmp')", "EVAL \"return 1\" 0", "SCRIPT FLUSH", "FLUSHDB", "*1\r\n$8\r\nFLUSHALL\r\n",
  "\r\n*1\r\n$8\r\nFLUSHALL\r\n", "a\r\nFLUSHALL\r\n", "\\0", "\u0000FLUSHALL",
];

export const SQL = [
  "' OR '1'='1", "' OR 1=1 --", "\" OR \"\"=\"", "admin'--", "1; DROP TABLE users; --", "' UNION SELECT password_hash FROM users --",
  "%' --", "'; UPDATE users SET is_admin = 1; --", "1' AND SLEEP(5)#", "\\'; --", "NULL", "0x27", "' OR email LIKE '%", "');--",
];

export const TRAVERSAL = [
  "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2f", "....//....//", "..\\..\\windows\\win.ini", "/..;/admin",
  "/%2e%2e/admin", "/./admin", "/devices/../../admin", "//evil.example", "///evil.example", "////evil.example/x", "/\\evil.example",
  "\\\\evil.example", "\\/evil.example", "/%5Cevil.example", "/%2F%2Fevil.example", "%2F%2Fevil.example", "/.%2F%2Fevil.example",
  "https://evil.example", "https:evil.example", "http:/evil.example", "HTTPS://EVIL.EXAMPLE", "//evil.example/%2e%2e",
  "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "/\t/evil.example", "/ /evil.example", "/%09/evil.example",
  "/%0d%0a/evil.example", "@evil.example", "/@evil.example", "//user@evil.example", ".evil.example", "/login?next=//evil.example",
  "/\u3002evil.example", "//evil\u3002example", "/\uff0f\uff0fevil.example", "//evil%E3%80%82example", "file:///etc/passwd",
  "/%00", "/..", "/.", "..", ".", "/?next=//evil.example", "/#//evil.example", "//localhost@evil.example",
];

export const XSS = [
  "\"><script>alert(1)</script>", "'><img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "<svg/onload=alert(1)>",
  "\"><iframe src=javascript:alert(1)>", "{{7*7}}${7*7}",
];

/** The part of an XSS payload that must never come back verbatim in HTML. */
export const XSS_MARKERS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "<iframe src=javascript:alert(1)>"];

export const PERCENT = [
  "%", "%%", "%zz", "%g0", "%E0%A4%A", "%ff", "%FF%FE", "%C0%AF", "%c0%ae%c0%ae/", "%00", "%2525", "%u0041", "%%32%35", "%e2%80%a8",
  "%0d%0a", "%0D%0ASet-Cookie:%20evil=1", "%3Cscript%3E", "%252F%252Fevil.example", "%41%41%41",
];

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");

/** A well-formed token nobody was ever issued (32 bytes from the seeded generator). */
export function unknownToken(rng: Rng): string {
  return rng.bytes(32).toString("base64url");
}

function randomString(rng: Rng, alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[rng.int(alphabet.length)];
  return out;
}

function codePointFromPools(rng: Rng): string {
  const pools: [number, number][] = [
    [0x00a0, 0x00ff], [0x0100, 0x024f], [0x0300, 0x036f], [0x0400, 0x04ff], [0x0590, 0x05ff], [0x0600, 0x06ff], [0x0e00, 0x0e7f],
    [0x200b, 0x200f], [0x2028, 0x2029], [0x202a, 0x202e], [0x2060, 0x2064], [0x3000, 0x303f], [0x4e00, 0x4fff], [0xd800, 0xdfff],
    [0xfe00, 0xfe0f], [0xfeff, 0xfeff], [0xff01, 0xff5e], [0xfff0, 0xffff], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0xe0000, 0xe007f],
  ];
  const [low, high] = rng.pick(pools);
  return String.fromCodePoint(rng.between(low, high));
}

function unicodeValue(rng: Rng): string {
  const shape = rng.int(5);
  if (shape === 0) {
    // A token look-alike: base64url characters with fullwidth or Cyrillic twins mixed in.
    const twins: Record<string, string> = { A: "\uff21", a: "\u0430", e: "\u0435", o: "\u043e", "0": "\uff10", "-": "\u2010", _: "\uff3f" };
    return Array.from(randomString(rng, BASE64URL, 43), (ch) => (twins[ch] && rng.chance(0.5) ? twins[ch] : ch)).join("");
  }
  if (shape === 1) return "\ufeff" + randomString(rng, BASE64URL, 42); // BOM + 42: 43 UTF-16 units
  if (shape === 2) return "A".repeat(42) + codePointFromPools(rng);
  return Array.from({ length: rng.between(1, 40) }, () => codePointFromPools(rng)).join("");
}

function longValue(rng: Rng): string {
  const length = rng.between(1024, 16 * 1024);
  switch (rng.int(6)) {
    case 0:
      return "A".repeat(length);
    case 1:
      return randomString(rng, BASE64URL, length);
    case 2:
      return randomString(rng, PRINTABLE, length);
    case 3:
      return "*".repeat(length);
    case 4:
      return "\u00e9".repeat(Math.floor(length / 2));
    default:
      return rng.bytes(length).toString("latin1");
  }
}

function crlfValue(rng: Rng): string {
  const token = unknownToken(rng);
  return rng.pick([
    `${token}\r\nSet-Cookie: __Host-session=${token}`,
    `x\r\nLocation: https://evil.example/`,
    `${token}\r\n\r\nGET /admin HTTP/1.1`,
    "\r\n",
    "\n",
    "\r",
    "a\rb",
    "a\nb",
    "\r\n ",
    `${token}\r\nX-Injected: 1`,
    `${token}%0d%0aSet-Cookie:%20evil=1`,
    `${token}\u2028`,
    `${token}\u0085`,
    `\u000d\u000aFLUSHALL`,
    "\u0000",
    `a\u0000${token}`,
    `${token}\t`,
  ]);
}

/** Wraps a payload now and then so it is not always the whole value (prefix, suffix, padded to 43). */
function decorate(rng: Rng, payload: string): string {
  switch (rng.int(5)) {
    case 0:
      return `${randomString(rng, BASE64URL, rng.between(1, 20))}${payload}`;
    case 1:
      return `${payload}${randomString(rng, BASE64URL, rng.between(1, 20))}`;
    case 2:
      return `${"A".repeat(43)}${payload}`.slice(-43); // 43 characters, the payload at the end
    default:
      return payload;
  }
}

/** Last characters that leave low bits set (index % 4 != 0): the 43rd character of 32 bytes never has them. */
const NON_CANONICAL_LAST = [...BASE64URL].filter((_, index) => index % 4 !== 0);

/** Variations on a token that must not work: wrong length, a non-canonical last character, foreign characters… */
function nearToken(rng: Rng, token: string, mayTouchWhitespace: boolean): string {
  const at = rng.int(43);
  const variants = [
    () => token.slice(0, 42),
    () => token + rng.pick([...BASE64URL]),
    () => token.slice(1),
    () => token + token,
    () => `${token}=`,
    () => `${token.slice(0, 42)}${rng.pick(NON_CANONICAL_LAST)}`,
    () => `${token.slice(0, at)}${rng.pick(["+", "/", "=", ".", "~", "*", "?", "!", "$", "\u00e9", "%"])}${token.slice(at + 1)}`,
    () => Buffer.from(token, "base64url").toString("base64"), // standard base64, with padding
    () => `${token.slice(0, 21)}.${token.slice(21)}`,
    () => token.split("").reverse().join(""), // a different well-formed-or-not token
  ];
  const whitespace = [() => `"${token}"`, () => ` ${token}`, () => `${token} `, () => `${token}\u00a0`, () => `\t${token}`];
  return rng.pick(mayTouchWhitespace ? [...variants, ...whitespace] : variants)();
}

/**
 * One value of a family. `real-token` and `session-id` come from the run's
 * secrets; mutations of a real token never add whitespace or quotes (a parser
 * that trims them would see the real token, which is not the point).
 */
export function fuzzValue(family: Family, rng: Rng, secrets: Secrets): string {
  switch (family) {
    case "bytes": {
      const length = rng.chance(0.2) ? 43 : rng.between(0, 80);
      return rng.bytes(length).toString("latin1");
    }
    case "long":
      return longValue(rng);
    case "unicode":
      return unicodeValue(rng);
    case "crlf":
      return crlfValue(rng);
    case "glob":
      return decorate(rng, rng.pick(GLOBS));
    case "lua":
      return decorate(rng, rng.pick(LUA));
    case "sql":
      return decorate(rng, rng.pick(SQL));
    case "traversal":
      return rng.chance(0.85) ? rng.pick(TRAVERSAL) : decorate(rng, rng.pick(TRAVERSAL));
    case "xss":
      return rng.pick(XSS);
    case "percent":
      return decorate(rng, rng.pick(PERCENT));
    case "near-token":
      if (secrets.realTokens.length > 0 && rng.chance(0.4)) return nearToken(rng, rng.pick(secrets.realTokens), false);
      return nearToken(rng, unknownToken(rng), true);
    case "unknown-token":
      return unknownToken(rng);
    case "session-id":
      return secrets.sessionIds.length > 0 ? rng.pick(secrets.sessionIds) : unknownToken(rng);
    case "real-token":
      return secrets.realTokens.length > 0 ? rng.pick(secrets.realTokens) : unknownToken(rng);
  }
}

// ---- Putting a value somewhere ----------------------------------------------

/** Characters Node's HTTP client accepts in a header value. */
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** The value as the bytes it would be on the wire, one character per byte (UTF-8 when it has characters above U+00FF). */
export function asLatin1(value: string): string {
  return /[^\x00-\xff]/.test(value) ? Buffer.from(value, "utf8").toString("latin1") : value;
}

export function headerSafe(latin1: string): boolean {
  return HEADER_SAFE.test(latin1);
}

/** Percent-encodes the bytes a header cannot carry (and "%" itself, so the result decodes back). */
export function percentEncodeControls(latin1: string): string {
  return latin1.replace(/[\x00-\x08\x0a-\x1f\x7f%]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/**
 * A header value: as is when HTTP can carry it; otherwise either percent-encoded
 * (`mode: "header"`) or left for the raw socket (`mode: "raw"`).
 */
export function forHeader(value: string, rng: Rng): { mode: "header" | "raw"; text: string } {
  const wire = asLatin1(value);
  if (headerSafe(wire)) return { mode: "header", text: wire };
  return rng.chance(0.5) ? { mode: "header", text: percentEncodeControls(wire) } : { mode: "raw", text: wire };
}

function percentByte(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * A value for a query string, three ways: strictly percent-encoded (UTF-8),
 * loosely (only what a request line cannot hold; "&", "%", "/" stay as they are),
 * or with the bytes above 0x7e left raw (which the server's HTTP parser refuses).
 */
export function forQuery(value: string, rng: Rng): { encoded: string; strict: boolean; rawHighBytes: boolean } {
  const bytes = Buffer.from(value, "utf8");
  const mode = rng.weighted({ strict: 6, loose: 3, raw: 1 });
  let out = "";
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    if (mode === "strict") out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : percentByte(byte);
    else if (byte <= 0x20 || byte === 0x7f || ch === "#" || (mode === "loose" && byte > 0x7e)) out += percentByte(byte);
    else out += ch;
  }
  return { encoded: out, strict: mode === "strict", rawHighBytes: mode === "raw" && /[\x80-\xff]/.test(out) };
}

/** A path segment: percent-encoded like encodeURIComponent, from the UTF-8 bytes (so lone surrogates do not throw). */
export function forPathSegment(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~!$'()*]/.test(ch) ? ch : percentByte(byte);
  }
  return out;
}

/** application/x-www-form-urlencoded, strictly or leaving bytes that Node can send raw. */
export function forFormUrlEncoded(value: string, rng: Rng): string {
  if (rng.chance(0.7)) return forPathSegment(value);
  return asLatin1(value).replace(/[&=+%\s]/g, (ch) => percentByte(ch.charCodeAt(0)));
}
