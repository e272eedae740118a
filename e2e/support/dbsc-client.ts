import { createHash, ECDH, webcrypto } from "node:crypto";
import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";
import { SESSION_COOKIE, type Credentials } from "./users";

// A Device Bound Session Credentials client (W3C WebAppSec DBSC draft,
// https://w3c.github.io/webappsec-dbsc/) that plays the browser's part, written
// from the draft and not from lib/ (the specs must not grade the app with its
// own code):
//  - a key pair made with WebCrypto (ECDSA P-256), its private half not exportable,
//    as a browser keeps it;
//  - the Secure-Session-Registration header of a sign-in read as the structured
//    field list the draft defines (RFC 8941): algorithms, path, challenge;
//  - registration: POST to that path with Secure-Session-Response, a "dbsc+jwt"
//    JWT whose header names the public key (jwk) and whose jti is the challenge,
//    signed ES256 (the raw r||s WebCrypto gives, base64url);
//  - refresh: POST to the refresh_url with Sec-Secure-Session-Id, read the 403's
//    Secure-Session-Challenge, POST again with a JWT answering it, signed with the
//    same key (and naming none), and keep the new short-lived cookie.
// Requests carry exactly the credentials a test gives them: the `cookie` header is
// always set (empty when there is none), so the request context's own cookie jar,
// which stores every Set-Cookie it sees, never adds one behind the test's back.

const subtle = webcrypto.subtle;

export const BOUND_COOKIE = "__Host-session-bound";

/** The protocol's headers, as the draft names them (lower case: how Playwright hands them over). */
export const DBSC = {
  registration: "secure-session-registration",
  challenge: "secure-session-challenge",
  response: "secure-session-response",
  sessionId: "sec-secure-session-id",
} as const;

export type PublicJwk = { kty: "EC"; crv: "P-256"; x: string; y: string };
export type DeviceKey = { privateKey: webcrypto.CryptoKey; jwk: PublicJwk };

/** A new device key: the private half cannot be exported, like a browser's (TPM or software). */
export async function newDeviceKey(): Promise<DeviceKey> {
  const pair = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const { kty, crv, x, y } = await subtle.exportKey("jwk", pair.publicKey);
  return { privateKey: pair.privateKey, jwk: { kty, crv, x, y } as PublicJwk };
}

const base64url = (value: string | Uint8Array): string => Buffer.from(value).toString("base64url");

/**
 * The Secure-Session-Response JWT: header {alg: "ES256", typ: "dbsc+jwt"} (with
 * the public key as `jwk` at registration), payload {jti: challenge}, signed with
 * the device's private key.
 */
export async function signProof(key: DeviceKey, challenge: string, options: { withKey: boolean; authorization?: string }): Promise<string> {
  const header = { alg: "ES256", typ: "dbsc+jwt", ...(options.withKey ? { jwk: key.jwk } : {}) };
  const payload = { jti: challenge, ...(options.authorization === undefined ? {} : { authorization: options.authorization }) };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key.privateKey, Buffer.from(signingInput));
  return `${signingInput}.${base64url(new Uint8Array(signature))}`;
}

// ---- Structured fields (RFC 8941), the subset the DBSC headers use ----

export type BareItem = string | number | boolean;
export type Member = { value: BareItem | BareItem[]; params: Record<string, BareItem> };

