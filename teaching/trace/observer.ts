import { performance } from "node:perf_hooks";
import type { Command } from "ioredis";
import type { CommandObserver } from "../../lib/redis/client";
import { scriptBySha, scriptBySource } from "./scripts";
import type { TraceStore } from "./store";

// The trace's observer on the app's Redis clients (lib/redis/client.ts offers the
// hook): every command the client sends passes through it, and is recorded into
// the current request's trace with its keys and its time from the call to the
// reply. Nothing else is kept: no argument values, no replies. Outside a request
// (no trace) it only asks the async context.

export function traceObserver(store: TraceStore): CommandObserver {
  return (command: Command): void => {
    const trace = store.currentTrace();
    if (!trace) return;
    const name = command.name.toUpperCase();
    const done = store.recordCommand(trace, { command: name, keys: keysOf(command), script: scriptName(name, command.args) });
    const started = performance.now();
    const finish = (failed: boolean) => () => done(Math.round((performance.now() - started) * 1000), failed);
    command.promise.then(finish(false), finish(true));
  };
}

function keysOf(command: Command): string[] {
  try {
    return command.getKeys().map((key) => (typeof key === "string" ? key : key.toString("utf8")));
  } catch {
    return []; // a command ioredis has no key spec for
  }
}

function scriptName(name: string, args: unknown[]): string | undefined {
  const first = args[0];
  if (typeof first !== "string") return undefined;
  if (name === "EVALSHA") return scriptBySha(first)?.name;
  if (name === "EVAL") return scriptBySource(first)?.name;
  return undefined;
}
