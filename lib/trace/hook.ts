import { performance } from "node:perf_hooks";
import type { Cluster, Command, Redis } from "ioredis";
import { scriptBySha, scriptBySource } from "./scripts";
import { currentTrace, recordCommand } from "./storage";

// The hook: every command the client sends passes through its sendCommand (plain
// calls, pipelines and scripts alike; on a Cluster, the Cluster's own, once per
// command). Wrapping it on the instance records the command into the current
// request's trace with its keys and its time from the call to the reply. Nothing
// else is kept: no argument values, no replies. Outside a request (no trace) the
// wrapper only asks the async context and calls through.

type Send = (command: Command, ...rest: unknown[]) => unknown;
const HOOKED = Symbol.for("next-redis-sessions.traced");

/** Installs the hook once per client. Only called when SHOW_REDIS_TRACE is on: off, the client is untouched. */
export function traceCommands(client: Redis | Cluster): void {
  const target = client as unknown as { sendCommand: Send; [HOOKED]?: true };
  if (target[HOOKED]) return;
  target[HOOKED] = true;
  const send = target.sendCommand.bind(client) as Send;
  target.sendCommand = (command: Command, ...rest: unknown[]): unknown => {
    const trace = currentTrace();
    if (!trace) return send(command, ...rest);
    const name = command.name.toUpperCase();
    const done = recordCommand(trace, { command: name, keys: keysOf(command), script: scriptName(name, command.args) });
    const started = performance.now();
    const finish = (failed: boolean) => () => done(Math.round((performance.now() - started) * 1000), failed);
    command.promise.then(finish(false), finish(true));
    return send(command, ...rest);
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
