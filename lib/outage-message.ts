// The words of an outage, in one place: the proxy's 503 page, the API's 503 JSON,
// the forms' messages and the error boundary all say this. A module of its own,
// with no imports, so the client-side error boundary can use it too.
export const OUTAGE_MESSAGE = "Sessions are temporarily unavailable";
