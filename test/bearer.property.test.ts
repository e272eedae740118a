import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bearerToken } from "../lib/web/credential";
import { anyString, canonicalToken, hostileString, nearToken } from "../fuzz/arbitraries";
import { holds, REPLAY } from "../fuzz/seed";
import { isCanonicalToken } from "./support/token-oracle";

// `Authorization: Bearer <token>`: the scheme in any case, exactly one space, one
// canonical token, nothing before or after. Everything else is malformed, and a
// malformed header must never reach Redis.

/** The contract written out independently of the app's regex. */
function expected(header: string): string | undefined {
  const scheme = header.slice(0, 6);
  const token = header.slice(7);
  return scheme.toLowerCase() === "bearer" && /^[a-z]+$/i.test(scheme) && header[6] === " " && isCanonicalToken(token) ? token : undefined;
}

const scheme = fc.oneof(
  fc.mixedCase(fc.constant("bearer")),
  fc.constantFrom("Basic", "Token", "Digest", "Bearer:", "Bearer=", "Bearer-Token", "Beare", "Bearerr", "B\u0435arer", "\uff22earer", "BEARER\u0000"),
);
const separator = fc.constantFrom(" ", " ", "", "  ", "\t", "\n", "\r\n", " \t", "\u00a0", "\u2003", "\u3000", ",", ":");
const credential = fc.oneof(canonicalToken, nearToken, hostileString);
const whitespace = fc.constantFrom("", "", " ", "\t", "\n", "\r\n", "\u00a0", "\u200b", "\ufeff");

/** Headers of the shape `<ws><scheme><separator><credential><ws>`, and now and then a second credential. */
const structuredHeader = fc
  .tuple(whitespace, scheme, separator, credential, fc.option(fc.tuple(separator, credential)), whitespace)
  .map(([before, name, sep, value, second, after]) => `${before}${name}${sep}${value}${second ? second.join("") : ""}${after}`);

describe(`bearerToken (${REPLAY})`, () => {
  it("returns the token of `Bearer <token>` with the scheme in any case", () => {
    holds(fc.property(fc.mixedCase(fc.constant("bearer")), canonicalToken, (name, token) => bearerToken(`${name} ${token}`) === token));
  });

  it("returns nothing for two tokens, or for one with whitespace other than a single space", () => {
    const ws = fc.constantFrom(" ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "  ");
    holds(
      fc.property(canonicalToken, canonicalToken, ws, fc.nat({ max: 3 }), (token, other, space, shape) => {
        const wide = space === " " ? "  " : space;
        const header = [`Bearer ${token}${space}${other}`, `Bearer${wide}${token}`, `${space}Bearer ${token}`, `Bearer ${token}${space}`][shape];
        expect(bearerToken(header), JSON.stringify(header)).toBeUndefined();
      }),
    );
  });

  it("agrees with the contract on scheme/separator/credential combinations", () => {
    holds(
      fc.property(structuredHeader, (header) => {
        expect(bearerToken(header), JSON.stringify(header)).toBe(expected(header));
      }),
    );
  });

  it("agrees with the contract on any string", () => {
    holds(
      fc.property(fc.oneof(anyString, hostileString, hostileString.map((value) => `Bearer ${value}`)), (header) => {
        expect(bearerToken(header), JSON.stringify(header)).toBe(expected(header));
      }),
    );
  });
});
