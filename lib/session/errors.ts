/**
 * Redis could not be reached in time. Expected outcomes (wrong token, expired
 * session) are values; this is the unexpected case, which pages turn into a 503.
 */
export class SessionStoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super("Sessions are temporarily unavailable", { cause });
    this.name = "SessionStoreUnavailableError";
  }
}

/**
 * Checks by name, not `instanceof`: Next.js bundles the proxy, the pages and the
 * route handlers separately, each with its own copy of the class, while they
 * share one store (and so one source of these errors) through globalThis.
 */
export function isStoreUnavailable(error: unknown): error is SessionStoreUnavailableError {
  return error instanceof Error && error.name === "SessionStoreUnavailableError";
}
