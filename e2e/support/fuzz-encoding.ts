import type { Rng } from "./fuzz-rng";

// The ways a value is put into a header, a URL or a body.

// ---- Putting a value somewhere ----------------------------------------------

/** Characters Node's HTTP client accepts in a header value. */
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** The value as the bytes it would be on the wire, one character per byte (UTF-8 when it has characters above U+00FF). */
export function asLatin1(value: string): string {
  return /[^\x00-\xff]/.test(value) ? Buffer.from(value, "utf8").toString("latin1") : value;
}

export function headerSafe(latin1: string): boolean {
  return HEADER_SAFE.test(latin1);
}

/** Percent-encodes the bytes a header cannot carry (and "%" itself, so the result decodes back). */
export function percentEncodeControls(latin1: string): string {
  return latin1.replace(/[\x00-\x08\x0a-\x1f\x7f%]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/**
 * A header value: as is when HTTP can carry it; otherwise either percent-encoded
 * (`mode: "header"`) or left for the raw socket (`mode: "raw"`).
 */
export function forHeader(value: string, rng: Rng): { mode: "header" | "raw"; text: string } {
  const wire = asLatin1(value);
  if (headerSafe(wire)) return { mode: "header", text: wire };
  return rng.chance(0.5) ? { mode: "header", text: percentEncodeControls(wire) } : { mode: "raw", text: wire };
}

function percentByte(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * A value for a query string, three ways: strictly percent-encoded (UTF-8),
 * loosely (only what a request line cannot hold; "&", "%", "/" stay as they are),
 * or with the bytes above 0x7e left raw (which the server's HTTP parser refuses).
 */
export function forQuery(value: string, rng: Rng): { encoded: string; strict: boolean; rawHighBytes: boolean } {
  const bytes = Buffer.from(value, "utf8");
  const mode = rng.weighted({ strict: 6, loose: 3, raw: 1 });
  let out = "";
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    if (mode === "strict") out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : percentByte(byte);
    else if (byte <= 0x20 || byte === 0x7f || ch === "#" || (mode === "loose" && byte > 0x7e)) out += percentByte(byte);
    else out += ch;
  }
  return { encoded: out, strict: mode === "strict", rawHighBytes: mode === "raw" && /[\x80-\xff]/.test(out) };
}

/** A path segment: percent-encoded like encodeURIComponent, from the UTF-8 bytes (so lone surrogates do not throw). */
export function forPathSegment(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~!$'()*]/.test(ch) ? ch : percentByte(byte);
  }
  return out;
}

/** application/x-www-form-urlencoded, strictly or leaving bytes that Node can send raw. */
export function forFormUrlEncoded(value: string, rng: Rng): string {
  if (rng.chance(0.7)) return forPathSegment(value);
  return asLatin1(value).replace(/[&=+%\s]/g, (ch) => percentByte(ch.charCodeAt(0)));
}
