import { forPathSegment } from "./fuzz-encoding";
import { SESSION_COOKIE_NAME, WRONG_COOKIE_NAMES, pickFamily, type Expectation, type FuzzCase, type World } from "./fuzz-model";
import type { Rng } from "./fuzz-rng";
import { FAMILIES, fuzzValue } from "./fuzz-values";
import { rawOrHeader, withRaw } from "./fuzz-wire";
import type { OutgoingRequest } from "./raw-http";

// Cases against the signed-in API endpoints: a fuzzed value as a credential, or a
// real token or session id where a credential does not belong.

const OTHER_AUTH_HEADERS = ["x-session-token", "x-auth-token", "x-access-token", "proxy-authorization", "cookie2", "x-forwarded-authorization"];

const WRONG_SCHEMES = ["Basic", "Token", "Bearer:", "Bearer=", "Bearer  ", "Bearer\t", "Digest", "Session", "MAC", "Bearer-Token"];

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

export function apiCase(index: number, rng: Rng, world: World): FuzzCase {
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
  // The Origin check applies when the session cookie is what would authenticate.
  const cookieHeader = String(built.request?.headers?.cookie ?? "");
  const byCookie = cookieHeader.split(";").some((part) => part.trim().startsWith(`${SESSION_COOKIE_NAME}=`));
  let expect: Expectation;
  if (dotSegment && placement !== "path") expect = { kind: "page-any" };
  else if (endpoint.kind === "health" && placement !== "path") expect = { kind: "health" };
  else if (endpoint.kind === "odd" && placement !== "path") expect = { kind: "api-denied" };
  else if (!exactPossible && placement !== "path") expect = { kind: "api-denied" };
  else expect = { kind: "api-denied", exact: mutates && !hasAuthorization && byCookie && !sameOrigin ? 403 : 401 };
  return withRaw({ index, family, target: `${method} ${path.split("?")[0].slice(0, 60)} ${placement}` }, built, expect);
}
