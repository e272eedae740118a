import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { safeNextPath } from "../lib/web/safe-next";

// Whatever `next` says, the browser must stay on the site once it follows the
// path safeNextPath hands back: checked against a corpus of known open-redirect
// payloads, resolved the way a browser would, on two different origins.

const BUG_PAYLOADS = ["/.//evil.example/", "/%2e//evil.example/", "/a/..//evil.example/"];
const ORIGINS = ["https://app.example", "http://localhost:3000"];

const ESCAPES: Record<string, string> = { t: "\t", n: "\n", r: "\r" };

/** The corpus cannot hold raw control characters: \t, \n, \r and \u{HEX} stand for them. */
function decode(line: string): string {
  return line.replace(/\\(?:([tnr])|u\{([0-9a-fA-F]{1,6})\})/g, (_escape, letter: string | undefined, hex: string | undefined) =>
    letter !== undefined ? ESCAPES[letter] : String.fromCodePoint(parseInt(hex ?? "", 16)),
  );
}

const PAYLOADS = readFileSync(new URL("./fixtures/open-redirect-payloads.txt", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line !== "" && !line.startsWith("# ") && line !== "#")
  .map(decode);

describe("the open-redirect corpus", () => {
  it("is large and holds the payloads from the bug", () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(200);
    for (const payload of BUG_PAYLOADS) expect(PAYLOADS).toContain(payload);
  });

  it("decodes its escapes", () => {
    expect(PAYLOADS).toContain("/\t/evil.example");
    expect(PAYLOADS).toContain("/\r\n/evil.example");
    expect(PAYLOADS).toContain("/\u0000/evil.example");
    expect(PAYLOADS).toContain(" //evil.example");
    expect(PAYLOADS).toContain("/\\evil.example");
  });
});

describe("safeNextPath", () => {
  it.each(PAYLOADS.map((payload) => [payload]))("keeps %j on the site", (payload) => {
    const result = safeNextPath(payload);
    expect(result.startsWith("/")).toBe(true);
    expect(result.startsWith("//")).toBe(false);
    expect(result.startsWith("/\\")).toBe(false);
    for (const origin of ORIGINS) expect(new URL(result, origin).origin).toBe(origin);
    // What comes back is already final: judging it again changes nothing.
    expect(safeNextPath(result)).toBe(result);
  });

  it.each(BUG_PAYLOADS.map((payload) => [payload]))("sends %j home", (payload) => {
    expect(safeNextPath(payload)).toBe("/");
  });

  it.each([
    ["/devices", "/devices"],
    ["/devices?tab=1#top", "/devices?tab=1#top"],
    ["/a/../admin", "/admin"],
    ["/", "/"],
    ["/admin/sessions?page=2&sort=desc", "/admin/sessions?page=2&sort=desc"],
    ["/settings#password", "/settings#password"],
    ["/./devices", "/devices"],
    ["/devices/", "/devices/"],
    ["/devices?next=%2F%2Fevil.example", "/devices?next=%2F%2Fevil.example"],
    ["/devices%2F%2Fx", "/devices%2F%2Fx"],
    ["/café", "/caf%C3%A9"],
    ["/search?q=a b", "/search?q=a%20b"],
  ])("keeps the same-site path %j as %j", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    [undefined],
    [null],
    [""],
    ["devices"],
    ["//evil.example"],
    ["//evil.example/devices"],
    ["/\\evil.example"],
    ["\\\\evil.example"],
    ["https://evil.example"],
    ["javascript:alert(1)"],
    ["/\tevil"],
    ["/\r\nSet-Cookie:x=1"],
    [`/${"a".repeat(3000)}`],
  ])("sends %j home instead", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });
});
