import type { Redis } from "ioredis";

// Per-command call counts of the main Redis (INFO commandstats), read-only.
// total_commands_processed (see api.ts) counts the commands a Lua script runs
// inside it too (an EVALSHA whose script calls HGETALL adds 2), so telling "what
// the app sent" from "what ran" needs the per-command counts as well.

export async function commandCalls(client: Redis): Promise<Map<string, number>> {
  const info = await client.info("commandstats");
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1].toLowerCase(), Number(match[2]));
  return calls;
}

/** after − before, per command, leaving out commands that did not change. */
export function callsBetween(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, count] of after) {
    const delta = count - (before.get(name) ?? 0);
    if (delta !== 0) out.set(name, delta);
  }
  return out;
}

export function formatCalls(calls: Map<string, number>): string {
  return calls.size === 0 ? "none" : [...calls.entries()].sort().map(([name, count]) => `${name} ${count}`).join(", ");
}

/**
 * Round trips clients made to Redis while `work` ran: the growth of
 * total_reads_processed (one per request a client sent, a pipeline or a script
 * being one), less the INFO that reads the figure afterwards.
 */
export async function roundTripsDuring(client: Redis, work: () => Promise<unknown>): Promise<number> {
  const reads = async (): Promise<number> => Number(/total_reads_processed:(\d+)/.exec(await client.info("stats"))?.[1]);
  const before = await reads();
  await work();
  return (await reads()) - before - 1;
}