/** Parses a structured-field List (members are items or inner lists, each with parameters). Throws on anything malformed. */
export function parseStructuredList(text: string): Member[] {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`Not a structured-field list (${what} at ${i}): ${JSON.stringify(text)}`);
  };
  const skip = (chars: string) => {
    while (i < text.length && chars.includes(text[i])) i++;
  };
  function bareItem(): BareItem {
    const c = text[i];
    if (c === '"') {
      let out = "";
      for (i++; i < text.length; i++) {
        if (text[i] === "\\") {
          const next = text[++i];
          if (next !== '"' && next !== "\\") fail("bad escape");
          out += next;
        } else if (text[i] === '"') {
          i++;
          return out;
        } else out += text[i];
      }
      return fail("unterminated string");
    }
    if (c === "?") {
      const value = text[i + 1];
      if (value !== "0" && value !== "1") fail("bad boolean");
      i += 2;
      return value === "1";
    }
    const number = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (number) {
      i += number[0].length;
      return Number(number[0]);
    }
    const token = /^[A-Za-z*][!#$%&'*+\-.^_`|~:/A-Za-z0-9]*/.exec(text.slice(i));
    if (!token) return fail("no item");
    i += token[0].length;
    return token[0];
  }
  function params(): Record<string, BareItem> {
    const out: Record<string, BareItem> = {};
    while (text[i] === ";") {
      i++;
      skip(" ");
      const key = /^[a-z*][a-z0-9_\-.*]*/.exec(text.slice(i));
      if (!key) fail("bad parameter key");
      i += key![0].length;
      if (text[i] === "=") {
        i++;
        out[key![0]] = bareItem();
      } else out[key![0]] = true;
    }
    return out;
  }
  const members: Member[] = [];
  skip(" ");
  while (i < text.length) {
    let value: BareItem | BareItem[];
    if (text[i] === "(") {
      i++;
      const items: BareItem[] = [];
      for (;;) {
        skip(" ");
        if (text[i] === ")") break;
        if (i >= text.length) fail("unterminated inner list");
        items.push(bareItem());
        params(); // item parameters: none used here
        if (text[i] !== " " && text[i] !== ")") fail("bad inner list");
      }
      i++;
      value = items;
    } else value = bareItem();
    members.push({ value, params: params() });
    skip(" \t");
    if (i >= text.length) break;
    if (text[i] !== ",") fail("expected a comma");
    i++;
    skip(" \t");
    if (i >= text.length) fail("trailing comma");
  }
  return members;
}

export type RegistrationOffer = { algorithms: string[]; path: string; challenge: string; authorization?: string };

/** The offers of a Secure-Session-Registration header: `(ES256 RS256);path="…";challenge="…"[;authorization="…"]`, comma-separated. */
export function parseRegistration(header: string): RegistrationOffer[] {
  return parseStructuredList(header).map(({ value, params }) => {
    if (!Array.isArray(value) || typeof params.path !== "string" || typeof params.challenge !== "string") {
      throw new Error(`Not a registration offer: ${JSON.stringify(header)}`);
    }
    return {
      algorithms: value.map(String),
      path: params.path,
      challenge: params.challenge,
      ...(typeof params.authorization === "string" ? { authorization: params.authorization } : {}),
    };
  });
}

/** A Secure-Session-Challenge header: `"<challenge>";id="<session identifier>"` (one or more). */
export function parseChallenges(header: string): { challenge: string; id?: string }[] {
  return parseStructuredList(header).map(({ value, params }) => {
    if (typeof value !== "string") throw new Error(`Not a challenge: ${JSON.stringify(header)}`);
    return { challenge: value, ...(typeof params.id === "string" ? { id: params.id } : {}) };
  });
}

// ---- Cookies and credentials ----

export type SetCookie = { name: string; value: string; attributes: Record<string, string | true> };

/** Every Set-Cookie of a response, parsed (attribute names lower-cased). */
export function setCookies(response: APIResponse): SetCookie[] {
  return response
    .headersArray()
    .filter((header) => header.name.toLowerCase() === "set-cookie")
    .map(({ value }) => {
      const [pair, ...rest] = value.split(";");
      const at = pair.indexOf("=");
      const attributes: Record<string, string | true> = {};
      for (const part of rest) {
        const [name, ...values] = part.trim().split("=");
        if (name) attributes[name.toLowerCase()] = values.length ? values.join("=") : true;
      }
      return { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim(), attributes };
    });
}

