import { describe, expect, it } from "vitest";
import { safeNextPath } from "../lib/auth/safe-next";

describe("safeNextPath", () => {
  it.each([
    ["/devices", "/devices"],
    ["/devices?tab=1#top", "/devices?tab=1#top"],
    ["/a/../admin", "/admin"],
  ])("keeps the same-site path %s", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    [undefined],
    [""],
    ["devices"],
    ["//evil.example"],
    ["//evil.example/devices"],
    ["/\\evil.example"],
    ["\\\\evil.example"],
    ["https://evil.example"],
    ["javascript:alert(1)"],
    ["/\tevil"],
    ["/%0d%0aSet-Cookie:x=1".replace("%0d%0a", "\r\n")],
    [`/${"a".repeat(3000)}`],
  ])("sends %j home instead", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });
});
