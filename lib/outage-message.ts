// The words of an outage, in one place: the proxy's 503 page, the API's 503 JSON,
// the forms' messages and the error boundary all say these. A module of its own,
// with no imports, so the client-side error boundary can use it too.

/** Redis (the sessions) cannot serve. */
export const OUTAGE_MESSAGE = "Sessions are temporarily unavailable";

/** The users database cannot serve: only what needs it fails (sign-in, sign-up, password proofs, account changes). */
export const DATABASE_OUTAGE_MESSAGE = "Accounts are temporarily unavailable";