export function boundCookieSet(response: APIResponse): SetCookie | undefined {
  return setCookies(response).find((cookie) => cookie.name === BOUND_COOKIE);
}

/** The SHA-256 (base64url) the server stores of a short-lived cookie. */
export function cookieHash(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

/**
 * What a request carries: the session token as the long-lived cookie or as a
 * bearer token, and maybe a short-lived cookie (current, old or stolen).
 */
export type Carried = { token: string; via: "cookie" | "bearer"; boundCookie?: string };

/** The headers for exactly these credentials (an empty `cookie` header when no cookie: the jar stays out). */
export function carriedHeaders(carried: Carried): Record<string, string> {
  const cookies: string[] = [];
  if (carried.via === "cookie") cookies.push(`${SESSION_COOKIE}=${carried.token}`);
  if (carried.boundCookie !== undefined) cookies.push(`${BOUND_COOKIE}=${carried.boundCookie}`);
  return { cookie: cookies.join("; "), ...(carried.via === "bearer" ? { authorization: `Bearer ${carried.token}` } : {}) };
}

/** GET /api/me with these credentials. */
export function getMe(request: APIRequestContext, origin: string, carried: Carried): Promise<APIResponse> {
  return request.get(`${origin}/api/me`, { headers: carriedHeaders(carried) });
}

/** GET / (a page) with these credentials, redirects not followed: 200, or 303 to /login. */
export function getHomePage(request: APIRequestContext, origin: string, carried: Carried): Promise<APIResponse> {
  return request.get(`${origin}/`, { headers: carriedHeaders(carried), maxRedirects: 0 });
}

/**
 * POST /api/auth/login as a browser's fetch does it (Sec-Fetch-Site: same-origin),
 * or as a plain API client (no Sec-Fetch-* header).
 */
export async function signInOverApi(
  request: APIRequestContext,
  origin: string,
  user: Credentials,
  options: { asBrowser: boolean; remember?: boolean },
): Promise<{ token: string; offer: string | undefined; response: APIResponse }> {
  const response = await request.post(`${origin}/api/auth/login`, {
    data: { email: user.email, password: user.password, ...(options.remember === undefined ? {} : { remember: options.remember }) },
    headers: { cookie: "", ...(options.asBrowser ? { "sec-fetch-site": "same-origin", "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" } : {}) },
  });
  expect(response.status(), await response.text()).toBe(200);
  const { token } = (await response.json()) as { token: string };
  return { token, offer: response.headers()[DBSC.registration], response };
}

// ---- The browser's side of a bound session ----

export type SessionConfiguration = {
  session_identifier: string;
  refresh_url: string;
  scope?: { origin?: string; include_site?: boolean; scope_specification?: { type: string; domain: string; path: string }[] };
  credentials: { type: string; name: string; attributes: string }[];
};

export type RefreshResult = {
  /** The answer to the proof-less POST: 403 and a challenge, normally. */
  challengeResponse: APIResponse;
  /** The challenge it carried, if any. */
  challenge?: string;
  /** The answer to the signed POST, when there was a challenge to answer. */
  answer?: APIResponse;
};

/**
 * One browser's DBSC session for one sign-in: its key, and once registered, the
 * session's configuration and the current short-lived cookie. `request` must
 * accept the test server's self-signed certificate.
 */
export class DbscBrowser {
  config: SessionConfiguration | undefined;
  boundCookie: string | undefined;
  /** The last Secure-Session-Response this browser sent (a test replays it). */
  lastProof: string | undefined;

  constructor(
    readonly request: APIRequestContext,
    readonly origin: string,
    readonly key: DeviceKey,
  ) {}

  static async create(request: APIRequestContext, origin: string): Promise<DbscBrowser> {
    return new DbscBrowser(request, origin, await newDeviceKey());
  }

  get sessionIdentifier(): string {
    if (!this.config) throw new Error("not registered");
    return this.config.session_identifier;
  }

  /** The JWT registering this key for an offer. */
  registrationProof(offer: RegistrationOffer): Promise<string> {
    return signProof(this.key, offer.challenge, { withKey: true, authorization: offer.authorization });
  }

  /**
   * Answers a Secure-Session-Registration header (the ES256 offer), as the draft's
   * browser does: POST to its path with the signed JWT. On a 200 keeps the
   * configuration and the short-lived cookie. `proof` replaces the JWT (replays).
   */
  async register(offerHeader: string, options: { proof?: string; carried?: Carried } = {}): Promise<APIResponse> {
    const offer = parseRegistration(offerHeader).find((candidate) => candidate.algorithms.includes("ES256"));
    if (!offer) throw new Error(`No ES256 offer in ${JSON.stringify(offerHeader)}`);
    const proof = options.proof ?? (await this.registrationProof(offer));
    this.lastProof = proof;
    const response = await this.request.post(new URL(offer.path, this.origin).toString(), {
      headers: { [DBSC.response]: proof, ...(options.carried ? carriedHeaders(options.carried) : { cookie: "" }) },
    });
    await this.keep(response);
    return response;
  }

  /**
   * The refresh dance: POST refresh_url with Sec-Secure-Session-Id and no proof;
   * if that answers 403 with a challenge, POST again with the challenge signed by
   * `signer` (this device's key unless a test says otherwise). A 200 with a cookie
   * replaces the short-lived cookie.
   */
  async refresh(options: { signer?: DeviceKey; quoteId?: boolean; identifier?: string } = {}): Promise<RefreshResult> {
    const challengeResponse = await this.askChallenge(options);
    const header = challengeResponse.headers()[DBSC.challenge];
    if (challengeResponse.status() !== 403 || !header) return { challengeResponse };
    const [{ challenge }] = parseChallenges(header);
    const answer = await this.answer(challenge, options);
    return { challengeResponse, challenge, answer };
  }

  /** The first step alone: the proof-less POST to the refresh URL. */
  askChallenge(options: { quoteId?: boolean; identifier?: string } = {}): Promise<APIResponse> {
    return this.request.post(this.refreshUrl(), { headers: this.refreshHeaders(options) });
  }

  /** The second step alone: a signed answer to `challenge` (or any JWT given as `proof`). */
  async answer(challenge: string, options: { signer?: DeviceKey; proof?: string; quoteId?: boolean; identifier?: string } = {}): Promise<APIResponse> {
    const proof = options.proof ?? (await signProof(options.signer ?? this.key, challenge, { withKey: false }));
    this.lastProof = proof;
    const response = await this.request.post(this.refreshUrl(), { headers: { ...this.refreshHeaders(options), [DBSC.response]: proof } });
    await this.keep(response);
    return response;
  }

  private refreshUrl(): string {
    if (!this.config) throw new Error("not registered");
    return new URL(this.config.refresh_url, this.origin).toString();
  }

  private refreshHeaders(options: { quoteId?: boolean; identifier?: string }): Record<string, string> {
    const id = options.identifier ?? this.sessionIdentifier;
    return { cookie: "", [DBSC.sessionId]: options.quoteId ? `"${id}"` : id };
  }

  /** On a 200 with a configuration and a short-lived cookie, keeps both. */
  private async keep(response: APIResponse): Promise<void> {
    const cookie = boundCookieSet(response);
    if (response.status() !== 200 || !cookie) return;
    this.boundCookie = cookie.value;
    const config = (await response.json()) as SessionConfiguration; // Playwright keeps the body: the tests read it again
    if (config.session_identifier) this.config = config;
  }
}

/**
 * The form the app stores a public key in (bound_key): the compressed P-256
 * point, base64url (44 characters), short enough to keep the session hash a listpack.
 */
export function compressedPoint(jwk: PublicJwk): string {
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
  return ECDH.convertKey(point, "prime256v1", undefined, "base64url", "compressed") as string;
}
