import { scriptByName } from "./scripts";
import { stepOf } from "./steps";
import type { RequestTrace, TracedCommand } from "./store";

// A trace as the panel's table shows it: per request (a server action, then the
// page it redirected to), one row per command sent, and under a script the
// commands its source calls, marked as inside it, one row per key they touch
// (fewer rows: the panel is rendered on every page). Keys shortened; no values.

export type TraceRow = {
  step: string;
  command: string;
  key: string;
  /** µs from the call to the reply; undefined for the commands inside a script (Redis times those, not us). */
  timeUs?: number;
  insideScript?: string;
};

export type TraceGroup = { request: string; rows: TraceRow[] };

/** "EVALSHA validateSession" for a script of the app's, else the command's name. */
export function commandLabel(entry: TracedCommand): string {
  return entry.script ? `${entry.command} ${entry.script}` : entry.command;
}

export function traceGroups(trace: RequestTrace): TraceGroup[] {
  const groups = trace.continues ? traceGroups(trace.continues) : [];
  return [...groups, { request: trace.request, rows: trace.commands.flatMap(rowsOf) }];
}

function rowsOf(entry: TracedCommand): TraceRow[] {
  const keys = entry.keys.map(shortenKey);
  const sent: TraceRow = {
    step: stepOf(entry),
    command: commandLabel(entry),
    key: keys.length === 0 ? "—" : keys.length <= 3 ? keys.join(" ") : `${keys[0]} and ${keys.length - 1} more`,
    timeUs: entry.durationUs,
  };
  const shape = entry.script ? scriptByName(entry.script) : undefined;
  if (!shape) return [sent];
  const byKey = new Map<string, string[]>();
  for (const call of shape.calls) {
    const position = call.keyExpression;
    const key = position === undefined ? "—" : /^\d+$/.test(position) ? (keys[Number(position) - 1] ?? "—") : "each key after the first";
    byKey.set(key, [...(byKey.get(key) ?? []), call.command]);
  }
  return [sent, ...[...byKey].map(([key, commands]) => ({ step: `inside ${shape.name}`, command: commands.join(", "), key, insideScript: shape.name }))];
}

// Key names as the trace and the key inspector show them. Session ids (SHA-256 of
// a token's secret), user tags and the hashes in rate-limit keys are long runs of
// hex or base64url: each is cut to its first 8 characters, as the log does with
// session ids (lib/session/record.ts logRef). Enough to match a row on the devices page, far
// too little to be anything's hash.

const LONG_ID = /[A-Za-z0-9_-]{16,}/g;

/** `session:{0f3c…32 hex}:token:<43 chars>` → `session:{0f3c9a1b…}:token:Xy3kPq9a…`. */
export function shortenKey(key: string): string {
  return key.replace(LONG_ID, (id) => `${id.slice(0, 8)}…`);
}
