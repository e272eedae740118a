import { shortenKey } from "./keys";
import { commandLabel } from "./rows";
import { stepOf } from "./steps";
import type { TracedCommand } from "./storage";

// The API's trace: a Server-Timing header, one `redis` entry per command, which
// browser dev tools show in the request's timing. Header values are Latin-1 and
// `desc` is a quoted string: the ellipsis of shortened keys becomes "...".

export function serverTiming(commands: TracedCommand[]): string {
  return commands.map((entry) => `redis;dur=${((entry.durationUs ?? 0) / 1000).toFixed(3)};desc=${quoted(describe(entry))}`).join(", ");
}

function describe(entry: TracedCommand): string {
  const keys = entry.keys.map(shortenKey).join(" ");
  return `${stepOf(entry)}: ${commandLabel(entry)}${keys ? ` ${keys}` : ""}`.replaceAll("…", "...");
}

function quoted(text: string): string {
  return `"${text.replace(/[^\x20-\x7e]/g, "?").replace(/["\\]/g, "\\$&")}"`;
}
