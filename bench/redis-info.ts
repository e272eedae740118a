import type { Redis } from "ioredis";

// Reading INFO: "key:value" lines, and commandstats' "cmdstat_<name>:calls=N,…".

export async function infoFields(client: Redis, section: string): Promise<Record<string, string>> {
  const text = await client.info(section);
  const fields: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0 && !line.startsWith("#")) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

export async function usedMemory(client: Redis): Promise<number> {
  const value = Number((await infoFields(client, "memory")).used_memory);
  if (!Number.isFinite(value)) throw new Error("INFO memory has no used_memory");
  return value;
}

/** Command name → calls, from INFO commandstats. Throws when the section cannot be read. */
export async function commandCalls(client: Redis): Promise<Record<string, number>> {
  const fields = await infoFields(client, "commandstats");
  const calls: Record<string, number> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!key.startsWith("cmdstat_")) continue;
    const match = /(?:^|,)calls=(\d+)/.exec(value);
    if (!match) throw new Error(`INFO commandstats: cannot read the calls of ${key} (${value})`);
    calls[key.slice("cmdstat_".length)] = Number(match[1]);
  }
  // Our own CONFIG RESETSTAT runs just before, so commandstats can never be empty after it.
  if (Object.keys(calls).length === 0) throw new Error("INFO commandstats returned no command at all");
  return calls;
}

/** after − before, per command, without the zeros. */
export function callsDelta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, calls] of Object.entries(after)) {
    const diff = calls - (before[name] ?? 0);
    if (diff !== 0) delta[name] = diff;
  }
  return delta;
}

/** CPU seconds Redis has used since it started (user + system, all threads), from INFO cpu. */
export async function serverCpuSeconds(client: Redis): Promise<number> {
  const fields = await infoFields(client, "cpu");
  const total = Number(fields.used_cpu_user) + Number(fields.used_cpu_sys);
  if (!Number.isFinite(total)) throw new Error("INFO cpu has no used_cpu_user/used_cpu_sys");
  return total;
}
