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
