// A cookie rides along with any cross-site request, so an endpoint that changes
// something and was reached with only the cookie must see its own origin in the
// Origin header (the same check Next.js applies to server actions). Requests that
// carry a bearer token need no such check: no browser attaches one on its own.

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
