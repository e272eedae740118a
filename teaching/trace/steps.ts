import { commandPurpose, kindOfKey, SCRIPT_PURPOSE } from "../commands";
import type { ScriptName } from "../../lib/session";
import type { TracedCommand } from "./store";

// The "Step" column: which step of the session pattern a command belongs to, in
// plain words, from the one list of steps and their commands (teaching/commands.ts):
// a script by what it does, a plain command by what it does to which kind of key.

export function stepOf(entry: Pick<TracedCommand, "command" | "keys" | "script">): string {
  const kind = kindOfKey(entry.keys[0]);
  if (entry.script === "countAttempt" && kind === "signup") return "count a sign-up";
  if (entry.script) return SCRIPT_PURPOSE[entry.script as ScriptName] ?? `run the ${entry.script} script`;
  if (entry.command === "WAIT") return "wait for a replica to have the write";
  if (entry.command === "PING") return "health check";
  if (entry.command === "PUBLISH" || entry.command === "SPUBLISH") return "tell the user's open tabs";
  // A new connection's handshake (RESP3, client name, server info): once per connection, not per request.
  if (["HELLO", "CLIENT", "INFO", "AUTH", "SELECT", "READONLY", "CLUSTER"].includes(entry.command)) return "open the connection (once)";
  return commandPurpose(entry.command, kind) ?? "other";
}
