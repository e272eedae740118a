import type { Redis } from "ioredis";

// What Redis ran while a piece of code did, read from INFO before and after:
// total_commands_processed, and the calls of each command (commandstats). Redis
// counts the commands a Lua script runs as well as the EVALSHA that runs it, so
// the names tell what the client sent from what ran inside a script.

export type CommandCount = { total: number; byName: Record<string, number> };

type Snapshot = { total: number; calls: Map<string, number> };

/** One INFO for both sections, so the two counts are read at the same moment. */
async function snapshot(client: Redis): Promise<Snapshot> {
  const info = await client.info("stats", "commandstats");
  const total = /^total_commands_processed:(\d+)/m.exec(info)?.[1];
  if (total === undefined) throw new Error("INFO stats has no total_commands_processed");
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1].toLowerCase(), Number(match[2]));
  return { total: Number(total), calls };
}

/**
 * `action`'s result, and the commands Redis processed while it ran. A command is
 * counted once it has run, so the "after" INFO sees the "before" INFO and not
 * itself: that one INFO is taken off both counts. Only meaningful on a Redis no
 * one else uses.
 */
export async function commandsDuring<T>(client: Redis, action: () => Promise<T>): Promise<{ result: T; commands: CommandCount }> {
  const before = await snapshot(client);
  const result = await action();
  const after = await snapshot(client);
  const byName: Record<string, number> = {};
  for (const [name, calls] of after.calls) {
    const delta = calls - (before.calls.get(name) ?? 0) - (name === "info" ? 1 : 0);
    if (delta !== 0) byName[name] = delta;
  }
  return { result, commands: { total: after.total - before.total - 1, byName } };
}
