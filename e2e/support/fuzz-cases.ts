import type { Rng } from "./fuzz-rng";
import {
  FAMILIES,
  XSS_MARKERS,
  asLatin1,
  forFormUrlEncoded,
  forHeader,
  forPathSegment,
  forQuery,
  fuzzValue,
  headerSafe,
  percentEncodeControls,
  unknownToken,
  type Family,
  type Secrets,
} from "./fuzz-values";
import type { OutgoingRequest, RawReply, Reply } from "./raw-http";
import { jsActionParts, multipartBody, noJsActionParts, type Part } from "./server-actions";
import { couldCarryWellFormedToken } from "./token-shape";
import type { Credentials } from "./users";

// Turns values into requests against the app (one "case" each), and says what a
// correct answer to each looks like.

export const SESSION_COOKIE_NAME = "__Host-session";
export const PROTECTED_PAGES = ["/", "/devices", "/admin", "/settings"] as const;

export type World = {
  /** http://localhost:<port>, the origin every redirect must stay on. */
  origin: string;
  secrets: Secrets;
  /** A fresh account the fuzz may fail to sign in to (it ends up rate-limited, which is fine). */
  victimEmail: string;
  /** A fresh account whose sign-ins succeed, with fuzzed `next` values. Never sent a wrong password. */
  signer: Credentials;
  signInActionId: string;
  /** The hidden fields of the sign-in form, from GET /login. */
  signInHiddenFields: [string, string][];
};

export type Expectation =
  /** A protected page without a valid session: 303 to /login (or a 4xx from the HTTP layer: 400, 431). */
  | { kind: "protected-page" }
  /** A page request the proxy must refuse (a non-GET from another origin): 403. */
  | { kind: "refused-page" }
  /** A fuzzed path, or one with a dot segment: anything but a 5xx (it may resolve to a public page, or be normalized with a redirect). */
  | { kind: "page-any" }
  /** /login or /signup: the page (or a 4xx from the HTTP layer). */
  | { kind: "public-page" }
  /** A signed-in API endpoint without valid credentials: a 4xx, exactly `exact` when known (431 always allowed). */
  | { kind: "api-denied"; exact?: number }
  | { kind: "health" }
  /** POST /api/auth/login without valid credentials: 400, 401 or 429. */
  | { kind: "login-api" }
  /** A form post: anything but a 5xx. */
  | { kind: "form" }
  /** The signer's sign-in with a fuzzed `next`: a redirect (303, or x-action-redirect) on this origin. */
  | { kind: "sign-in" }
  /** The signer's API sign-in with extra fields: 200, and the extra fields change nothing. */
  | { kind: "signer-json" }
  /** Bytes HTTP does not allow: a 4xx from the server's parser. */
  | { kind: "raw-invalid" }
  /** Odd but parseable raw requests (injected header lines, pipelining): anything but a 5xx. */
  | { kind: "raw-any" };

export type FuzzCase = {
  index: number;
  family: Family;
  /** A short label: method, path and where the value went. */
  target: string;
  request?: OutgoingRequest;
  raw?: Buffer;
  expect: Expectation;
  /** Only the signer's own sign-ins may come back with a session. */
  authenticates?: boolean;
  /** Requests of one account's sign-ins, kept few at a time (see the spec). */
  lane?: "signer";
  xssMarker?: string;
};

export type Outcome = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

// ---- Helpers -----------------------------------------------------------------

const COMMON_WEIGHT: Record<Family, number> = {
  bytes: 1.2,
  long: 0.6,
  unicode: 1,
  crlf: 1,
  glob: 1,
  lua: 1,
  sql: 0.8,
  traversal: 1,
  xss: 0.5,
  percent: 1,
  "near-token": 1.5,
  "unknown-token": 1.2,
  "session-id": 1.2,
  "real-token": 1,
};

function pickFamily(rng: Rng, allowed: readonly Family[], boost: Partial<Record<Family, number>> = {}): Family {
  const weights = {} as Record<Family, number>;
  for (const family of allowed) weights[family] = boost[family] ?? COMMON_WEIGHT[family];
  return rng.weighted(weights);
}

const ALL_BUT_REAL = FAMILIES.filter((family) => family !== "real-token");

const WRONG_COOKIE_NAMES = [
  "session", "__Host-Session", "__host-session", "__Secure-session", "__Host-session_", "Host-session", "__Host-sessio", "__Host-session2",
  "___Host-session", "__Host-session.sig", "token", "sid",
];

const OTHER_AUTH_HEADERS = ["x-session-token", "x-auth-token", "x-access-token", "proxy-authorization", "cookie2", "x-forwarded-authorization"];

const WRONG_SCHEMES = ["Basic", "Token", "Bearer:", "Bearer=", "Bearer  ", "Bearer\t", "Digest", "Session", "MAC", "Bearer-Token"];

