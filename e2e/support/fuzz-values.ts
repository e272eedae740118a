import { GLOBS, LUA, PERCENT, SQL, TRAVERSAL, XSS } from "./fuzz-payloads";
import type { Rng } from "./fuzz-rng";

// The value families the fuzz spec throws at the app (the ways a value is put
// into a header, a URL or a body are in fuzz-encoding.ts).

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
