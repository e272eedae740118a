import { TOKEN_PATTERN } from "./keys";

// Whether a value could be a session token as the README documents it (keys.ts
// writes the shape out, not imported from lib/, so the spec does not grade the
// app with its own code): the pattern, and a canonical base64url secret.

export function isWellFormedToken(value: string): boolean {
  return TOKEN_PATTERN.test(value) && Buffer.from(value.slice(33), "base64url").toString("base64url") === value.slice(33);
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * True when some reading of `value` could hand the app a well-formed token: a
 * piece shaped like one whose secret is canonical, in the raw
 * text or in any percent-decoded piece of it (the cookie parser Next.js uses
 * decodes values). Deliberately generous: the zero-command batch keeps only values
 * for which this is false, so an input the app may legitimately look up (one
 * command) never lands in it.
 */
export function couldCarryWellFormedToken(value: string): boolean {
  const readings = new Set<string>([value]);
  const decodedWhole = safeDecode(value);
  if (decodedWhole !== undefined) readings.add(decodedWhole);
  for (const piece of value.split(/[;,]/)) {
    const afterEquals = piece.includes("=") ? piece.slice(piece.indexOf("=") + 1) : piece;
    for (const part of [piece, afterEquals, afterEquals.trim()]) {
      readings.add(part);
      const decoded = safeDecode(part);
      if (decoded !== undefined) readings.add(decoded);
    }
  }
  for (const reading of readings) {
    for (const run of reading.match(/[0-9a-f]{32}\.[A-Za-z0-9_-]{43}/g) ?? []) {
      if (isWellFormedToken(run)) return true;
    }
  }
  return false;
}
