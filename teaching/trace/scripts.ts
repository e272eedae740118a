import { createHash } from "node:crypto";
import { SCRIPTS, type ScriptName } from "../../lib/session";
import { callsOf, type ScriptCall } from "../commands";

// The app's Lua scripts as the trace shows them: a name, and the Redis commands
// the script's own source calls, read from the Lua text (teaching/commands.ts
// callsOf: not a copy kept by hand, so it cannot drift from what runs). An
// EVALSHA names its script by the SHA-1 of the source, as Redis does.

export type ScriptShape = { name: ScriptName; calls: ScriptCall[] };

const sha1 = (lua: string): string => createHash("sha1").update(lua).digest("hex");

/** Every script of the app by the SHA-1 of its source (a constant, made when this module loads). */
const BY_SHA: ReadonlyMap<string, ScriptShape> = new Map((Object.keys(SCRIPTS) as ScriptName[]).map((name) => [sha1(SCRIPTS[name].lua), { name, calls: callsOf(SCRIPTS[name].lua) }]));

/** The script an EVALSHA (by its SHA-1) or an EVAL (by its source) runs, if the app defined it. */
export function scriptBySha(sha: string): ScriptShape | undefined {
  return BY_SHA.get(sha.toLowerCase());
}

export function scriptBySource(lua: string): ScriptShape | undefined {
  return BY_SHA.get(sha1(lua));
}

export function scriptByName(name: string): ScriptShape | undefined {
  for (const shape of BY_SHA.values()) if (shape.name === name) return shape;
  return undefined;
}