function rawHttp(origin: string, method: string, target: string, headers: [string, string][], body?: Buffer): Buffer {
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

function rawOrHeader(
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

function fuzzEmail(rng: Rng, world: World, family: Family): unknown {
  const choice = rng.weighted({ value: 40, shaped: 18, victim: 10, local: 15, wrongType: 10, realToken: 7 });
  switch (choice) {
    case "value":
      return fuzzValue(family === "real-token" ? "unknown-token" : family, rng, world.secrets);
    case "shaped":
      return `fz-${rng.bytes(6).toString("hex")}@fuzz.example`;
    case "victim":
      return rng.chance(0.5) ? world.victimEmail : ` ${world.victimEmail.toUpperCase()} `;
    case "local":
      return `${fuzzValue(family === "real-token" ? "glob" : family, rng, world.secrets).slice(0, 64)}@fuzz.example`;
    case "wrongType":
      return wrongType(rng);
    default:
      return rng.pick(world.secrets.realTokens.length ? world.secrets.realTokens : [unknownToken(rng)]);
  }
}

function fuzzPassword(rng: Rng, world: World, family: Family): unknown {
  const choice = rng.weighted({ value: 55, realToken: 10, sessionId: 5, long: 10, wrongType: 10, empty: 5, plain: 5 });
  switch (choice) {
    case "value":
      return fuzzValue(family, rng, world.secrets);
    case "realToken":
      return rng.pick(world.secrets.realTokens.length ? world.secrets.realTokens : [unknownToken(rng)]);
    case "sessionId":
      return rng.pick(world.secrets.sessionIds.length ? world.secrets.sessionIds : [unknownToken(rng)]);
    case "long":
      return "p".repeat(rng.pick([1023, 1024, 1025, 4000]));
    case "wrongType":
      return wrongType(rng);
    case "empty":
      return "";
    default:
      return "correct horse battery staple";
  }
}

function wrongType(rng: Rng): unknown {
  return rng.pick<() => unknown>([
    () => 42,
    () => -0,
    () => 1e308,
    () => true,
    () => null,
    () => [],
    () => ["a@b.example"],
    () => ({}),
    () => ({ $ne: null }),
    () => ({ $gt: "" }),
    () => ({ toString: "x" }),
    () => ({ length: 1e9 }),
    () => [[[[[]]]]],
  ])();
}

// ---- The main run ------------------------------------------------------------

const TARGET_WEIGHTS = {
  "page-cookie": 22,
  "page-bearer": 4,
  "page-wrong-cookie": 3,
  "page-path": 5,
  "page-method": 3,
  "login-next": 12,
  api: 25,
  "api-login": 13,
  form: 8,
  "sign-in": 1.5,
  "signer-json": 0.5,
  raw: 5,
} as const;
type TargetKind = keyof typeof TARGET_WEIGHTS;

export function generateCase(index: number, rng: Rng, world: World): FuzzCase {
  const kind: TargetKind = rng.weighted(TARGET_WEIGHTS);
  switch (kind) {
    case "page-cookie":
      return pageCookieCase(index, rng, world);
    case "page-bearer":
      return pageBearerCase(index, rng, world);
    case "page-wrong-cookie":
      return pageWrongCookieCase(index, rng, world);
    case "page-path":
      return pagePathCase(index, rng, world);
    case "page-method":
      return pageMethodCase(index, rng, world);
    case "login-next":
      return loginNextCase(index, rng, world);
    case "api":
      return apiCase(index, rng, world);
    case "api-login":
      return apiLoginCase(index, rng, world);
    case "form":
      return formCase(index, rng, world);
    case "sign-in":
      return signInCase(index, rng, world);
    case "signer-json":
      return signerJsonCase(index, world);
    case "raw":
      return rawCase(index, rng, world);
  }
}

function pagePath(rng: Rng): string {
  const page = rng.pick(PROTECTED_PAGES);
  return rng.chance(0.2) ? `${page}?${rng.pick(["x=1", "tab=all", "next=%2Fadmin", "a=%2F%2Fevil.example"])}` : page;
}

function withRaw(c: Omit<FuzzCase, "expect">, built: { request?: OutgoingRequest; raw?: Buffer; rawValid?: boolean }, expect: Expectation): FuzzCase {
  if (built.raw) return { ...c, raw: built.raw, target: `${c.target} (raw socket)`, expect: { kind: built.rawValid ? "raw-any" : "raw-invalid" } };
  return { ...c, request: built.request, expect };
}

function pageCookieCase(index: number, rng: Rng, world: World): FuzzCase {
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

function pageBearerCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, FAMILIES, { "real-token": 5, "session-id": 2 });
  const path = pagePath(rng);
  const value = fuzzValue(family, rng, world.secrets);
  const built = rawOrHeader(world, rng, value, "GET", path, "authorization", (text) => `Bearer ${text}`, {});
  return withRaw({ index, family, target: `GET ${path} Authorization (pages read only the cookie)` }, built, { kind: "protected-page" });
}

function pageWrongCookieCase(index: number, rng: Rng, world: World): FuzzCase {
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

function pagePathCase(index: number, rng: Rng, world: World): FuzzCase {
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

function pageMethodCase(index: number, rng: Rng, world: World): FuzzCase {
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

function loginNextCase(index: number, rng: Rng, world: World): FuzzCase {
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

type Endpoint = { method: string; path: string; mutates: boolean; kind: "auth" | "health" | "odd" };
const ENDPOINTS: [Endpoint, number][] = [
  [{ method: "GET", path: "/api/me", mutates: false, kind: "auth" }, 8],
  [{ method: "GET", path: "/api/sessions", mutates: false, kind: "auth" }, 4],
  [{ method: "DELETE", path: "/api/sessions", mutates: true, kind: "auth" }, 3],
  [{ method: "DELETE", path: "/api/sessions/{id}", mutates: true, kind: "auth" }, 4],
  [{ method: "POST", path: "/api/auth/logout", mutates: true, kind: "auth" }, 3],
  [{ method: "GET", path: "/api/health", mutates: false, kind: "health" }, 1],
  [{ method: "PUT", path: "/api/me", mutates: true, kind: "odd" }, 0.5],
  [{ method: "POST", path: "/api/sessions", mutates: true, kind: "odd" }, 0.5],
  [{ method: "GET", path: "/api/auth/logout", mutates: false, kind: "odd" }, 0.5],
];

function pickEndpoint(rng: Rng): Endpoint {
  const weights: Record<string, number> = {};
  ENDPOINTS.forEach(([, weight], i) => (weights[String(i)] = weight));
  return ENDPOINTS[Number(rng.weighted(weights))][0];
}

function apiCase(index: number, rng: Rng, world: World): FuzzCase {
  const endpoint = pickEndpoint(rng);
  const family = pickFamily(rng, FAMILIES, { "session-id": 2, "real-token": 1.5 });
  const value = fuzzValue(family, rng, world.secrets);
  let path = endpoint.path;
  let exactPossible = endpoint.kind === "auth";
  let dotSegment = false;
  if (path.includes("{id}")) {
    const idFamily = rng.chance(0.5) ? family : pickFamily(rng, FAMILIES);
    const segment = forPathSegment(fuzzValue(idFamily, rng, world.secrets));
    path = path.replace("{id}", segment || "x");
    if (segment.includes("%")) exactPossible = false; // Next.js may answer a malformed escape itself (400/404)
    dotSegment = /^\.\.?$/.test(segment); // "/api/sessions/." is "/api/sessions": Next.js redirects there
  }
  const headers: Record<string, string> = {};
  const originChoice = family === "real-token" || family === "session-id" ? "own" : rng.weighted({ own: 6, none: 2.5, foreign: 1.5 });
  if (originChoice === "own") headers.origin = world.origin;
  if (originChoice === "foreign") headers.origin = "https://evil.example";

  // Where the value goes. Real tokens only ever go where a token does not belong.
  type Placement =
    | "bearer"
    | "authorization"
    | "cookie"
    | "cookie-mixed"
    | "cookie-wrong-name"
    | "scheme"
    | "query"
    | "other-header"
    | "path"
    | "body";
  const placement: Placement =
    family === "real-token"
      ? rng.weighted({ "cookie-wrong-name": 2, scheme: 2, query: 2, "other-header": 2, path: 1, body: 1 })
      : family === "session-id"
        ? rng.weighted({ bearer: 3, cookie: 3, path: 1, query: 1 })
        : rng.weighted({ bearer: 4, authorization: 2, cookie: 3, "cookie-mixed": 1 });

  let built: { request?: OutgoingRequest; raw?: Buffer; rawValid?: boolean };
  let hasAuthorization = false;
  switch (placement) {
    case "bearer":
      built = rawOrHeader(world, rng, value, endpoint.method, path, "authorization", (text) => `Bearer ${text}`, headers);
      hasAuthorization = true;
      break;
    case "authorization":
      built = rawOrHeader(world, rng, value, endpoint.method, path, "authorization", (text) => text, headers);
      hasAuthorization = true;
      break;
    case "cookie":
      built = rawOrHeader(world, rng, value, endpoint.method, path, "cookie", (text) => `${SESSION_COOKIE_NAME}=${text}`, headers);
      break;
    case "cookie-mixed":
      built = rawOrHeader(
        world,
        rng,
        value,
        endpoint.method,
        path,
        "cookie",
        (text) => `a=1; ${SESSION_COOKIE_NAME}=${text}; ${SESSION_COOKIE_NAME}=`,
        headers,
      );
      break;
    case "cookie-wrong-name":
      built = { request: { method: endpoint.method, path, headers: { ...headers, cookie: `${rng.pick(WRONG_COOKIE_NAMES)}=${value}` } } };
      break;
    case "scheme": {
      const scheme = rng.pick(WRONG_SCHEMES);
      const credentials = scheme === "Basic" ? Buffer.from(`${world.victimEmail}:${value}`).toString("base64") : value;
      built = { request: { method: endpoint.method, path, headers: { ...headers, authorization: `${scheme} ${credentials}` } } };
      hasAuthorization = true;
      break;
    }
    case "query": {
      const name = rng.pick(["token", "access_token", SESSION_COOKIE_NAME, "session", "auth"]);
      const separator = path.includes("?") ? "&" : "?";
      built = { request: { method: endpoint.method, path: `${path}${separator}${name}=${forPathSegment(value)}`, headers } };
      break;
    }
    case "other-header":
      built = {
        request: {
          method: endpoint.method,
          path,
          headers: { ...headers, [rng.pick(OTHER_AUTH_HEADERS)]: rng.chance(0.5) ? `Bearer ${value}` : `${SESSION_COOKIE_NAME}=${value}` },
        },
      };
      break;
    case "path":
      path = `/api/sessions/${forPathSegment(value)}`;
      built = { request: { method: "DELETE", path, headers } };
      break;
    case "body":
      built = {
        request: {
          method: endpoint.method,
          path,
          headers: { ...headers, "content-type": "application/json" },
          body: Buffer.from(JSON.stringify({ token: value, session: value, authorization: `Bearer ${value}` })),
        },
      };
      break;
  }
  const method = built.request?.method ?? endpoint.method;
  const mutates = method !== "GET" && method !== "HEAD";
  const sameOrigin = headers.origin === world.origin;
  let expect: Expectation;
  if (dotSegment && placement !== "path") expect = { kind: "page-any" };
  else if (endpoint.kind === "health" && placement !== "path") expect = { kind: "health" };
  else if (endpoint.kind === "odd" && placement !== "path") expect = { kind: "api-denied" };
  else if (!exactPossible && placement !== "path") expect = { kind: "api-denied" };
  else expect = { kind: "api-denied", exact: mutates && !hasAuthorization && !sameOrigin ? 403 : 401 };
  return withRaw({ index, family, target: `${method} ${path.split("?")[0].slice(0, 60)} ${placement}` }, built, expect);
}

function jsonLoginBody(rng: Rng, world: World, family: Family): { body: Buffer | Buffer[]; contentType?: string } {
  const email = (): unknown => fuzzEmail(rng, world, family);
  const password = (): unknown => fuzzPassword(rng, world, family);
  const variant = rng.weighted({
    object: 30,
    extra: 6,
    proto: 4,
    duplicate: 4,
    nested: 4,
    scalar: 4,
    garbage: 10,
    truncated: 6,
    oversized: 4,
    chunked: 3,
    bom: 2,
    utf16: 2,
    invalidUtf8: 3,
    empty: 2,
  });
  const contentType = rng.weighted({
    "application/json": 10,
    "text/plain": 1,
    none: 1,
    "application/json; charset=utf-16": 1,
    "multipart/form-data; boundary=x": 1,
    "application/x-www-form-urlencoded": 1,
  });
  const type = contentType === "none" ? undefined : contentType;
  const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), "utf8");
  switch (variant) {
    case "object":
      return { body: json({ email: email(), password: password() }), contentType: type };
    case "extra":
      return {
        body: json({
          email: email(),
          password: password(),
          isAdmin: true,
          userId: 1,
          token: rng.pick(world.secrets.realTokens.length ? world.secrets.realTokens : ["x"]),
          next: "//evil.example",
        }),
        contentType: type,
      };
    case "proto":
      return {
        body: Buffer.from(
          rng.pick([
            `{"__proto__":{"isAdmin":true,"email":"a@b.example"},"email":${JSON.stringify(email())},"password":${JSON.stringify(password())}}`,
            `{"constructor":{"prototype":{"isAdmin":true}},"email":${JSON.stringify(email())},"password":"x"}`,
            `{"email":{"__proto__":{"toString":"x"}},"password":{"valueOf":1}}`,
          ]),
          "utf8",
        ),
        contentType: type,
      };
    case "duplicate":
      return {
        body: Buffer.from(`{"email":"x","email":${JSON.stringify(email())},"password":${JSON.stringify(password())},"password":"y"}`, "utf8"),
        contentType: type,
      };
    case "nested": {
      const depth = rng.between(100, 4000);
      const objects = Math.min(depth, 800);
      const text = rng.chance(0.5) ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"email":'.repeat(objects)}1${"}".repeat(objects)}`;
      return { body: Buffer.from(text), contentType: type };
    }
    case "scalar":
      return { body: Buffer.from(rng.pick(["null", "1", '"alice"', "true", "[]", "{}", "-0", "1e999", '"\\ud800"'])), contentType: type };
    case "garbage":
      return { body: Buffer.from(asLatin1(fuzzValue(family, rng, world.secrets)), "latin1"), contentType: type };
    case "truncated": {
      const text = JSON.stringify({ email: email(), password: password() });
      return { body: Buffer.from(text.slice(0, rng.int(text.length)), "utf8"), contentType: type };
    }
    case "oversized":
      return {
        body: json({ email: `fz-${rng.bytes(4).toString("hex")}@fuzz.example`, password: "x".repeat(rng.between(8200, 20000)) }),
        contentType: type,
      };
    case "chunked": {
      // No Content-Length: the route must stop reading at 8 KiB by itself.
      const chunk = Buffer.from("x".repeat(1024));
      const chunks = Array.from({ length: rng.between(1, 24) }, () => chunk);
      return { body: [Buffer.from('{"email":"a@fuzz.example","password":"'), ...chunks, Buffer.from('"}')], contentType: type };
    }
    case "bom":
      return { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json({ email: email(), password: password() })]), contentType: type };
    case "utf16":
      const text = JSON.stringify({ email: `fz-${rng.bytes(4).toString("hex")}@fuzz.example`, password: "x" });
      return { body: Buffer.from(text, "utf16le"), contentType: type };
    case "invalidUtf8":
      const invalid = rng.bytes(rng.between(1, 30)).map((b) => b | 0x80);
      return { body: Buffer.concat([Buffer.from('{"email":"'), invalid, Buffer.from('@fuzz.example","password":"x"}')]), contentType: type };
    case "empty":
      return { body: Buffer.from(rng.pick(["", " ", "\n", "\r\n\r\n"])), contentType: type };
  }
}

function apiLoginCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, FAMILIES);
  const { body, contentType } = jsonLoginBody(rng, world, family);
  const headers: Record<string, string> = {};
  if (contentType) headers["content-type"] = contentType;
  if (rng.chance(0.3)) headers.origin = rng.pick([world.origin, "https://evil.example"]);
  if (rng.chance(0.1)) {
    headers["user-agent"] = percentEncodeControls(asLatin1(fuzzValue(family === "real-token" ? "lua" : family, rng, world.secrets)));
  }
  return {
    index,
    family,
    target: "POST /api/auth/login",
    request: { method: "POST", path: "/api/auth/login", headers, body },
    expect: { kind: "login-api" },
  };
}

