import type { Redis } from "ioredis";
import { activityKey, sessionKey, userIndexKey, type SessionStore } from "../lib/session";
import { BENCH_USER_AGENT, benchOwner, createSessions } from "./fixtures";
import { usedMemory } from "./redis-info";

// Benchmark 4: Redis memory per session, its index entry included, under Redis's
// default configuration (the bench's redis-server gets no memory option, so the
// listpack limits are the defaults: 128 entries, 64-byte values).

export type MemoryResults = {
  sessions: number;
  sessionsPerUser: number;
  usedMemoryBefore: number;
  usedMemoryAfter: number;
  /** Hash and index entry: what a session costs (the activity log is counted apart, below). */
  bytesPerSession: number;
  /** The users' activity logs (one stream per user, a line per sign-in), measured by deleting them after the count. */
  activityLog?: { users: number; entriesPerUser: number; bytesPerUser: number };
  /** MEMORY USAGE of one session hash and of one user's index (5 entries). */
  sessionHash: { encoding: string; bytes: number; fields: number };
  userIndex: { encoding: string; bytes: number; entries: number };
  /** The same hash with the raw user agent added as a field: what parsing it avoids. */
  withRawUserAgent: { encoding: string; bytes: number; userAgentLength: number };
};

async function encodingAndBytes(client: Redis, key: string): Promise<{ encoding: string; bytes: number }> {
  const encoding = String(await client.object("ENCODING", key));
  const bytes = Number(await client.memory("USAGE", key, "SAMPLES", "0"));
  return { encoding, bytes };
}

/** Fills Redis with `count` sessions (perUser each) made by createSession() and measures what they added. */
export async function measureMemory(
  admin: Redis,
  store: SessionStore,
  options: { count: number; perUser: number; firstUserId: number },
): Promise<MemoryResults> {
  const usedMemoryBefore = await usedMemory(admin);
  const { ids } = await createSessions(store, options);
  const usedMemoryAfter = await usedMemory(admin);
  // Each sign-in also wrote a line to its user's activity log: a feature of its
  // own, with its own cost, measured apart by deleting the logs.
  const users = Math.ceil(options.count / options.perUser);
  const entriesPerUser = await admin.xlen(activityKey(benchOwner(options.firstUserId)));
  for (let first = 0; first < users; first += 1000) {
    const pipeline = admin.pipeline();
    for (let u = first; u < Math.min(users, first + 1000); u++) pipeline.del(activityKey(benchOwner(options.firstUserId + u)));
    await pipeline.exec();
  }
  const usedMemoryWithoutLogs = await usedMemory(admin);

  const key = sessionKey(benchOwner(options.firstUserId).uid, ids[0]);
  const fields = await admin.hgetall(key);
  const indexKey = userIndexKey(benchOwner(options.firstUserId));
  const contrastKey = "bench:contrast:raw-user-agent";
  await admin.hset(contrastKey, { ...fields, user_agent: BENCH_USER_AGENT });
  const withRawUserAgent = { ...(await encodingAndBytes(admin, contrastKey)), userAgentLength: BENCH_USER_AGENT.length };
  await admin.del(contrastKey);

  return {
    sessions: options.count,
    sessionsPerUser: options.perUser,
    usedMemoryBefore,
    usedMemoryAfter,
    bytesPerSession: (usedMemoryWithoutLogs - usedMemoryBefore) / options.count,
    activityLog: { users, entriesPerUser, bytesPerUser: (usedMemoryAfter - usedMemoryWithoutLogs) / users },
    sessionHash: { ...(await encodingAndBytes(admin, key)), fields: Object.keys(fields).length },
    userIndex: { ...(await encodingAndBytes(admin, indexKey)), entries: await admin.zcard(indexKey) },
    withRawUserAgent,
  };
}
