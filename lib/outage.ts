import { isRedisUnavailable } from "./redis";

// The one place where "Redis is unavailable" becomes an answer. Every caller (the
// proxy, route handlers, server actions) says what its answer is; this says when
// it is due. The words are in outage-message.ts.

export { OUTAGE_MESSAGE } from "./outage-message";

/** Runs Redis work; if Redis cannot serve it (down, timed out, READONLY, OOM…), returns the caller's outage answer instead. */
export async function unlessOutage<T, A>(work: () => Promise<T>, outageAnswer: () => A): Promise<T | A> {
  try {
    return await work();
  } catch (error) {
    if (isRedisUnavailable(error)) return outageAnswer();
    throw error;
  }
}
