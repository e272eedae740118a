// Structured log lines, one JSON object per line. Callers pass user ids and public
// session ids only: never a token, a password or anything derived from a password.

type LogFields = Record<string, string | number | boolean | undefined>;

export function logEvent(event: string, fields: LogFields = {}): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
}
