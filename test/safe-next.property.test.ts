import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeNextPath } from "../lib/web/safe-next";
import { anyString, hostileString, urlish } from "../fuzz/arbitraries";
import { holds, REPLAY } from "../fuzz/seed";

// Whatever `next` says, the answer is a path on this site: it starts with "/",
// a browser cannot read it as another host ("//host", "/\host"), it carries no
// character that could end a Location header, and resolved against the app's
// origin (wherever the app is served from) it stays there.

const BASES = [
  "http://localhost:3000/login?next=x",
  "https://sessions.example/",
  "https://app.example.com:8443/a/b/",
  "http://127.0.0.1:4000/login",
  "http://[::1]:3000/",
];

function problemsOf(next: string): string[] {
  const path = safeNextPath(next);
  const problems: string[] = [];
  if (!path.startsWith("/")) problems.push("does not start with /");
  if (path.startsWith("//") || path.startsWith("/\\")) problems.push("starts like a scheme-relative URL");
  if (/[\u0000-\u001f\u007f]/.test(path)) problems.push("holds a control character");
  for (const base of BASES) {
    let origin: string;
    try {
      origin = new URL(path, base).origin;
    } catch {
      problems.push(`does not parse against ${base}`);
      continue;
    }
    if (origin !== new URL(base).origin) problems.push(`leaves ${base} for ${origin}`);
  }
  return problems.map((problem) => `safeNextPath(${JSON.stringify(next)}) = ${JSON.stringify(path)} ${problem}`);
}

const staysOnSite = (next: string): void => {
  expect(problemsOf(next)).toEqual([]);
};

describe(`safeNextPath (${REPLAY})`, () => {
  it("keeps any string on this site: printable ASCII", () => {
    holds(fc.property(fc.string(), staysOnSite));
  });

  it("keeps any string on this site: any code point", () => {
    holds(fc.property(fc.oneof(anyString, fc.string({ unit: "binary" }).map((s) => `/${s}`)), staysOnSite));
  });

  it("keeps any string on this site: URL-ish strings of slashes, dot segments, encodings and hosts", () => {
    holds(fc.property(urlish, staysOnSite));
  });

  it("keeps any string on this site: hostile values", () => {
    holds(fc.property(hostileString, staysOnSite));
  });

  it("keeps a plain path of this site as it is", () => {
    const segment = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-_"), minLength: 1, maxLength: 12 });
    const query = fc.option(fc.tuple(segment, segment).map(([key, value]) => `?${key}=${value}`), { nil: "" });
    holds(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), query, (segments, search) => {
        const path = `/${segments.join("/")}${search}`;
        expect(safeNextPath(path)).toBe(path);
      }),
    );
  });
});
