// The browser's view of its session's expiry. Times are the server's (Redis's)
// clock; `offset` turns them into this browser's clock, whatever its skew.

export type Expiry = { expiresAt: number; now: number };

/** When the session ends unless used, asked without using it (GET /api/me/expiry); null once it has ended, undefined if unknown right now. */
export async function peekExpiry(): Promise<Expiry | null | undefined> {
  try {
    const response = await fetch("/api/me/expiry", { cache: "no-store" });
    if (response.status === 401) return null;
    if (!response.ok) return undefined;
    const body = (await response.json()) as { expiresAt: string; now: string };
    return { expiresAt: Date.parse(body.expiresAt), now: Date.parse(body.now) };
  } catch {
    return undefined; // offline, or the server is restarting: asked again later
  }
}

/**
 * "Stay signed in": one request that uses the session and so slides its expiry
 * (GET /api/me), then the new expiry read the same way as every other.
 */
export async function staySignedIn(): Promise<Expiry | null | undefined> {
  try {
    const response = await fetch("/api/me", { cache: "no-store" });
    if (response.status === 401) return null;
    if (!response.ok) return undefined;
  } catch {
    return undefined;
  }
  return peekExpiry();
}

/**
 * Leaves a page whose session has ended: the same address again, which the
 * proxy answers with the sign-in page and the reason (a replaced session: the
 * page again, under the browser's new cookie).
 */
export function leavePage(): void {
  window.location.assign(window.location.pathname + window.location.search);
}
