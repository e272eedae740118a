import { Cluster, Redis, type Command, type RedisOptions } from "ioredis";
import { channel } from "node:diagnostics_channel";

// The app's Redis clients, built to fail fast. A session check that waits for a
// dead Redis holds a request open forever, so every command has a timeout, nothing
// is queued while disconnected (no unbounded memory), and reconnection happens in
// the background so the app recovers by itself when Redis is back. Whoever wants
// to watch the commands (the teaching layer's Redis trace) attaches an observer
// here, the one hook this layer offers; nothing else of the app is known here.

const RECONNECT_MAX_DELAY_MS = 1000;

/** The one client type the app uses: a single Redis (or one found through Sentinel), or a Cluster. */
export type RedisClient = Redis | Cluster;

type HostPort = { host: string; port: number };

/** Where the sessions live: one Redis, a Sentinel-watched master, or a Cluster. */
export type RedisTarget =
  | { kind: "single"; url: string }
  | { kind: "sentinel"; sentinels: HostPort[]; name: string; password?: string; sentinelPassword?: string }
  | { kind: "cluster"; nodes: HostPort[]; password?: string };

/**
 * Told of every command a client sends (plain calls, pipelines and scripts alike;
 * on a Cluster, the Cluster's own, once per command), before it is sent. The
 * command carries its promise, so an observer can time its reply.
 */
export type CommandObserver = (command: Command) => void;

export type ClientOptions = {
  commandTimeoutMs: number;
  /** "subscriber": pub/sub only (live/hub.ts), which waits for a reconnection instead of failing. */
  role?: "commands" | "subscriber";
  observers?: CommandObserver[];
};

/**
 * The factory for every kind of deployment. Nothing else in the app knows which
 * one it talks to: the store's commands are single-key or single-slot (every key
 * of a user shares its hash tag), so they run alike on all three.
 */
export function createRedisClient(url: string, options: ClientOptions): Redis;
export function createRedisClient(target: RedisTarget | string, options: ClientOptions): RedisClient;
export function createRedisClient(target: RedisTarget | string, options: ClientOptions): RedisClient {
  const { commandTimeoutMs, role = "commands", observers = [] } = options;
  // A subscriber (live/hub.ts) is the exception: its (un)subscribes wait for a
  // reconnection instead of failing, and ioredis subscribes again by itself once
  // connected, so the set of channels survives a restart of Redis.
  const subscriber = role === "subscriber";
  const failFast: RedisOptions = {
    commandTimeout: subscriber ? undefined : commandTimeoutMs,
    connectTimeout: commandTimeoutMs * 2,
    enableOfflineQueue: subscriber,
    // Connect on first use: a build, or a process that only ever sees malformed
    // tokens, opens no connection at all.
    lazyConnect: true,
    maxRetriesPerRequest: subscriber ? null : 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, RECONNECT_MAX_DELAY_MS),
  };
  const chosen: RedisTarget = typeof target === "string" ? { kind: "single", url: target } : target;
  let client: RedisClient;
  if (chosen.kind === "single") client = new Redis(chosen.url, failFast);
  else if (chosen.kind === "sentinel") {
    client = new Redis({
      ...failFast,
      sentinels: chosen.sentinels,
      name: chosen.name,
      password: chosen.password,
      sentinelPassword: chosen.sentinelPassword,
      // After a failover, ask the sentinels again soon rather than late.
      sentinelRetryStrategy: (attempt) => Math.min(attempt * 100, RECONNECT_MAX_DELAY_MS),
    });
  } else {
    client = new Cluster(chosen.nodes, {
      lazyConnect: true,
      enableOfflineQueue: subscriber,
      // A subscriber on a Cluster listens to shard channels: one connection per master, each for its own slots.
      shardedSubscribers: subscriber,
      clusterRetryStrategy: (attempt) => Math.min(attempt * 100, RECONNECT_MAX_DELAY_MS),
      // A moved slot (failover, resharding) is followed a few times, then it is an outage.
      maxRedirections: 6,
      retryDelayOnFailover: 100,
      // Ask for the slot map every 2 s as well: a client used rarely (the WAIT
      // writer) would otherwise still hold a failed-over master's address on its
      // first write after the failover, and a pipeline is not redirected.
      slotsRefreshInterval: 2000,
      redisOptions: { ...failFast, password: chosen.password, lazyConnect: false },
    });
  }
  let announced = false;
  // Without an "error" listener ioredis' errors would crash the process.
  client.on("error", (error: Error) => {
    if (announced) return;
    announced = true;
    console.error(JSON.stringify({ event: "redis_unavailable", message: error.message }));
  });
  client.on("ready", () => {
    if (announced) console.error(JSON.stringify({ event: "redis_recovered" }));
    announced = false;
  });
  if (observers.length > 0) observeCommands(client, observers);
  return client;
}

type Send = (command: Command, ...rest: unknown[]) => unknown;