function formValue(value: unknown, family: Family): string | Buffer {
  if (typeof value !== "string") return JSON.stringify(value) ?? "";
  return family === "bytes" ? Buffer.from(asLatin1(value), "latin1") : value;
}

function formCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, FAMILIES);
  const fields: [string, string | Buffer][] = [
    ["email", formValue(fuzzEmail(rng, world, family), family)],
    ["password", formValue(fuzzPassword(rng, world, family), family)],
    ["next", formValue(fuzzValue(family, rng, world.secrets), family)],
  ];
  if (rng.chance(0.15)) fields.push([asLatin1(fuzzValue(pickFamily(rng, ALL_BUT_REAL), rng, world.secrets)).slice(0, 200), "x"]);
  const variant = rng.weighted({
    "no-action multipart": 2,
    "no-action urlencoded": 2,
    "bogus Next-Action": 3,
    "bogus action field": 2,
    "real action (JS)": 3,
    "real action (no JS)": 3,
  });
  const headers: Record<string, string> = { origin: world.origin };
  let parts: Part[];
  switch (variant) {
    case "no-action urlencoded": {
      const body = fields.map(([name, value]) => `${forFormUrlEncoded(name, rng)}=${forFormUrlEncoded(value.toString("latin1"), rng)}`).join("&");
      return {
        index,
        family,
        target: `POST /login ${variant}`,
        request: {
          method: "POST",
          path: "/login",
          headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
          body: Buffer.from(body, "latin1"),
        },
        expect: { kind: "form" },
      };
    }
    case "no-action multipart":
      parts = fields.map(([name, value]) => ({ name, value }));
      break;
    case "bogus Next-Action": {
      const id = rng.chance(0.5) ? rng.bytes(21).toString("hex") : fuzzValue(pickFamily(rng, ALL_BUT_REAL), rng, world.secrets);
      headers["next-action"] = percentEncodeControls(asLatin1(id)).slice(0, 4000);
      headers.accept = "text/x-component";
      parts = rng.chance(0.5) ? jsActionParts(world.signInHiddenFields, fields) : fields.map(([name, value]) => ({ name, value }));
      break;
    }
    case "bogus action field": {
      const id = rng.chance(0.5)
        ? rng.bytes(21).toString("hex")
        : asLatin1(fuzzValue(pickFamily(rng, ALL_BUT_REAL), rng, world.secrets)).slice(0, 300);
      const hidden: [string, string][] = rng.chance(0.5)
        ? [[`$ACTION_ID_${id}`, ""]]
        : world.signInHiddenFields.map(([name, value]) => [name, name.endsWith(":0") ? JSON.stringify({ id, bound: "$@1" }) : value]);
      parts = noJsActionParts(hidden, fields);
      break;
    }
    case "real action (JS)":
      headers["next-action"] = world.signInActionId;
      headers.accept = "text/x-component";
      parts = jsActionParts(world.signInHiddenFields, fields);
      break;
    case "real action (no JS)":
      parts = noJsActionParts(world.signInHiddenFields, fields);
      break;
  }
  if (rng.chance(0.1)) {
    const file = Buffer.from(asLatin1(fuzzValue(family, rng, world.secrets)), "latin1");
    parts.push({ name: "email", value: file, filename: "x.txt", contentType: "text/plain" });
  }
  const { body, contentType } = multipartBody(parts, rng.bytes(8).toString("hex"));
  return {
    index,
    family,
    target: `POST /login ${variant}`,
    request: { method: "POST", path: "/login", headers: { ...headers, "content-type": contentType }, body },
    expect: { kind: "form" },
  };
}

function signInCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, FAMILIES, { traversal: 8, percent: 2, crlf: 1.5, unicode: 1.5 });
  const next = fuzzValue(family, rng, world.secrets);
  const fields: [string, string][] = [
    ["next", next],
    ["email", world.signer.email],
    ["password", world.signer.password],
  ];
  const js = rng.chance(0.5);
  const headers: Record<string, string> = { origin: world.origin };
  if (js) {
    headers["next-action"] = world.signInActionId;
    headers.accept = "text/x-component";
  }
  const parts = js ? jsActionParts(world.signInHiddenFields, fields) : noJsActionParts(world.signInHiddenFields, fields);
  const { body, contentType } = multipartBody(parts, rng.bytes(8).toString("hex"));
  return {
    index,
    family,
    target: `POST /login sign-in with a fuzzed next (${js ? "JS" : "no JS"})`,
    request: { method: "POST", path: "/login", headers: { ...headers, "content-type": contentType }, body },
    expect: { kind: "sign-in" },
    authenticates: true,
    lane: "signer",
  };
}

function signerJsonCase(index: number, world: World): FuzzCase {
  const body = Buffer.from(
    JSON.stringify({
      email: world.signer.email,
      password: world.signer.password,
      isAdmin: true,
      is_admin: "1",
      userId: 1,
      user_id: 1,
      role: "admin",
    }),
  );
  return {
    index,
    family: "sql",
    target: "POST /api/auth/login as the signer, with extra fields",
    request: { method: "POST", path: "/api/auth/login", headers: { "content-type": "application/json" }, body },
    expect: { kind: "signer-json" },
    authenticates: true,
    lane: "signer",
  };
}

