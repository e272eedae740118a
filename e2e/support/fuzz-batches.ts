import { asLatin1, percentEncodeControls } from "./fuzz-encoding";
import { ALL_BUT_REAL, PROTECTED_PAGES, SESSION_COOKIE_NAME, pickFamily, type Expectation, type FuzzCase } from "./fuzz-model";
import type { Rng } from "./fuzz-rng";
import { fuzzValue, unknownToken, type Secrets } from "./fuzz-values";
import type { OutgoingRequest } from "./raw-http";
import { couldCarryWellFormedToken } from "./token-shape";

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
