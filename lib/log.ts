// Structured log lines, one JSON object per line. Callers pass user ids and
// `logRef`s of sessions only: never a token, its hash (the full session id), a
// password, or anything derived from a password.

type LogFields = Record<string, string | number | boolean | undefined>;

export function logEvent(event: string, fields: LogFields = {}): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
}

/**
 * How a log line names a session: the first 8 characters of its public id. Enough
 * to match a row on the devices page or in the API, far too little to be the hash
 * of anything.
 */
export function logRef(sessionId: string): string {
  return sessionId.slice(0, 8);
}
