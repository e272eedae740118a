// The 503 page the proxy answers with when Redis cannot be reached. Plain HTML, so
// it renders even when nothing else works; no JavaScript, so it cannot fail.

export const UNAVAILABLE_MESSAGE = "Sessions are temporarily unavailable";

export function unavailableResponse(): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${UNAVAILABLE_MESSAGE}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #1e293b">
<h1 style="font-size: 1.5rem">${UNAVAILABLE_MESSAGE}</h1>
<p>We cannot check your sign-in right now. Nothing is lost: try again in a moment.</p>
</body></html>`;
  return new Response(html, {
    status: 503,
    headers: { "content-type": "text/html; charset=utf-8", "retry-after": "5", "cache-control": "no-store" },
  });
}
