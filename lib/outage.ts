import { isDatabaseUnavailable } from "./db/client";
import { DATABASE_OUTAGE_MESSAGE, OUTAGE_MESSAGE } from "./outage-message";
import { isRedisUnavailable } from "./redis";

// The one place where "a store cannot serve" becomes an answer. Every caller (the
// proxy, route handlers, server actions) says what its answer is; this says when
// it is due, and with which words (outage-message.ts): Redis down is "Sessions
// are temporarily unavailable", the users database down "Accounts are …".

export { DATABASE_OUTAGE_MESSAGE, OUTAGE_MESSAGE } from "./outage-message";

/** The words for an outage error, or undefined when the error is not an outage (a bug stays loud). */
export function outageMessage(error: unknown): string | undefined {
  if (isRedisUnavailable(error)) return OUTAGE_MESSAGE;
  if (isDatabaseUnavailable(error)) return DATABASE_OUTAGE_MESSAGE;
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
