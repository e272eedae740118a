import { randomBytes } from "node:crypto";
import { RedisStore } from "connect-redis";
import type { SessionData } from "express-session";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { defineAppScripts } from "../lib/session";
import { createSessions, keyOfToken, productStore } from "./fixtures";

// The per-request session checks compared by the validation benchmark. Each one
// has its own client, shared by all of its loops, and cycles through many
// distinct sessions so that no single hot key flatters it.

export type VariantName = "get" | "hgetall" | "validate" | "connect_redis" | "naive" | "script_only" | "hgetall_app_client";

export type Variant = {
  name: VariantName;
  label: string;
  /** limit: what Redis can do at best; product: this app; alternative: the others; diagnostic: splits the product's cost. */
  role: "limit" | "product" | "alternative" | "diagnostic";
  operation: (i: number) => Promise<void>;
};

export const VARIANT_LABELS: Record<VariantName, string> = {
  get: "raw GET of a small key (ioredis)",
  hgetall: "raw HGETALL of a session hash (ioredis)",
  validate: "validateSession() (this app)",
  connect_redis: "express-session + connect-redis: get + touch",
  naive: "naive HGETALL then EXPIRE (2 round trips)",
  script_only: "the validate script alone via EVALSHA (ioredis)",
  hgetall_app_client: "HGETALL through the app's client options",
};

/** express-session's cookie for a 30-minute rolling session, as it stores it. */
function expressSession(userId: number): SessionData {
  const maxAge = 1_800_000;
  return {
    cookie: { originalMaxAge: maxAge, expires: new Date(Date.now() + maxAge), secure: true, httpOnly: true, path: "/", sameSite: "lax" },
    // What an app typically keeps in it (passport's shape).
    passport: { user: userId },
  } as SessionData;
}

function fail(variant: VariantName, what: string): never {
  throw new Error(`validation benchmark, ${variant}: ${what}`);
}

export async function prepareVariants(redisUrl: string, sessionCount: number): Promise<{ variants: Variant[]; close: () => Promise<void> }> {
  const product = productStore(redisUrl);
  const { tokens } = await createSessions(product.store, { count: sessionCount, perUser: 5, firstUserId: 1_000_000 });
  const keys = tokens.map(keyOfToken);
  const at = <T>(list: T[], i: number): T => list[i % list.length];

  // A plain client per raw variant: ioredis defaults, nothing of the app's wrapping.
  const plain = (): Redis => new Redis(redisUrl);
  const getClient = plain();
  const hgetallClient = plain();
  const naiveClient = plain();
  const scriptClient = plain();
  defineAppScripts(scriptClient);
  // Same options as the app's client (command timeout, no offline queue), without the store around it.
  const appOptionsClient = productStore(redisUrl).client;
  await appOptionsClient.connect(); // lazyConnect and no offline queue: a command before this would fail

  const smallKeys = Array.from({ length: sessionCount }, (_, i) => `bench:small:${i}`);
  await getClient.mset(...smallKeys.flatMap((key) => [key, "1"]));

  // express-session's store: the classic alternative, on a node-redis client as connect-redis requires.
  const nodeRedis = createClient({ url: redisUrl });
  // Without a listener, node-redis turns a lost connection into an uncaught
  // exception that would end the bench before it stops its redis-server and Next.
  let nodeRedisError: Error | undefined;
  nodeRedis.on("error", (error: Error) => {
    nodeRedisError ??= error;
  });
  await nodeRedis.connect();
  const expressStore = new RedisStore({ client: nodeRedis, prefix: "sess:" });
  const sids = Array.from({ length: sessionCount }, () => randomBytes(24).toString("base64url")); // uid-safe(24), as express-session makes them
  await Promise.all(sids.map((sid, i) => expressStore.set(sid, expressSession(1_000_000 + i))));

  const { settings } = product;
  const variants: Variant[] = [
    {
      name: "get",
      label: VARIANT_LABELS.get,
      role: "limit",
      operation: async (i) => {
        if ((await getClient.get(at(smallKeys, i))) === null) fail("get", "a seeded key is missing");
      },
    },
    {
      name: "hgetall",
      label: VARIANT_LABELS.hgetall,
      role: "limit",
      operation: async (i) => {
        const hash = await hgetallClient.hgetall(at(keys, i));
        if (!hash.user_id) fail("hgetall", "a live session hash is empty");
      },
    },
    {
      name: "validate",
      label: VARIANT_LABELS.validate,
      role: "product",
      operation: async (i) => {
        const validation = await product.store.validateSession(at(tokens, i));
        if (validation.status !== "valid") fail("validate", "validateSession() returned invalid for a live session");
      },
    },
    {
      name: "connect_redis",
      label: VARIANT_LABELS.connect_redis,
      role: "alternative",
      operation: async (i) => {
        // express-session with rolling: true, per request: store.get, then (the
        // session unchanged) cookie.maxAge reset and store.touch to slide the TTL.
        if (nodeRedisError) throw nodeRedisError;
        const sid = at(sids, i);
        const sess: SessionData | null = await expressStore.get(sid);
        if (!sess) fail("connect_redis", "store.get returned nothing for a live session");
        sess.cookie.expires = new Date(Date.now() + (sess.cookie.originalMaxAge ?? 1_800_000));
        await expressStore.touch(sid, sess);
      },
    },
    {
      name: "naive",
      label: VARIANT_LABELS.naive,
      role: "alternative",
      operation: async (i) => {
        const key = at(keys, i);
        const hash = await naiveClient.hgetall(key);
        if (!hash.user_id) fail("naive", "a live session hash is empty");
        await naiveClient.expire(key, settings.idleTtlMs / 1000);
      },
    },
    {
      name: "script_only",
      label: VARIANT_LABELS.script_only,
      role: "diagnostic",
      operation: async (i) => {
        const reply = await scriptClient.validateSession(at(keys, i), String(settings.idleTtlMs), String(settings.absoluteTtlMs), String(settings.lastSeenIntervalMs), settings.usersDatabaseId, String(settings.idleTtlMs), String(settings.absoluteTtlMs), "");
        if (!reply) fail("script_only", "the script returned nil for a live session");
      },
    },
    {
      name: "hgetall_app_client",
      label: VARIANT_LABELS.hgetall_app_client,
      role: "diagnostic",
      operation: async (i) => {
        const hash = await appOptionsClient.hgetall(at(keys, i));
        if (!hash.user_id) fail("hgetall_app_client", "a live session hash is empty");
      },
    },
  ];

  const close = async (): Promise<void> => {
    await Promise.all([getClient, hgetallClient, naiveClient, scriptClient, appOptionsClient, product.client].map((client) => client.quit()));
    if (nodeRedis.isOpen) await nodeRedis.close();
  };
  return { variants, close };
}
