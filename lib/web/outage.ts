// The one place where "a store cannot serve" becomes an answer, and its words:
// the proxy's 503 page, the API's 503 JSON, the forms' messages and the error
// boundary all say these. Every caller (the proxy, route handlers, server
// actions) says what its answer is; this says when it is due. Errors are told
// apart by name, not class (Next.js bundles every route with its own copy of
// each class), so this file imports nothing and the browser's error boundary may
// use it too.

/** Redis (the sessions) cannot serve. */
export const OUTAGE_MESSAGE = "Sessions are temporarily unavailable";

/** The users database cannot serve: only what needs it fails (sign-in, sign-up, password proofs, account changes). */
export const DATABASE_OUTAGE_MESSAGE = "Accounts are temporarily unavailable";

/** The words for an outage error (RedisUnavailableError, DatabaseUnavailableError), or undefined when it is not one (a bug stays loud). */
export function outageMessage(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === "RedisUnavailableError") return OUTAGE_MESSAGE;
  if (error.name === "DatabaseUnavailableError") return DATABASE_OUTAGE_MESSAGE;
  return undefined;
}

/** Runs work on Redis or the users database; if either cannot serve it, returns the caller's outage answer instead. */
export async function unlessOutage<T, A>(work: () => Promise<T>, outageAnswer: (message: string) => A): Promise<T | A> {
  try {
    return await work();
  } catch (error) {
    const message = outageMessage(error);
    if (message !== undefined) return outageAnswer(message);
    throw error;
  }
}
