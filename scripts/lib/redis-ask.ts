import { Redis } from "ioredis";

// One command to one process of a topology (node, replica or sentinel) over a
// connection of its own, closed right after: the launchers ask while processes come
// and go, so nothing may reconnect or queue in the background.

/** Sends one command to 127.0.0.1:port and returns the reply; rejects if the process does not answer. */
export async function askRedis(port: number, command: string, ...args: (string | number)[]): Promise<unknown> {
  const client = new Redis({
    host: "127.0.0.1",
    port,
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: false, // a sentinel or a cluster node that is not ready yet must still answer
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 2000,
  });
  client.on("error", () => {}); // the command's promise reports the failure
  try {
    await client.connect();
    return await client.call(command, ...args);
  } finally {
    client.disconnect();
  }
}

/** The reply as text (INFO, CLUSTER INFO, CLUSTER NODES). */
export async function askRedisText(port: number, command: string, ...args: (string | number)[]): Promise<string> {
  const reply = await askRedis(port, command, ...args);
  if (typeof reply !== "string") throw new Error(`${command} on port ${port} did not answer with text`);
  return reply;
}
