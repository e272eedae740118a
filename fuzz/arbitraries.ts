import fc from "fast-check";

// Hostile values as fast-check arbitraries, shared by the property tests of the
// guards (test/*.property.test.ts) and by the HTTP spec that throws them at the
// running app (e2e/hostile-input.spec.ts). Plain random strings almost never come
// near a token or a redirect target, so most of these are aimed: mutated tokens,
// URL-ish strings built from the pieces open redirects are made of, and payloads
// that mean something to Redis, Lua, SQL, HTML or a percent-decoder.

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Any string of up to ~100 characters: printable ASCII, ASCII with control characters, or any code point (lone surrogates included). */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ size: "medium" }),
  fc.string({ unit: "binary-ascii", size: "medium" }),
  fc.string({ unit: "binary", size: "medium" }),
);

/** Exactly what generateToken makes: a 16-byte tag in hex, a dot, 32 bytes of secret in base64url. */
export const canonicalToken: fc.Arbitrary<string> = fc
  .tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 32, maxLength: 32 }))
  .map(([tag, secret]) => `${Buffer.from(tag).toString("hex")}.${Buffer.from(secret).toString("base64url")}`);

/** Characters a mutated token may gain: its own alphabet, standard base64, padding, whitespace, look-alikes. */
const TOKEN_NOISE = [...BASE64URL, "+", "/", "=", ".", "%", "*", " ", "\t", "\n", "\u00a0", "\u00e9", "\u0430", "\uff21", "\u200b", "\u0000"];

/**
 * A canonical token with one edit. Some edits keep it canonical (a character
 * swapped for another of the same alphabet), most do not (one more character, a
 * last character with low bits set, standard base64, an upper-case tag,
 * whitespace around it, a lost dot…).
 */
export const nearToken: fc.Arbitrary<string> = fc
  .tuple(canonicalToken, fc.nat({ max: 76 }), fc.constantFrom(...TOKEN_NOISE), fc.nat({ max: 9 }))
  .map(([token, at, ch, edit]) => {
    switch (edit) {
      case 0:
        return `${token.slice(0, at)}${ch}${token.slice(at + 1)}`;
      case 1:
        return `${token.slice(0, at)}${ch}${token.slice(at)}`;
      case 2:
        return `${token.slice(0, at)}${token.slice(at + 1)}`;
      case 3:
        return `${token.slice(0, -1)}${ch}`;
      case 4:
        return `${token}=`;
      case 5:
        return `${token.slice(0, 33)}${Buffer.from(token.slice(33), "base64url").toString("base64")}`;
      case 6:
        return `${ch}${token}${ch}`;
      case 7:
        return `"${token}"`;
      case 8:
        return token + token;
      default:
        return token.toUpperCase();
    }
  });

/** Payloads that mean something to the layers behind a value: Redis globs, Lua, RESP, SQL, HTML, percent-decoders, CRLF. */
export const PAYLOADS = [
  "*", "?", "[a-z]*", "session:token:*", "session:user:*", "ratelimit:*", "KEYS *", "\\*",
  "redis.call('FLUSHALL')", "]]--", "'); redis.call('FLUSHALL') --", "KEYS[1]", "*1\r\n$8\r\nFLUSHALL\r\n", "\u0000FLUSHALL",
  "' OR '1'='1", "admin'--", "1; DROP TABLE users; --", "' UNION SELECT password_hash FROM users --", "NULL",
  "\"><script>alert(1)</script>", "'><img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "{{7*7}}${7*7}",
  "%", "%zz", "%E0%A4%A", "%ff", "%C0%AF", "%00", "%2525", "%u0041", "%0d%0a", "%0D%0ASet-Cookie:%20evil=1",
  "\r\nSet-Cookie: __Host-session=x", "x\r\nLocation: https://evil.example/", "\r\n\r\nGET /admin HTTP/1.1", "\u2028", "\u0085", "\ufeff",
  "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "/..;/admin", "\u3002", "\uff0f\uff0f", "__proto__", "constructor",
];

/** The part of an HTML payload that must never come back unescaped. */
export const XSS_MARKERS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>"];

/** A payload, alone or with a little base64url around it (so it is not always the whole value). */
export const payload: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...PAYLOADS), fc.string({ unit: fc.constantFrom(...BASE64URL), maxLength: 12 }), fc.boolean())
  .map(([text, around, before]) => (before ? `${around}${text}` : `${text}${around}`));

/**
 * The pieces open redirects are made of: slashes both ways, dot segments (plain
 * and encoded), schemes, userinfo, whitespace. Slashes and dots come often, since
 * it is their order that turns a path into "//host".
 */
const URL_PIECES = [
  ...["/", "/", "/", "/", "//", "//", "\\", "/./", "/../", "./", "../"],
  ...[".", ".", "..", "..", "%2e", "%2E", "%2e%2e", ".%2e", "%2f", "%2F", "%5c", "%5C", "%252f"],
  ...["@", ":", "?", "#", ";", "\t", "\n", "\r", " ", "%09", "%0a", "%00", "\u0000", "\u3002", "\uff0f"],
  ...["evil.example", "evil.example", "localhost", "devices", "a", "javascript:", "http:", "https:", "data:", "file:"],
];

/** URL-ish strings: one to ten pieces, often after a leading "/" (to get past the cheapest check). */
export const urlish: fc.Arbitrary<string> = fc
  .tuple(fc.boolean(), fc.array(fc.constantFrom(...URL_PIECES), { minLength: 1, maxLength: 10 }))
  .map(([slash, pieces]) => `${slash ? "/" : ""}${pieces.join("")}`);

/** A long value (1-16 KiB): header and body limits, and regexes that backtrack. */
export const longString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1024, max: 16 * 1024 }), fc.constantFrom("A", "*", "/", "%2f", "\u00e9", "Bearer "))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/** Any of the above, weighted towards the aimed ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: anyString, weight: 3 },
  { arbitrary: nearToken, weight: 3 },
  { arbitrary: canonicalToken, weight: 1 },
  { arbitrary: payload, weight: 3 },
  { arbitrary: urlish, weight: 3 },
  { arbitrary: longString, weight: 1 },
);
