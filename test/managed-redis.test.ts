import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { chooseRedis } from "../scripts/lib/managed-redis";
import { findFreePort, probeRedis, startRedisServer, type RunningRedis } from "../scripts/lib/redis-server";

// The Redis `npm start` runs by itself: loopback only, a password of its own kept
// in a file only its owner reads, and a port it shares with nobody it did not make.

const NO_ENV = {} as NodeJS.ProcessEnv; // no REDIS_URL: the managed Redis is chosen
const root = mkdtempSync(join(tmpdir(), "nrs-managed-"));
const running: RunningRedis[] = [];
afterAll(async () => {
  await Promise.all(running.map((redis) => redis.stop()));
  rmSync(root, { recursive: true, force: true });
});

describe("the managed Redis", () => {
  it("starts with a generated password (0600), refuses clients without it, and is reused only by its password", async () => {
    const port = await findFreePort();
    const first = await chooseRedis(NO_ENV, root, port);
    if (!("url" in first)) throw new Error(JSON.stringify(first));
    expect(first.started).toBeDefined();
    running.push(first.started!);
    expect(statSync(join(root, ".data", "redis", "password")).mode & 0o777).toBe(0o600);

    // A client without the password is refused (NOAUTH to its PING).
    expect(await probeRedis(port)).toBe("other-redis");
    const app = new Redis(first.url);
    expect(await app.ping()).toBe("PONG");
    expect(await app.config("GET", "bind")).toEqual(["bind", "127.0.0.1"]);
    app.disconnect();

    const again = await chooseRedis(NO_ENV, root, port);
    expect(again).toEqual({ url: first.url });
  });

  it("stops and says what is on the port when it is another Redis or not Redis at all", async () => {
    const otherPort = await findFreePort();
    const other = await startRedisServer({ binary: inject("redisServerBin"), port: otherPort, dir: join(root, "other"), persistent: false });
    running.push(other);
    const withOther = await chooseRedis(NO_ENV, root, otherPort);
    expect("error" in withOther && withOther.error).toMatch(/taken by a Redis that npm start did not make/);

    const notRedis: Server = createServer((socket) => socket.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
    const notRedisPort = await findFreePort();
    await new Promise<void>((resolve) => notRedis.listen(notRedisPort, "127.0.0.1", resolve));
    try {
      const withWeb = await chooseRedis(NO_ENV, root, notRedisPort);
      expect("error" in withWeb && withWeb.error).toMatch(/taken by something that is not Redis/);
    } finally {
      notRedis.close();
    }
  });

  it("starts nothing when the app is to use a Cluster or a Sentinel set", async () => {
    const port = await findFreePort();
    expect(await chooseRedis({ ...NO_ENV, REDIS_CLUSTER_NODES: "127.0.0.1:7000" }, root, port)).toEqual({ topology: "cluster" });
    expect(await chooseRedis({ ...NO_ENV, REDIS_SENTINELS: "127.0.0.1:26379", REDIS_SENTINEL_NAME: "m" }, root, port)).toEqual({ topology: "sentinel" });
    expect(await probeRedis(port), "nothing listens on the managed port").toBe("free");
  });
});
