import { createHash } from "node:crypto";

// The app's Lua scripts as the trace shows them: a name, and the Redis commands
// the script's own source calls, read from the Lua text when the script is
// defined (not a copy kept by hand, so it cannot drift from what runs). An
// EVALSHA names its script by the SHA-1 of the source, as Redis does.

/** A command a script's source calls, and which of the script's keys it names. */
export type ScriptCall = {
  command: string;
  /** 1-based index into the script's KEYS; "each" for KEYS[i] in a loop; undefined for no key (TIME). */
  key?: number | "each";
};

export type ScriptShape = { name: string; calls: ScriptCall[] };

const globalForScripts = globalThis as typeof globalThis & { redisTraceScripts?: Map<string, ScriptShape> };

function shapes(): Map<string, ScriptShape> {
  globalForScripts.redisTraceScripts ??= new Map();
  return globalForScripts.redisTraceScripts;
}

const sha1 = (lua: string): string => createHash("sha1").update(lua).digest("hex");

/** `redis.call('HSET', KEYS[1], …)` → { command: "HSET", key: 1 }, in the order they are written, each once. */
export function callsOf(lua: string): ScriptCall[] {
  const calls: ScriptCall[] = [];
  const seen = new Set<string>();
  // KEYS[1] names one key; any other index (KEYS[i], KEYS[1 + n + i]) one per loop turn.
  for (const match of lua.matchAll(/redis\.p?call\(\s*['"]([A-Za-z]+)['"]\s*(?:,\s*KEYS\[\s*([^\]]+?)\s*\])?/g)) {
    const index = match[2];
    const call: ScriptCall = { command: match[1].toUpperCase(), key: index === undefined ? undefined : /^\d+$/.test(index) ? Number(index) : "each" };
    const id = `${call.command} ${call.key ?? ""}`;
    if (seen.has(id)) continue;
    seen.add(id);
    calls.push(call);
  }
  return calls;
}

/** Called where the app defines its scripts (lib/redis.ts defineScripts). */
export function registerScript(name: string, lua: string): void {
  const key = sha1(lua);
  if (!shapes().has(key)) shapes().set(key, { name, calls: callsOf(lua) });
}

/** The script an EVALSHA (by its SHA-1) or an EVAL (by its source) runs, if the app defined it. */
export function scriptBySha(sha: string): ScriptShape | undefined {
  return shapes().get(sha.toLowerCase());
}

export function scriptBySource(lua: string): ScriptShape | undefined {
  return shapes().get(sha1(lua));
}

export function scriptByName(name: string): ScriptShape | undefined {
  for (const shape of shapes().values()) if (shape.name === name) return shape;
  return undefined;
}