/** Wraps the client's sendCommand so that each observer sees each command before it goes out. */
function observeCommands(client: RedisClient, observers: CommandObserver[]): void {
  const target = client as unknown as { sendCommand: Send };
  const send = target.sendCommand.bind(client) as Send;
  target.sendCommand = (command: Command, ...rest: unknown[]): unknown => {
    for (const observe of observers) observe(command);
    return send(command, ...rest);
  };
}

/**
 * Resolves once the client can take commands, or rejects after `timeoutMs`.
 * Without an offline queue a command sent while (re)connecting would fail at once,
 * so a request that arrives during the first few milliseconds of the process, or
 * just as Redis comes back, waits briefly for the connection instead.
 */
export function whenReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  // A failed first connect leaves the client in "end" (lazyConnect does not retry it).
  if (client.status === "wait" || client.status === "end") client.connect().catch(() => undefined);
  return Promise.race([nextReady(client), rejectAfter(timeoutMs, client)]);
}

// One "ready" listener per client however many calls wait at once (a burst of
// requests during a reconnect would otherwise pile up listeners): the pending
// wait is kept on the client itself.
const PENDING_READY = Symbol("pending ready");
type Waiting = RedisClient & { [PENDING_READY]?: Promise<void> };

function nextReady(client: Waiting): Promise<void> {
  let pending = client[PENDING_READY];
  if (!pending) {
    pending = new Promise<void>((resolve) => client.once("ready", () => resolve()));
    pending.finally(() => void (client[PENDING_READY] = undefined)).catch(() => undefined);
    client[PENDING_READY] = pending;
  }
  return pending;
}

function rejectAfter(timeoutMs: number, client: RedisClient): Promise<never> {
  return new Promise((_, reject) => {
    setTimeout(() => reject(new Error(`Redis not ready after ${timeoutMs} ms (status: ${client.status})`)), timeoutMs).unref();
  });
}

/**
 * Redis could not be reached in time. Expected outcomes (wrong token, expired
 * session) are values; this is the unexpected case, which pages turn into a 503.
 */
export class RedisUnavailableError extends Error {
  constructor(cause: unknown) {
    super("Redis is unavailable", { cause });
    this.name = "RedisUnavailableError";
    channel(OUTAGE_CHANNEL).publish(this);
  }
}

/**
 * Every outage error (this one and the users database's) is published on this
 * diagnostics channel as it is made: the front door (lib/web/outage-status.ts)
 * listens, to answer 503 rather than 500 when a page fails because a store could
 * not serve, and to log why. The name is the contract (lib/db cannot import this
 * file, so it spells it too); a channel is process-wide, across Next.js' bundles.
 */
export const OUTAGE_CHANNEL = "next-redis-sessions:outage";

/**
 * Checks by name, not `instanceof`: Next.js bundles the proxy, the pages and the
 * route handlers separately, each with its own copy of the class, while they
 * share one client (and so one source of these errors) through the runtime.
 */
export function isRedisUnavailable(error: unknown): error is RedisUnavailableError {
  return error instanceof Error && error.name === "RedisUnavailableError";
}

/**
 * Error replies that say "this Redis cannot serve you right now", not "your
 * command is wrong": a replica after a failover (READONLY), maxmemory reached with
 * noeviction (OOM), a restart still loading its data (LOADING), a replica cut off
 * from its master (MASTERDOWN), a long script (BUSY), and their Cluster and
 * persistence cousins (a slot that moved in a failover, MOVED, reaches us only
 * from a pipeline, which ioredis does not redirect). They are outages like a
 * dropped connection.
 */
const UNAVAILABLE_REPLIES = /^(READONLY|OOM|LOADING|MASTERDOWN|BUSY|NOREPLICAS|MISCONF|CLUSTERDOWN|TRYAGAIN|MOVED|ASK)\b/;

/** A failure of Redis work: a bug in our command or script stays loud; anything else is an outage. */
function asOutage(error: unknown): never {
  if (error instanceof Error && error.name === "ReplyError" && !UNAVAILABLE_REPLIES.test(error.message)) throw error;
  throw new RedisUnavailableError(error);
}

/**
 * Runs Redis work once the client is ready; connection failures, timeouts and
 * outage replies become RedisUnavailableError, script bugs stay loud. The ready
 * case (every request but the first few) goes straight to the command: this runs
 * on every session check.
 */
export function guarded<T>(client: RedisClient, readyTimeoutMs: number, operation: () => Promise<T>): Promise<T> {
  const work = client.status === "ready" ? operation() : whenReady(client, readyTimeoutMs).then(operation);
  return work.catch(asOutage);
}

/** Runs a pipeline and fails as a whole if any step failed; the replies in order. */
export async function execPipeline(pipeline: ReturnType<RedisClient["pipeline"]>): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

/** Registers Lua scripts as client commands once (ioredis sends them with EVALSHA, falling back to EVAL). */
export function defineScripts(client: RedisClient, scripts: Record<string, { lua: string; numberOfKeys?: number }>): void {
  for (const [name, definition] of Object.entries(scripts)) if (!(name in client)) client.defineCommand(name, definition);
}
