import { PLAIN_PAGE_POLICY } from "./security-headers";

// The two pages the proxy answers with itself, before any of the app renders: the
// 503 of an outage and the 403 of a cross-site form post. Plain HTML, no
// JavaScript, so they render even when nothing else works.

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
