// What the gate (proxy.ts) puts on every page or answers itself, before any of
// the app renders.
//  - The Content-Security-Policy of every page. Scripts run only with this
//    request's nonce (Next.js adds it to its own scripts when it finds the policy
//    on the request), never through eval; nothing may frame the app; forms post
//    only here.
//  - The Origin check of cookie-authenticated mutations (server actions, API calls).
//  - The two pages it answers with itself: the 503 of an outage and the 403 of a
//    cross-site form post. Plain HTML, no JavaScript, so they render even when
//    nothing else works.

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // React needs eval only for its development-time error overlays.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // The development overlay styles elements inline; a nonce would cancel
    // 'unsafe-inline', so development gets 'unsafe-inline' alone.
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For the few plain responses the proxy writes itself (503, 403): no scripts at all. */
export const PLAIN_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * A cookie rides along with any cross-site request, so an endpoint that changes
 * something and was reached with only the cookie must see its own origin in the
 * Origin header (the same check Next.js applies to server actions). Requests that
 * carry a bearer token need no such check: no browser attaches one on its own.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function plainPage(status: number, title: string, text: string, headers: Record<string, string> = {}): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #1e293b">
<h1 style="font-size: 1.5rem">${title}</h1>
<p>${text}</p>
</body></html>`;
  return new Response(html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-security-policy": PLAIN_PAGE_POLICY, ...headers },
  });
}

/** Redis (or, at a process's start, the users database) cannot serve: 503, and a promise that nothing is lost. */
export function outagePage(title: string): Response {
  return plainPage(503, title, "We cannot check your sign-in right now. Nothing is lost: try again in a moment.", {
    "retry-after": "5",
  });
}

/** A form post from another site: refused before any action runs. */
export function crossSitePage(): Response {
  return plainPage(403, "Request refused", "This form was sent from another site, so it was not processed.");
}

/**
 * Whether a POST to a page is a multipart form that cannot be read (no boundary,
 * a truncated or junk body). Next.js would hand it to its server-action decoder,
 * which fails with a bare 500. The proxy reads a copy of the body (Next.js keeps
 * it for the page), so a readable form goes on untouched.
 */
export async function isUnreadableForm(request: Request): Promise<boolean> {
  if (request.method !== "POST" || !/^multipart\/form-data\b/i.test(request.headers.get("content-type") ?? "")) return false;
  try {
    await request.clone().formData();
    return false;
  } catch {
    return true;
  }
}

export function unreadableFormPage(): Response {
  return plainPage(400, "Bad request", "This form could not be read, so it was not processed. Reload the page and try again.");
}
