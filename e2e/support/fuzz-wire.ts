import { forHeader, headerSafe } from "./fuzz-encoding";
import type { Expectation, FuzzCase, World } from "./fuzz-model";
import type { Rng } from "./fuzz-rng";
import type { OutgoingRequest } from "./raw-http";

// Getting a fuzzed header value onto the wire: through Node's HTTP client when it
// can carry it, else as a hand-built request for the raw socket.

export function rawHttp(origin: string, method: string, target: string, headers: [string, string][], body?: Buffer): Buffer {
  const host = new URL(origin).host;
  let head = `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n`;
  if (body) head += `Content-Length: ${body.length}\r\n`;
  // The fuzzed header goes last, so an injected line break cannot swallow Host or Connection.
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  return Buffer.concat([Buffer.from(`${head}\r\n`, "latin1"), body ?? Buffer.alloc(0)]);
}

const TOKEN_CHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:/;

/**
 * True when these header-value bytes can never be part of a valid request:
 * NUL and other control bytes, DEL, a CR without LF or an LF without CR, a folded
 * line, or a line break followed by something that is not a header. (CRLF followed
 * by a well-formed header line is just another header: no parser can tell.)
 */
export function definitelyInvalidHeaderValue(latin1: string): boolean {
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(latin1)) return true;
  if (/\r(?!\n)/.test(latin1) || /(?<!\r)\n/.test(latin1)) return true;
  const lines = latin1.split("\r\n").slice(1);
  for (const line of lines) {
    if (line === "") return false; // the header section ends: what follows is another matter
    if (/^[ \t]/.test(line) || !TOKEN_CHAR.test(line)) return true;
  }
  return false;
}

export function rawOrHeader(
  world: World,
  rng: Rng,
  value: string,
  method: string,
  path: string,
  name: string,
  build: (text: string) => string,
  extra: Record<string, string>,
): { request?: OutgoingRequest; raw?: Buffer; rawValid?: boolean } {
  const carried = forHeader(value, rng);
  const text = build(carried.text);
  if (carried.mode === "header" && headerSafe(text)) return { request: { method, path, headers: { ...extra, [name]: text } } };
  const headers: [string, string][] = [...Object.entries(extra), [name, text]];
  return { raw: rawHttp(world.origin, method, path, headers), rawValid: !definitelyInvalidHeaderValue(text) };
}

export function withRaw(c: Omit<FuzzCase, "expect">, built: { request?: OutgoingRequest; raw?: Buffer; rawValid?: boolean }, expect: Expectation): FuzzCase {
  if (built.raw) return { ...c, raw: built.raw, target: `${c.target} (raw socket)`, expect: { kind: built.rawValid ? "raw-any" : "raw-invalid" } };
  return { ...c, request: built.request, expect };
}
