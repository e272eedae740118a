import { Redis } from "ioredis";
import { redisUrl } from "./env";

// Direct reads of the main Redis, to check what the app stores (never to change it;
// e2e/live.spec.ts drops the app's pub/sub connections with CLIENT KILL, no data).

export type StoredKey = { key: string; type: string; values: string[] };

export async function withRedis<T>(run: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    client.disconnect();
  }
}

/** Every key with every member, field and value it holds, whatever its type. */
export async function readEverything(client: Redis): Promise<StoredKey[]> {
  const keys = new Set<string>();
  let cursor = "0";
  do {
    const [next, batch] = await client.scan(cursor, "COUNT", 1000);
    cursor = next;
    for (const key of batch) keys.add(key);
  } while (cursor !== "0");

  const out: StoredKey[] = [];
  for (const key of keys) {
    const type = await client.type(key);
    out.push({ key, type, values: await valuesOf(client, key, type) });
  }
  return out;
}

async function valuesOf(client: Redis, key: string, type: string): Promise<string[]> {
  switch (type) {
    case "string":
      return [(await client.get(key)) ?? ""];
    case "hash":
      return Object.entries(await client.hgetall(key)).flat();
    case "zset":
      return client.zrange(key, "0", "-1");
    case "set":
      return client.smembers(key);
    case "list":
      return client.lrange(key, 0, -1);
    case "stream":
      return (await client.xrange(key, "-", "+")).flatMap(([id, fields]) => [id, ...fields]);
    case "none":
      return []; // expired between SCAN and TYPE
    default:
      throw new Error(`Unexpected Redis type ${type} for ${key}: extend readEverything`);
  }
}

/** Public ids of every live session, read from the users' index sets. */
export async function indexedSessionIds(client: Redis): Promise<string[]> {
  const ids = new Set<string>();
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", "session:{*}:user:*", "COUNT", 1000);
    cursor = next;
    for (const key of keys) for (const id of await client.zrange(key, "0", "-1")) ids.add(id);
  } while (cursor !== "0");
  return [...ids];
}

/** Keys outside the given prefixes, and keys without a TTL (nothing the app writes lives forever). */
export async function strayKeys(client: Redis, prefixes: string[]): Promise<{ total: number; problems: string[] }> {
  const problems: string[] = [];
  let total = 0;
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, "COUNT", 1000);
    cursor = next;
    const ttls = await Promise.all(keys.map((key) => client.pttl(key)));
    keys.forEach((key, i) => {
      if (ttls[i] === -2) return; // expired between SCAN and PTTL
      total++;
      if (!prefixes.some((prefix) => key.startsWith(prefix))) problems.push(`unexpected key ${JSON.stringify(key)}`);
      if (!(ttls[i] > 0)) problems.push(`key ${JSON.stringify(key)} has no TTL (PTTL ${ttls[i]})`);
    });
  } while (cursor !== "0");
  return { total, problems };
}
