import { describe, expect, it } from "vitest";
import { generateToken, isWellFormedToken, sessionIdFromToken } from "../lib/session";

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

  // Each reject case is a well-formed token changed in one place, so it is the
  // change that is refused, not the length: every case but the first four is
  // exactly as long as a real token (checked below).
  const TAG = "0123456789abcdef0123456789abcdef";
  const VALID = `${TAG}.${"A".repeat(42)}w`;
  const changed = (at: number, text: string): string => VALID.slice(0, at) + text + VALID.slice(at + text.length);
  const SECRET = TAG.length + 1;
  const LAST = VALID.length - 1;
  const LENGTH_CASES = ["empty", "one character short", "one character long", "huge"];

  it("reject cases start from a token that is accepted", () => {
    expect(isWellFormedToken(VALID)).toBe(true);
    expect(VALID).toHaveLength(generateToken().length);
  });

  it.each([
    ["empty", ""],
    ["one character short", VALID.slice(0, -1)],
    ["one character long", `${VALID}A`],
    ["huge", VALID + "A".repeat(100_000)],
    ["a standard base64 character in the secret", changed(SECRET + 5, "+")],
    ["a slash in the secret", changed(SECRET + 5, "/")],
    ["padding at the end", changed(LAST, "=")],
    ["a space in the secret", changed(SECRET + 5, " ")],
    ["a non-ASCII letter in the secret", changed(SECRET + 5, "é")],
    ["a non-canonical last character", changed(LAST, "B")],
    ["a glob character", changed(SECRET + 5, "*")],
    ["an upper-case hex digit in the tag", changed(3, "A")],
    ["a non-hex letter in the tag", changed(3, "g")],
    ["another separator", changed(TAG.length, ":")],
  ])("reject %s", (name, value) => {
    if (!LENGTH_CASES.includes(name)) expect(value, "a same-length case").toHaveLength(VALID.length);
    expect(isWellFormedToken(value)).toBe(false);
  });

  it("reject what is not a string", () => {
    expect(isWellFormedToken(undefined)).toBe(false);
    expect(isWellFormedToken(null)).toBe(false);
  });
});
