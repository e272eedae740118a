import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSameOrigin } from "../lib/web/gate";
import { anyString, hostileString, urlish } from "../fuzz/arbitraries";
import { holds, REPLAY } from "../fuzz/seed";

// The CSRF check of page POSTs and cookie-authenticated API mutations: true only
// when the Origin header parses to exactly the host the request was sent to (the
// Host header, or X-Forwarded-Host where a proxy set one). A look-alike origin, a
// missing one, one that does not parse, or a request without a host is refused.

/** A request as the app receives it; header values a Headers object cannot hold are passed as their UTF-8 bytes minus NUL, CR and LF. */
function request(headers: { origin?: string; host?: string; forwardedHost?: string }): Request {
  const init = new Headers();
  const wire = (value: string): string => Buffer.from(value, "utf8").toString("latin1").replace(/[\0\r\n]/g, "");
  if (headers.origin !== undefined) init.set("origin", wire(headers.origin));
  if (headers.host !== undefined) init.set("host", wire(headers.host));
  if (headers.forwardedHost !== undefined) init.set("x-forwarded-host", wire(headers.forwardedHost));
  return new Request("http://app.invalid/login", { method: "POST", headers: init });
}

/** The host the Origin header names, by the WHATWG URL parser (what browsers serialize it with). */
function originHost(origin: string | null): string | undefined {
  try {
    return origin === null ? undefined : new URL(origin).host;
  } catch {
    return undefined;
  }
}

const scheme = fc.constantFrom("http", "https");
const hostname = fc.oneof(fc.domain(), fc.ipV4(), fc.constantFrom("localhost", "[::1]", "127.0.0.1"));
/** A port that is not the scheme's default (a browser leaves that one out of both headers). */
const port = fc.option(fc.integer({ min: 1, max: 65535 }).filter((n) => n !== 80 && n !== 443), { nil: undefined });
const authority = fc.tuple(hostname, port).map(([host, p]) => (p === undefined ? host : `${host}:${p}`));

const withPort = (p: number | undefined): string => (p === undefined ? "" : `:${p}`);

/** Origins an attacker can make look like the site's; named, so a counterexample says which. */
const LOOK_ALIKES: [string, (s: string, host: string, p: number | undefined) => string][] = [
  ["suffix domain", (s, h, p) => `${s}://${h}.evil.example${withPort(p)}`],
  ["subdomain", (s, h, p) => `${s}://evil.${h}${withPort(p)}`],
  ["userinfo", (s, h, p) => `${s}://${h}${withPort(p)}@evil.example`],
  ["in the path", (s, h, p) => `${s}://evil.example/${h}${withPort(p)}`],
  ["in the query", (s, h, p) => `${s}://evil.example?${h}${withPort(p)}`],
  ["in the fragment", (s, h, p) => `${s}://evil.example#${h}${withPort(p)}`],
  ["another port", (s, h, p) => `${s}://${h}:${p === undefined ? 8081 : p === 65535 ? 1 : p + 1}`],
  ["port added or dropped", (s, h, p) => (p === undefined ? `${s}://${h}:1` : `${s}://${h}`)],
  ["no scheme", (_s, h, p) => `${h}${withPort(p)}`],
  ["scheme-relative", (_s, h, p) => `//${h}${withPort(p)}`],
  ["null", () => "null"],
  ["empty", () => ""],
];

describe(`isSameOrigin (${REPLAY})`, () => {
  it("accepts the origin a browser sends for the host it sends", () => {
    holds(
      fc.property(scheme, hostname, port, fc.boolean(), (s, host, p, viaProxy) => {
        const hostHeader = p === undefined ? host : `${host}:${p}`;
        const headers = viaProxy ? { host: "10.0.0.7:3000", forwardedHost: hostHeader } : { host: hostHeader };
        expect(isSameOrigin(request({ origin: `${s}://${hostHeader}`, ...headers }))).toBe(true);
      }),
    );
  });

  it("refuses look-alike origins built around the real host", () => {
    holds(
      fc.property(scheme, hostname, port, fc.constantFrom(...LOOK_ALIKES), (s, host, p, [, build]) => {
        const hostHeader = p === undefined ? host : `${host}:${p}`;
        const origin = build(s, host, p);
        expect(isSameOrigin(request({ origin, host: hostHeader })), `Origin ${origin}, Host ${hostHeader}`).toBe(false);
      }),
    );
  });

  it("is true exactly when the Origin parses to the request's host, for any Origin and Host", () => {
    const origin = fc.option(fc.oneof(anyString, hostileString, urlish, fc.webUrl(), authority.map((a) => `http://${a}`)), { nil: undefined });
    const host = fc.option(fc.oneof(anyString, authority), { nil: undefined });
    const forwardedHost = fc.option(fc.oneof(anyString, authority), { nil: undefined, freq: 4 });
    holds(
      fc.property(origin, host, forwardedHost, (o, h, f) => {
        const received = request({ origin: o, host: h, forwardedHost: f });
        const requestHost = received.headers.get("x-forwarded-host") ?? received.headers.get("host");
        // An empty host names nothing: "file:/" parses to the empty host, and must not match it.
        const expected = Boolean(requestHost) && originHost(received.headers.get("origin")) === requestHost;
        const sent = `Origin ${JSON.stringify(o)}, Host ${JSON.stringify(h)}, X-Forwarded-Host ${JSON.stringify(f)}`;
        expect(isSameOrigin(received), sent).toBe(expected);
      }),
    );
  });
});
