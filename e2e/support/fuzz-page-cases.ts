import { asLatin1, forFormUrlEncoded, forPathSegment, forQuery, percentEncodeControls } from "./fuzz-encoding";
import { ALL_BUT_REAL, PROTECTED_PAGES, SESSION_COOKIE_NAME, WRONG_COOKIE_NAMES, pickFamily, type FuzzCase, type World } from "./fuzz-model";
import { XSS_MARKERS } from "./fuzz-payloads";
import type { Rng } from "./fuzz-rng";
import { FAMILIES, fuzzValue } from "./fuzz-values";
import { rawOrHeader, withRaw } from "./fuzz-wire";

// Cases against the pages: a fuzzed session cookie or Authorization, a wrong cookie
// name, a fuzzed path, a non-GET method, and /login or /signup with a fuzzed `next`.

function pagePath(rng: Rng): string {
  const page = rng.pick(PROTECTED_PAGES);
  return rng.chance(0.2) ? `${page}?${rng.pick(["x=1", "tab=all", "next=%2Fadmin", "a=%2F%2Fevil.example"])}` : page;
}

export function pageCookieCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, ALL_BUT_REAL, { "session-id": 2, "unknown-token": 1.5 });
  const path = pagePath(rng);
  const value = fuzzValue(family, rng, world.secrets);
  const other = fuzzValue(pickFamily(rng, ["unknown-token", "near-token", "glob", "bytes"]), rng, world.secrets);
  const shape = rng.int(4);
  const build = (text: string): string =>
    shape === 2
      ? `theme=dark; ${SESSION_COOKIE_NAME}=${text}; lang=en`
      : shape === 3
        ? `${SESSION_COOKIE_NAME}=${text}; ${SESSION_COOKIE_NAME}=${asLatin1(other).replace(/[^\x20-\x7e]/g, "")}`
        : `${SESSION_COOKIE_NAME}=${text}`;
  const built = rawOrHeader(world, rng, value, "GET", path, "cookie", build, {});
  return withRaw({ index, family, target: `GET ${path} cookie` }, built, { kind: "protected-page" });
}

export function pageBearerCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, FAMILIES, { "real-token": 5, "session-id": 2 });
  const path = pagePath(rng);
  const value = fuzzValue(family, rng, world.secrets);
  const built = rawOrHeader(world, rng, value, "GET", path, "authorization", (text) => `Bearer ${text}`, {});
  return withRaw({ index, family, target: `GET ${path} Authorization (pages read only the cookie)` }, built, { kind: "protected-page" });
}

export function pageWrongCookieCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, ["real-token", "session-id"], { "real-token": 3, "session-id": 1 });
  const path = pagePath(rng);
  const name = rng.pick(WRONG_COOKIE_NAMES);
  const value = fuzzValue(family, rng, world.secrets);
  return {
    index,
    family,
    target: `GET ${path} cookie ${name}=`,
    request: { method: "GET", path, headers: { cookie: `${name}=${value}` } },
    expect: { kind: "protected-page" },
  };
}

export function pagePathCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, ["traversal", "percent", "unicode", "glob", "lua", "sql", "bytes", "crlf", "long", "xss", "near-token"], {
    traversal: 5,
    percent: 2,
  });
  const value = fuzzValue(family, rng, world.secrets);
  let suffix: string;
  if (family === "traversal" || family === "percent") {
    // As written: these are paths already (percent signs and all); only bytes a request line cannot hold are encoded.
    suffix = asLatin1(value).replace(/[\x00-\x20\x7f-\xff]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  } else {
    suffix = rng.chance(0.7) ? forPathSegment(value) : forQuery(value, rng).encoded;
  }
  const base = rng.chance(0.5) ? rng.pick(PROTECTED_PAGES) : "";
  const path = `${base === "/" ? "" : base}/${suffix.replace(/^\/+/, rng.chance(0.5) ? "/" : "")}`;
  return { index, family, target: `GET <fuzzed path>`, request: { method: "GET", path, headers: {} }, expect: { kind: "page-any" } };
}

export function pageMethodCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, ALL_BUT_REAL);
  const method = rng.pick(["POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
  const path = pagePath(rng);
  const origin = rng.weighted({ own: 6, none: 2, foreign: 2, garbage: 1 });
  const headers: Record<string, string> = {};
  if (origin === "own") headers.origin = world.origin;
  if (origin === "foreign") headers.origin = rng.pick(["https://evil.example", "null", `${world.origin}.evil.example`, "http://127.0.0.1:1"]);
  if (origin === "garbage") headers.origin = percentEncodeControls(asLatin1(fuzzValue(family, rng, world.secrets)));
  const value = percentEncodeControls(asLatin1(fuzzValue(family, rng, world.secrets)));
  headers.cookie = `${SESSION_COOKIE_NAME}=${value}`;
  const body = method === "HEAD" ? undefined : Buffer.from(forFormUrlEncoded(fuzzValue(family, rng, world.secrets), rng), "latin1");
  if (body) headers["content-type"] = "application/x-www-form-urlencoded";
  const readOnly = method === "HEAD";
  // A page origin check compares hosts; a garbage Origin is refused unless it happens to parse to this host.
  const refused = !readOnly && origin !== "own" && !(origin === "garbage" && safeHost(headers.origin) === new URL(world.origin).host);
  return {
    index,
    family,
    target: `${method} ${path} (${origin} Origin)`,
    request: { method, path, headers, body },
    expect: refused ? { kind: "refused-page" } : { kind: "protected-page" },
  };
}

function safeHost(origin: string | undefined): string | undefined {
  try {
    return origin ? new URL(origin).host : undefined;
  } catch {
    return undefined;
  }
}

export function loginNextCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, FAMILIES, { traversal: 3, xss: 1, percent: 1.5 });
  const value = fuzzValue(family, rng, world.secrets);
  const query = forQuery(value, rng);
  const page = rng.chance(0.85) ? "/login" : "/signup";
  const shape = rng.int(6);
  const path =
    shape === 0
      ? `${page}?next=%2Fdevices&next=${query.encoded}`
      : shape === 1
        ? `${page}?${query.encoded}`
        : shape === 2
          ? `${page}?next[]=${query.encoded}&next[x]=1`
          : `${page}?next=${query.encoded}`;
  const headers: Record<string, string> = {};
  if (rng.chance(0.2)) {
    const cookie = percentEncodeControls(asLatin1(fuzzValue(pickFamily(rng, ALL_BUT_REAL), rng, world.secrets)));
    headers.cookie = `${SESSION_COOKIE_NAME}=${cookie}`;
  }
  const xssMarker = family === "xss" ? XSS_MARKERS.find((marker) => value.includes(marker)) : undefined;
  return { index, family, target: `GET ${page}?next=…`, request: { method: "GET", path, headers }, expect: { kind: "public-page" }, xssMarker };
}
