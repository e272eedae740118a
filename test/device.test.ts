import { describe, expect, it } from "vitest";
import { parseDevice } from "../lib/session";
import { CHROME_ON_MAC } from "./support/store";

const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

describe("parseDevice", () => {
  it.each([
    [CHROME_ON_MAC, { browser: "Chrome 142", os: "macOS 10.15.7", type: "desktop" }],
    [IPHONE, { browser: "Mobile Safari 17", os: "iOS 17.5", type: "mobile" }],
    [FIREFOX_WINDOWS, { browser: "Firefox 133", os: "Windows 10", type: "desktop" }],
    ["curl/8.5.0", { browser: "curl 8.5", os: "Unknown OS", type: "desktop" }],
    ["", { browser: "Unknown browser", os: "Unknown OS", type: "desktop" }],
  ])("names %s", (ua, expected) => {
    expect(parseDevice(ua)).toEqual(expected);
  });

  it("keeps every part short, whatever the user agent", () => {
    const device = parseDevice(`${"x".repeat(5000)}/1.0 ${"y".repeat(5000)}`);
    for (const value of Object.values(device)) expect(value.length).toBeLessThanOrEqual(48);
  });
});
