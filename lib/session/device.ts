import { UAParser } from "ua-parser-js";

// The devices page needs "Chrome 142 on macOS", not a 110-byte user agent. Storing
// the parsed parts keeps every hash value under 64 bytes, so Redis keeps the
// session in its compact listpack encoding (about half the memory of a hashtable).

export type Device = {
  browser: string;
  os: string;
  /** "desktop", "mobile", "tablet", … ("desktop" when the user agent does not say). */
  type: string;
};

const MAX_FIELD_LENGTH = 48;

const OS_NAMES: Record<string, string> = { "Mac OS": "macOS", "Chromium OS": "ChromeOS" };

function clip(value: string): string {
  return value.length > MAX_FIELD_LENGTH ? value.slice(0, MAX_FIELD_LENGTH) : value;
}

/** Non-browser clients ("curl/8.5.0") are named by their first product token. */
function productToken(userAgent: string): string | undefined {
  const match = /^([A-Za-z][\w.-]*)\/(\d+(?:\.\d+)?)/.exec(userAgent);
  return match ? `${match[1]} ${match[2]}` : undefined;
}

export function parseDevice(userAgent: string | null | undefined): Device {
  const ua = (userAgent ?? "").trim();
  if (!ua) return { browser: "Unknown browser", os: "Unknown OS", type: "desktop" };
  const parsed = new UAParser(ua).getResult();
  const browser = parsed.browser.name
    ? [parsed.browser.name, parsed.browser.version?.split(".")[0]].filter(Boolean).join(" ")
    : (productToken(ua) ?? "Unknown browser");
  const osName = parsed.os.name ? (OS_NAMES[parsed.os.name] ?? parsed.os.name) : "";
  const os = osName ? [osName, parsed.os.version].filter(Boolean).join(" ") : "Unknown OS";
  return { browser: clip(browser), os: clip(os), type: parsed.device.type ?? "desktop" };
}
