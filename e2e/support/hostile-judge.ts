import { SESSION_COOKIE, type Expect } from "./hostile-model";
import type { RawReply, Reply } from "./raw-http";

// Judging one answer to hostile input. Whatever came in: no 5xx, no redirect off
// this origin (Location, Refresh, and x-action-redirect, which Next.js' client
// follows), no session for a request that did not sign in, no signed-in page or
// user object for it either, no HTML payload echoed unescaped, and the status the
// contract names where it names one.

export type Outcome = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

function header(outcome: Outcome, name: string): string[] {
  const value = outcome.headers[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function redirectTargets(outcome: Outcome): string[] {
  const targets = [...header(outcome, "location")];
  for (const refresh of header(outcome, "refresh")) {
    const url = /url=(.*)$/i.exec(refresh)?.[1];
    if (url !== undefined) targets.push(url.trim());
  }
  for (const actionRedirect of header(outcome, "x-action-redirect")) targets.push(actionRedirect.replace(/;(push|replace)$/, ""));
  return targets;
}

function resolve(target: string, origin: string): URL | undefined {
  try {
    return new URL(target, `${origin}/`);
  } catch {
    return undefined;
  }
}

/** The session cookies the answer sets (clearing one, with an empty value, is fine). */
export function sessionCookiesSet(outcome: Outcome): string[] {
  return header(outcome, "set-cookie").filter((cookie) => new RegExp(`^${SESSION_COOKIE}=[^;]+`).test(cookie));
}

export function judge(expect: Expect, outcome: Outcome, origin: string): string[] {
  const problems: string[] = [];
  const { status } = outcome;
  if (status >= 500) problems.push(`answered ${status}`);
  for (const target of redirectTargets(outcome)) {
    const landing = resolve(target, origin);
    if (landing?.origin === origin) continue;
    problems.push(`redirects off-site: ${JSON.stringify(target)} ${landing ? `leads to ${landing.origin}` : "is no URL on this site"}`);
  }
  const location = header(outcome, "location")[0];
  if (status >= 300 && status < 400 && location === undefined) problems.push(`${status} without a Location`);
  if (expect.statuses && !expect.statuses.includes(status)) problems.push(`expected ${expect.statuses.join(" or ")}, got ${status}`);
  if (expect.toLogin && status === 303 && resolve(location ?? "", origin)?.pathname !== "/login") problems.push(`303 to ${location}, not /login`);

  const cookies = sessionCookiesSet(outcome);
  const body = outcome.body.toString("utf8");
  if (expect.session === "required") {
    if (status !== 303 || cookies.length !== 1) problems.push(`expected a sign-in (303 with a session cookie), got ${status} ${body.slice(0, 120)}`);
  } else {
    const createdAccount = expect.session === "signup" && status === 303 && location === "/";
    if (cookies.length > 0 && !createdAccount) problems.push(`sets a session cookie: ${cookies[0].slice(0, 60)}…`);
    if (body.includes("Signed in as")) problems.push("renders a signed-in page");
    if (/"user"\s*:\s*\{|"token"\s*:/.test(body)) problems.push(`answers with a user or a token: ${body.slice(0, 120)}`);
  }
  if (expect.api && status === 401 && body.trim() !== '{"error":"unauthorized"}') problems.push(`401 body is ${JSON.stringify(body.slice(0, 80))}`);
  if (expect.xssMarker && body.includes(expect.xssMarker)) problems.push(`echoes ${JSON.stringify(expect.xssMarker)} unescaped`);
  return problems;
}

export function fromReply(reply: Reply): Outcome {
  return { status: reply.status, headers: reply.headers, body: reply.body };
}

export function fromRaw(reply: RawReply): Outcome {
  const headers: Record<string, string[]> = {};
  for (const line of reply.head.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) (headers[line.slice(0, colon).trim().toLowerCase()] ??= []).push(line.slice(colon + 1).trim());
  }
  return { status: reply.status, headers, body: Buffer.alloc(0) };
}
