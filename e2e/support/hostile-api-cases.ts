import fc from "fast-check";
import { anyString, canonicalToken, hostileString, nearToken } from "../../fuzz/arbitraries";
import { SESSION_COOKIE, denied, loosePath, withHeaders, type Expect, type HostileCase, type World } from "./hostile-model";

// Hostile requests to the JSON API: credentials of every shape (bearer headers,
// other schemes, cookies), real tokens and session ids where they do not
// authenticate, hostile session ids in the path, and hostile sign-in bodies.

const ENDPOINTS = [
  { method: "GET", path: "/api/me" },
  { method: "GET", path: "/api/sessions" },
  { method: "DELETE", path: "/api/sessions" },
  { method: "DELETE", path: "/api/sessions/{id}" },
  { method: "POST", path: "/api/auth/logout" },
];

const credentialValue = fc.oneof(hostileString, nearToken, canonicalToken);

/** Where a credential goes, and what it looks like there. Real tokens only go where a token does not belong. */
function credential(world: World): fc.Arbitrary<{ where: string; headers: Record<string, string> }> {
  const tokenOrId = fc.constantFrom(...world.realTokens, ...world.sessionIds);
  return fc.oneof(
    credentialValue.map((v) => ({ where: "bearer", headers: { authorization: `Bearer ${v}` } })),
    credentialValue.map((v) => ({ where: "authorization", headers: { authorization: v } })),
    fc.tuple(fc.constantFrom("Basic", "Token", "Digest", "bearer:", "Bearer  "), credentialValue).map(([scheme, v]) => ({
      where: `scheme ${scheme}`,
      headers: { authorization: `${scheme} ${v}` },
    })),
    credentialValue.map((v) => ({ where: "cookie", headers: { cookie: `${SESSION_COOKIE}=${v}` } })),
    fc.constantFrom(...world.sessionIds).map((id) => ({ where: "a session id as bearer", headers: { authorization: `Bearer ${id}` } })),
    fc.constantFrom(...world.sessionIds).map((id) => ({ where: "a session id as cookie", headers: { cookie: `${SESSION_COOKIE}=${id}` } })),
    fc.tuple(fc.constantFrom("session", "__host-session", "token", "x-session-token", "x-access-token"), tokenOrId).map(([name, v]) => ({
      where: `a real token in ${name}`,
      headers: name.startsWith("x-") ? { [name]: v } : { cookie: `${name}=${v}` },
    })),
    fc.constant({ where: "none", headers: {} }),
  );
}

/**
 * A signed-in endpoint without valid credentials: 401 {"error":"unauthorized"},
 * or 403 for a mutation that carries the session cookie without this site's
 * Origin. A hostile id in the path may also be answered by the router (400, 404,
 * or a redirect for "." and "..").
 */
function signedInCase(world: World): fc.Arbitrary<HostileCase> {
  const origin = fc.constantFrom<string | undefined>(world.origin, world.origin, undefined, "https://evil.example");
  const id = fc.oneof(hostileString, nearToken, canonicalToken, fc.constantFrom(...world.sessionIds, ".", ".."));
  return fc.tuple(fc.constantFrom(...ENDPOINTS), credential(world), origin, id).map(([endpoint, cred, o, idValue]) => {
    const segment = loosePath(idValue).replace(/[/?]/g, (ch) => encodeURIComponent(ch)) || "x";
    const path = endpoint.path.replace("{id}", segment);
    const headers: Record<string, string> = { ...cred.headers, ...(o ? { origin: o } : {}) };
    const mutates = endpoint.method !== "GET";
    const cookieOnly = headers.authorization === undefined && (headers.cookie ?? "").startsWith(`${SESSION_COOKIE}=`);
    const routed = path !== endpoint.path && /%|\\|^\.\.?$/.test(segment);
    const statuses = routed ? [308, 400, 401, 403, 404] : mutates && cookieOnly && o !== world.origin ? [401, 403] : [401];
    const from = o === world.origin ? "this Origin" : o === undefined ? "no Origin" : `Origin ${o}`;
    const label = `${endpoint.method} ${endpoint.path} with ${cred.where}, ${from}`;
    return withHeaders(label, new URL(world.origin).host, { method: endpoint.method, path, headers }, denied(statuses));
  });
}

const CONTENT_TYPES = [
  ...["application/json", "application/json; charset=utf-8", "APPLICATION/JSON"],
  ...["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "json", ""],
];

/** A JSON value where the email or password belongs: strings, numbers, objects ({"$ne": null}), arrays, null. */
const field = fc.oneof({ arbitrary: hostileString, weight: 4 }, fc.emailAddress(), fc.jsonValue({ maxDepth: 3 }), fc.constant({ $ne: null }));

/**
 * POST /api/auth/login with a hostile body: 415 unless the Content-Type is JSON,
 * then 400 (malformed, wrong types, too large), 401 or 429; never a token.
 */
function loginCase(world: World): fc.Arbitrary<HostileCase> {
  const body = fc.oneof(
    fc.record({ email: fc.oneof(field, fc.constant(world.victimEmail)), password: field }).map((value) => JSON.stringify(value)),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    anyString,
    fc.constantFrom("", "{", '{"email":', "null", "[]", `{"email":"${world.victimEmail}","password":"${"x".repeat(9000)}"}`),
  );
  return fc.tuple(fc.constantFrom(...CONTENT_TYPES), body).map(([contentType, text]) => {
    const json = contentType.split(";")[0].trim().toLowerCase() === "application/json";
    const headers: Record<string, string> = contentType ? { "content-type": contentType } : {};
    const request = { method: "POST", path: "/api/auth/login", headers, body: Buffer.from(text, "utf8") };
    const expect: Expect = { statuses: json ? [400, 401, 429] : [415], session: "never" };
    return { label: `POST /api/auth/login as ${contentType || "no Content-Type"}`, request, expect };
  });
}

export function apiCases(world: World): fc.Arbitrary<HostileCase> {
  return fc.oneof({ arbitrary: signedInCase(world), weight: 5 }, { arbitrary: loginCase(world), weight: 2 });
}
