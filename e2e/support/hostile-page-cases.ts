import fc from "fast-check";
import { canonicalToken, hostileString, nearToken, urlish, XSS_MARKERS } from "../../fuzz/arbitraries";
import { PROTECTED_PAGES, SESSION_COOKIE, TO_LOGIN, loosePath, withHeaders, type HostileCase, type World } from "./hostile-model";

// Hostile requests to the pages: session cookies of every shape, real tokens
// where pages do not read them, paths, `next` on the sign-in pages, and page
// POSTs from other origins (which the proxy refuses).

const page = fc.constantFrom(...PROTECTED_PAGES);
const WRONG_COOKIE_NAMES = ["session", "__host-session", "__Host-Session", "__Secure-session", "__Host-session_", "Host-session", "token"];

/** A protected page with a hostile session cookie, alone or among others (and twice). */
function cookieCase(world: World): fc.Arbitrary<HostileCase> {
  const value = fc.oneof(hostileString, nearToken, canonicalToken);
  return fc.tuple(page, value, fc.nat({ max: 2 })).map(([path, v, shape]) => {
    const cookie = [`${SESSION_COOKIE}=${v}`, `theme=dark; ${SESSION_COOKIE}=${v}; lang=en`, `${SESSION_COOKIE}=${v}; ${SESSION_COOKIE}=x`][shape];
    const request = { method: "GET", path, headers: { cookie } };
    return withHeaders(`GET ${path} with a hostile session cookie`, new URL(world.origin).host, request, TO_LOGIN);
  });
}

/** A real token where a page does not look: an Authorization header, or a cookie of another name. */
function misplacedTokenCase(world: World): fc.Arbitrary<HostileCase> {
  return fc.tuple(page, fc.constantFrom(...world.realTokens), fc.constantFrom("authorization", ...WRONG_COOKIE_NAMES)).map(([path, token, where]) => {
    const headers: Record<string, string> = where === "authorization" ? { authorization: `Bearer ${token}` } : { cookie: `${where}=${token}` };
    return { label: `GET ${path} with a real token in ${where}`, request: { method: "GET", path, headers }, expect: TO_LOGIN };
  });
}

/** A hostile path, under a protected page or at the root: anything but a 5xx, and nothing off-site. */
function pathCase(): fc.Arbitrary<HostileCase> {
  return fc.tuple(fc.constantFrom("", ...PROTECTED_PAGES.slice(1)), fc.oneof(urlish, hostileString)).map(([base, value]) => {
    const path = `${base}/${loosePath(value).replace(/^\/+/, "")}`.slice(0, 8000);
    return { label: "GET a hostile path", request: { method: "GET", path, headers: {} }, expect: { session: "never" } };
  });
}

/** /login or /signup with a hostile `next`, percent-encoded or loosely written, alone or repeated. */
function nextQueryCase(): fc.Arbitrary<HostileCase> {
  const page = fc.constantFrom("/login", "/signup");
  return fc.tuple(page, fc.oneof(urlish, hostileString), fc.boolean(), fc.nat({ max: 2 })).map(([path, value, strict, shape]) => {
    const query = strict ? encodeURIComponent(value.replace(/[\ud800-\udfff]/g, "\ufffd")) : loosePath(value);
    const search = [`next=${query}`, `next=%2Fdevices&next=${query}`, `next[]=${query}`][shape];
    const xssMarker = XSS_MARKERS.find((marker) => value.includes(marker));
    return {
      label: `GET ${path}?next=…`,
      request: { method: "GET", path: `${path}?${search}`, headers: {} },
      expect: { statuses: [200, 400, 414, 431], session: "never", xssMarker },
    };
  });
}

/** A page request that is not a GET, from another origin (refused: 403) or from this one (a protected page: to /login). */
function methodCase(world: World): fc.Arbitrary<HostileCase> {
  const origin = fc.oneof(fc.constantFrom(world.origin, "https://evil.example", "null", `${world.origin}.evil.example`, ""), hostileString);
  return fc.tuple(fc.constantFrom("POST", "PUT", "PATCH", "DELETE"), page, origin, hostileString).map(([method, path, o, value]) => {
    const headers: Record<string, string> = { cookie: `${SESSION_COOKIE}=${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, ""))}` };
    if (o) headers.origin = o;
    const expect = o === world.origin ? TO_LOGIN : { statuses: [403, 400, 431], session: "never" as const };
    const from = o === world.origin ? "this origin" : o ? "another origin" : "no Origin";
    return withHeaders(`${method} ${path} from ${from}`, new URL(world.origin).host, { method, path, headers }, expect);
  });
}

export function pageCases(world: World): fc.Arbitrary<HostileCase> {
  return fc.oneof(
    { arbitrary: cookieCase(world), weight: 5 },
    { arbitrary: misplacedTokenCase(world), weight: 1 },
    { arbitrary: pathCase(), weight: 3 },
    { arbitrary: nextQueryCase(), weight: 3 },
    { arbitrary: methodCase(world), weight: 2 },
  );
}
