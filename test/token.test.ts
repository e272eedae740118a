import { describe, expect, it } from "vitest";
import { generateToken, isWellFormedToken, sessionIdFromToken } from "../lib/session/token";

describe("tokens", () => {
  it("are the user's tag and 32 random bytes of base64url: the tag leads to the user's slot, the secret to nothing", () => {
    const tag = "0123456789abcdef0123456789abcdef";
    const token = generateToken(tag);
    expect(token).toMatch(/^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(`${tag}.`)).toBe(true);
    expect(Buffer.from(token.slice(33), "base64url")).toHaveLength(32);
    expect(isWellFormedToken(token)).toBe(true);
    expect(isWellFormedToken(token.slice(33)), "a token of the old layout (no tag)").toBe(false);
    expect(() => generateToken("not-a-tag")).toThrow();
  });

  it("do not repeat", () => {
    const tokens = new Set(Array.from({ length: 10_000 }, generateToken));
    expect(tokens.size).toBe(10_000);
  });

  // Known answers, so the test does not compute SHA-256 the way the code does and
  // agree with itself. Each id was derived once, outside Node, with
  //   printf %s TOKEN | sha256sum | xxd -r -p | base64 | tr '+/' '-_' | tr -d '='
  // and checked against Python's hashlib. "abc" and the 56-character string are
  // the SHA-256 examples of FIPS 180-2 (digests ba7816bf…f20015ad and
  // 248d6a61…19db06c1 in hex): they pin the digest itself, not only its encoding.
  it.each([
    ["abc", "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"],
    ["abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "JI1qYdIGOLjlwCaTDD5gOaM85Flk_yFn9uzt1BnbBsE"],
    ["A".repeat(43), "DwBzhbb51LfusnSGBa_hqYSgo7-j8BTQnip4TOnlzRo"], // 32 zero bytes
    [`${"_".repeat(42)}8`, "Il9-dTKd1FqjVJddc5hzGTCTk686TGczvBNgGk8bh5Y"], // 32 bytes of 0xff
    ["VBygzfITT3W3V3Fid_rpfhSPc0MLcf4iOedeVki5n4Y", "ljTtd347xbh0G-hZm2bXvHHQ--KZXAzZBIEE8CrdaTQ"], // 32 random bytes, as generateToken makes them
  ])("are stored as their SHA-256 in base64url: %s", (token, id) => {
    expect(sessionIdFromToken(token)).toBe(id);
  });

  it("are never stored as themselves", () => {
    const token = generateToken();
    const id = sessionIdFromToken(token);
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
