import { createServer } from "node:net";
import { findFreePort } from "./redis-server";

// Ports for a topology of several processes. A Cluster node also listens on its
// port + 10000 (the cluster bus), so that port must be free too and still be a
// valid port: every port handed out stays below 55535.

export const BUS_OFFSET = 10_000;
const HIGHEST = 65_535 - BUS_OFFSET;

/** Resolves true if nothing listens on 127.0.0.1:port right now (we could bind it). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * `count` distinct free ports below 55535; with `bus`, each one's port + 10000 is
 * free as well and collides with no other port or bus port of the set.
 */
export async function findFreePorts(count: number, options: { bus: boolean }): Promise<number[]> {
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let attempt = 0; ports.length < count; attempt++) {
    if (attempt > count * 100) throw new Error(`Found only ${ports.length} of ${count} free ports below ${HIGHEST}`);
    const port = await findFreePort();
    if (port >= HIGHEST || taken.has(port)) continue;
    if (options.bus && (taken.has(port + BUS_OFFSET) || !(await isPortFree(port + BUS_OFFSET)))) continue;
    ports.push(port);
    taken.add(port);
    if (options.bus) taken.add(port + BUS_OFFSET);
  }
  return ports;
}
