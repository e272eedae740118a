import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateToken, isWellFormedToken, sessionIdFromToken } from "../lib/session/token";

describe("tokens", () => {
  it("are 32 random bytes as 43 characters of base64url", () => {
    const token = generateToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(isWellFormedToken(token)).toBe(true);
  });

  it("do not repeat", () => {
    const tokens = new Set(Array.from({ length: 10_000 }, generateToken));
    expect(tokens.size).toBe(10_000);
  });

  it("are stored as their SHA-256, never as themselves", () => {
    const token = generateToken();
    const id = sessionIdFromToken(token);
    expect(id).toBe(createHash("sha256").update(token).digest("base64url"));
    expect(id).not.toBe(token);
    expect(sessionIdFromToken(id)).not.toBe(id); // an id sent as a token points nowhere
  });

  it.each([
    ["empty", ""],
    ["too short", "a".repeat(42)],
    ["too long", "a".repeat(44)],
    ["huge", "a".repeat(100_000)],
    ["standard base64 characters", `${"a".repeat(41)}+/`],
    ["padding", `${"a".repeat(42)}=`],
    ["spaces", `${"a".repeat(41)} a`],
    ["unicode", `${"a".repeat(41)}é`],
    ["a non-canonical last character", `${"A".repeat(42)}B`],
    ["a glob", `${"a".repeat(42)}*`],
  ])("reject %s", (_name, value) => {
    expect(isWellFormedToken(value)).toBe(false);
  });

  it("reject what is not a string", () => {
    expect(isWellFormedToken(undefined)).toBe(false);
    expect(isWellFormedToken(null)).toBe(false);
  });
});
