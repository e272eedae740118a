import { SESSION_COOKIE_NAME, type FuzzCase, type Outcome } from "./fuzz-model";
import type { RawReply, Reply } from "./raw-http";

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
    case "login-api": {
      // A body that is not declared as JSON is refused before it is read: 415.
      const contentType = String(c.request?.headers?.["content-type"] ?? "").split(";")[0].trim().toLowerCase();
      const allowed = contentType === "application/json" ? [400, 401, 429] : [415];
      if (!allowed.includes(status)) problems.push(`expected ${allowed.join(", ")}, got ${status}`);
      break;
    }
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