/** A byte that makes a header value invalid wherever it sits. */
function forcedInvalid(rng: Rng): string {
  return rng.pick([
    "\x00",
    "\rx",
    "x\n",
    String.fromCharCode(rng.pick([1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31])),
    "\x7f",
    "\r\n folded",
    "\r\nnot a header line",
    "\r\n\x00",
  ]);
}

function rawCase(index: number, rng: Rng, world: World): FuzzCase {
  const family = pickFamily(rng, ALL_BUT_REAL);
  const base = asLatin1(fuzzValue(family, rng, world.secrets)).replace(/[\r\n]/g, "").slice(0, 2000);
  const at = rng.int(base.length + 1);
  const bad = forcedInvalid(rng);
  const value = `${base.slice(0, at)}${bad}${base.slice(at)}`;
  const where = rng.weighted({ cookie: 3, authorization: 3, target: 2, "header name": 1, "content-type": 1, smuggle: 1 });
  let raw: Buffer;
  let expect: Expectation = { kind: "raw-invalid" };
  switch (where) {
    case "cookie":
      raw = rawHttp(world.origin, "GET", rng.pick(PROTECTED_PAGES), [["Cookie", `${SESSION_COOKIE_NAME}=${value}`]]);
      break;
    case "authorization":
      raw = rawHttp(world.origin, "GET", rng.pick(["/api/me", "/api/sessions"]), [["Authorization", `Bearer ${value}`]]);
      break;
    case "target": {
      const query = forQuery(base, rng).encoded.replace(/[\x80-\xff]/g, "");
      const byte = String.fromCharCode(rng.pick([0, 1, 8, 11, 27, 127, 0x80, 0xa0, 0xe9, 0xff]));
      raw = rawHttp(world.origin, "GET", `/login?next=${query.slice(0, at)}${byte}${query.slice(at)}`, []);
      break;
    }
    case "header name": {
      const separator = rng.pick([..."()<>@,;\\\"/[]?={}", " x", "\x00", "\x01", "\x7f", "\xe9"]);
      const name = `X-Fuzz${separator}`;
      raw = rawHttp(world.origin, "GET", "/login", [[name, base.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, "") || "x"]]);
      break;
    }
    case "content-type":
      const body = Buffer.from('{"email":"a@fuzz.example","password":"x"}');
      raw = rawHttp(world.origin, "POST", "/api/auth/login", [["Content-Type", `application/json${value}`]], body);
      break;
    default: {
      // Odd but parseable framing: the server may answer anything but a 5xx.
      expect = { kind: "raw-any" };
      const token = unknownToken(rng);
      const host = new URL(world.origin).host;
      const start = (request: string): string => `${request} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n`;
      const body = '{"email":"a@fuzz.example","password":"x"}';
      raw = Buffer.from(
        rng.pick([
          `${start("GET /devices")}Cookie: ${SESSION_COOKIE_NAME}=${token}\r\nX-Injected: ${base.replace(/[\x00-\x1f\x7f]/g, "")}\r\n\r\n`,
          `${start("POST /api/auth/login")}Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
          `${start("POST /api/auth/login")}Content-Length: ${body.length}\r\nContent-Length: 3\r\n\r\n${body}`,
          `${start("POST /api/auth/login")}Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n` +
            `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
          `${start("GET /api/me")}Authorization: Bearer ${token}\r\nAuthorization: Bearer ${token}x\r\n\r\n`,
          `GET /login HTTP/1.0\r\n\r\n`,
          `GET /devices HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
          `${start("GET //evil.example/")}\r\n`,
          `${start("GET /devices")}X-Forwarded-Host: evil.example\r\n\r\n`,
        ]),
        "latin1",
      );
    }
  }
  return { index, family, target: `raw ${where}`, raw, expect };
}

// ---- Batches for the Redis command count ----------------------------------------

/** A value that cannot possibly be a well-formed token, as the cookie of a page or the Authorization of /api/me. */
export function malformedTokenCase(index: number, rng: Rng, secrets: Secrets): FuzzCase {
  for (;;) {
    const family = pickFamily(rng, ALL_BUT_REAL.filter((f) => f !== "unknown-token" && f !== "session-id"));
    const value = percentEncodeControls(asLatin1(fuzzValue(family, rng, secrets)));
    if (rng.chance(0.5)) {
      const path = rng.pick(PROTECTED_PAGES);
      const cookie = `${SESSION_COOKIE_NAME}=${value}`;
      if (couldCarryWellFormedToken(cookie)) continue;
      return {
        index,
        family,
        target: `GET ${path} malformed cookie`,
        request: { method: "GET", path, headers: { cookie } },
        expect: { kind: "protected-page" },
      };
    }
    const authorization = rng.chance(0.7) ? `Bearer ${value}` : value;
    if (couldCarryWellFormedToken(authorization)) continue;
    return {
      index,
      family,
      target: "GET /api/me malformed Authorization",
      request: { method: "GET", path: "/api/me", headers: { authorization } },
      expect: { kind: "api-denied", exact: 401 },
    };
  }
}

/** A well-formed token nobody holds: a cookie to a page, a cookie to /api/me, or a bearer token. */
export function unknownTokenCase(index: number, rng: Rng): FuzzCase {
  const token = unknownToken(rng);
  const where = index % 3;
  if (where === 0) {
    const path = rng.pick(PROTECTED_PAGES);
    return {
      index,
      family: "unknown-token",
      target: `GET ${path} unknown cookie`,
      request: { method: "GET", path, headers: { cookie: `${SESSION_COOKIE_NAME}=${token}` } },
      expect: { kind: "protected-page" },
    };
  }
  const headers: Record<string, string> = where === 1 ? { authorization: `Bearer ${token}` } : { cookie: `${SESSION_COOKIE_NAME}=${token}` };
  return {
    index,
    family: "unknown-token",
    target: `GET /api/me unknown ${where === 1 ? "bearer" : "cookie"}`,
    request: { method: "GET", path: "/api/me", headers },
    expect: { kind: "api-denied", exact: 401 },
  };
}

/** Every given session id, every way a credential can be presented: to the API (bearer, cookie) and as a page's cookie. */
export function sessionIdCases(ids: string[], firstIndex: number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const add = (target: string, request: OutgoingRequest, expect: Expectation): void => {
    cases.push({ index: firstIndex + cases.length, family: "session-id", target, request, expect });
  };
  const denied: Expectation = { kind: "api-denied", exact: 401 };
  for (const id of ids) {
    const asBearer = { authorization: `Bearer ${id}` };
    const asCookie = { cookie: `${SESSION_COOKIE_NAME}=${id}` };
    add("GET /api/me bearer <session id>", { method: "GET", path: "/api/me", headers: asBearer }, denied);
    add("GET /api/me cookie <session id>", { method: "GET", path: "/api/me", headers: asCookie }, denied);
    add("GET /api/sessions bearer <session id>", { method: "GET", path: "/api/sessions", headers: asBearer }, denied);
    add("DELETE /api/sessions/<its own id> bearer <session id>", { method: "DELETE", path: `/api/sessions/${id}`, headers: asBearer }, denied);
    for (const page of PROTECTED_PAGES) {
      add(`GET ${page} cookie <session id>`, { method: "GET", path: page, headers: asCookie }, { kind: "protected-page" });
    }
  }
  return cases;
}

// ---- Judging an answer -----------------------------------------------------------

function header(outcome: Outcome, name: string): string[] {
  const value = outcome.headers[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Every place an answer can send the browser to: Location, Refresh, and a server action's x-action-redirect. */
export function redirectTargets(outcome: Outcome): string[] {
  const targets = [...header(outcome, "location")];
  for (const refresh of header(outcome, "refresh")) {
    const url = /url=(.*)$/i.exec(refresh)?.[1];
    if (url !== undefined) targets.push(url.trim());
  }
  for (const actionRedirect of header(outcome, "x-action-redirect")) targets.push(actionRedirect.replace(/;(push|replace)$/, ""));
  return targets;
}

function resolvesTo(target: string, origin: string): string {
  try {
    return new URL(target, `${origin}/`).origin;
  } catch {
    return `<unparseable: ${JSON.stringify(target)}>`;
  }
}

export function judge(c: FuzzCase, outcome: Outcome, origin: string): string[] {
  const problems: string[] = [];
  const { status } = outcome;
  if (status >= 500) problems.push(`answered ${status}`);
  for (const target of redirectTargets(outcome)) {
    const landing = resolvesTo(target, origin);
    if (landing !== origin) problems.push(`redirects off-site: ${JSON.stringify(target)} resolves to ${landing}`);
  }
  if (status >= 300 && status < 400 && status !== 304 && header(outcome, "location").length === 0) problems.push(`${status} without a Location`);

  const body = outcome.body.toString("utf8");
  if (!c.authenticates) {
    for (const cookie of header(outcome, "set-cookie")) {
      const value = new RegExp(`^${SESSION_COOKIE_NAME}=([^;]*)`).exec(cookie)?.[1];
      if (value) problems.push(`sets a session cookie: ${cookie.slice(0, 80)}`);
    }
    if (body.includes("Signed in as")) problems.push("renders a signed-in page");
    if (/"user"\s*:\s*\{/.test(body)) problems.push("answers with a user object");
  }
  if (c.xssMarker && body.includes(c.xssMarker)) problems.push(`reflects ${JSON.stringify(c.xssMarker)} unescaped`);

  const location = header(outcome, "location")[0];
  const is4xx = status >= 400 && status < 500;
  // 431: the HTTP layer refused headers too large to read (the long family reaches 16 KB), a fine answer to anything.
  if (status === 431 && c.expect.kind !== "sign-in" && c.expect.kind !== "signer-json") return problems;
  switch (c.expect.kind) {
    case "protected-page": {
      const toLogin = status === 303 && location !== undefined && safePathname(location, origin) === "/login";
      if (!toLogin && status !== 400 && status !== 431) problems.push(`expected 303 to /login, got ${status}${location ? ` to ${location}` : ""}`);
      break;
    }
    case "refused-page":
      if (status !== 403) problems.push(`expected 403, got ${status}`);
      break;
    case "public-page":
      if (![200, 400, 414, 431].includes(status)) problems.push(`expected the page (200), got ${status}`);
      break;
    case "api-denied":
      if (!is4xx) problems.push(`expected a 4xx, got ${status}`);
      else if (c.expect.exact !== undefined && status !== c.expect.exact) problems.push(`expected ${c.expect.exact}, got ${status}`);
      if (status === 401 && !/^\s*\{"error":"unauthorized"\}\s*$/.test(body)) problems.push(`401 body is ${JSON.stringify(body.slice(0, 80))}`);
      break;
    case "health":
      if (status !== 200) problems.push(`expected 200, got ${status}`);
      break;
    case "login-api":
      if (![400, 401, 429].includes(status)) problems.push(`expected 400, 401 or 429, got ${status}`);
      break;
    case "sign-in": {
      const redirected = (status === 303 && location !== undefined) || (status === 200 && header(outcome, "x-action-redirect").length > 0);
      if (!redirected) problems.push(`expected the sign-in to redirect, got ${status} ${body.slice(0, 120)}`);
      break;
    }
    case "signer-json":
      if (status !== 200) problems.push(`expected 200, got ${status}`);
      else {
        const user = (JSON.parse(body) as { user?: { isAdmin?: unknown } }).user;
        if (user?.isAdmin !== false) problems.push(`extra fields made the user ${JSON.stringify(user)}`);
      }
      break;
    case "form":
    case "page-any":
      break;
    case "raw-invalid":
      if (!is4xx) problems.push(`expected a 4xx from the HTTP parser, got ${status}`);
      break;
    case "raw-any":
      break;
  }
  return problems;
}

function safePathname(location: string, origin: string): string | undefined {
  try {
    return new URL(location, `${origin}/`).pathname;
  } catch {
    return undefined;
  }
}

export function rawOutcome(reply: RawReply): Outcome {
  const headers: Record<string, string[]> = {};
  for (const line of reply.head.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  return { status: reply.status, headers, body: Buffer.alloc(0) };
}

export function replyOutcome(reply: Reply): Outcome {
  return { status: reply.status, headers: reply.headers, body: reply.body };
}

/** Enough of a case to replay it by hand. */
export function describeCase(c: FuzzCase): Record<string, unknown> {
  const bytes = (buffer: Buffer | Buffer[] | undefined): string | undefined => {
    if (!buffer) return undefined;
    const all = Array.isArray(buffer) ? Buffer.concat(buffer) : buffer;
    if (all.length <= 600) return JSON.stringify(all.toString("latin1"));
    return `${JSON.stringify(all.subarray(0, 600).toString("latin1"))}… (${all.length} bytes)`;
  };
  return {
    index: c.index,
    family: c.family,
    target: c.target,
    method: c.request?.method,
    path: c.request?.path && c.request.path.length > 300 ? `${c.request.path.slice(0, 300)}… (${c.request.path.length} chars)` : c.request?.path,
    headers: c.request
      ? Object.fromEntries(Object.entries(c.request.headers).map(([k, v]) => [k, v.length > 300 ? `${v.slice(0, 300)}… (${v.length} chars)` : v]))
      : undefined,
    body: bytes(c.request?.body),
    raw: bytes(c.raw),
  };
}
