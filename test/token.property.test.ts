import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateToken, isWellFormedToken } from "../lib/session";
import { anyString, canonicalToken, hostileString, nearToken } from "../fuzz/arbitraries";
import { holds, REPLAY } from "../fuzz/seed";
import { isCanonicalToken } from "./support/token-oracle";

// isWellFormedToken is the gate in front of Redis: what it accepts costs a round
// trip, what it refuses costs nothing. It must accept exactly what generateToken
// makes, and nothing else.

describe(`isWellFormedToken (${REPLAY})`, () => {
  it("accepts any 16-byte tag and 32-byte secret in their canonical encodings", () => {
    holds(fc.property(canonicalToken, (token) => isWellFormedToken(token)));
  });

  it("accepts what generateToken makes", () => {
    holds(fc.property(fc.constant(null), () => isWellFormedToken(generateToken())));
  });

  it("agrees with a hex and base64url round trip on one-edit variations of a token", () => {
    holds(
      fc.property(nearToken, (value) => {
        expect(isWellFormedToken(value), JSON.stringify(value)).toBe(isCanonicalToken(value));
      }),
    );
  });

  it("agrees with a hex and base64url round trip on any string", () => {
    holds(
      fc.property(fc.oneof(anyString, hostileString), (value) => {
        expect(isWellFormedToken(value), JSON.stringify(value)).toBe(isCanonicalToken(value));
      }),
    );
  });
});
