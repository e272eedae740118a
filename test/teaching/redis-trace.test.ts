import { describe, expect, it } from "vitest";
import { traceObserver } from "../../teaching/trace/observer";
import { shortenKey, traceGroups } from "../../teaching/trace/rows";
import { callsOf } from "../../teaching/commands";
import { serverTiming } from "../../teaching/trace/request";
import { createTraceStore, type RequestTrace } from "../../teaching/trace/store";
import { created, freshUserId, newSession, owner, testRedis, testStore } from "../support/store";
import { activityKey, userIndexKey } from "../../lib/session";

// The Redis trace against a real redis-server: the trace's observer on the
// client (the hook lib/redis/client.ts offers) records what the store sends inside
// a request's async context, and nothing outside it.

const traces = createTraceStore();
const newTrace = (id: string, request: string, continues?: RequestTrace): RequestTrace => ({ id, request, commands: [], continues });
const runTraced = traces.runTraced;

function tracedStore() {
  return testStore({}, testRedis(undefined, [traceObserver(traces)]));
}

describe("the trace of a request", () => {
  it("records the store's commands in order, scripts by name, with their keys and a time", async () => {
    const { store } = tracedStore();
    const userId = freshUserId();
    const { token, session } = await created(store, newSession(userId));
    const trace = newTrace("t", "GET /devices");
    await runTraced(trace, async () => {
      await store.validateSession(token);
      await store.listUserSessions(owner(userId));
    });
    expect(trace.commands.map((c) => `${c.command} ${c.script ?? ""}`.trim())).toEqual(["EVALSHA validateSession", "EVALSHA indexRead", "HGETALL"]);
    expect(trace.commands[0].keys).toEqual([`session:{${owner(userId).uid}}:token:${session.id}`]);
    expect(trace.commands[1].keys).toEqual([userIndexKey(owner(userId))]);
    // Every command answered: each has its time.
    for (const command of trace.commands) expect(command.durationUs).toBeGreaterThan(0);
  });

  it("records nothing outside a request, and each request only its own commands", async () => {
    const { store } = tracedStore();
    const { token } = await created(store, newSession(freshUserId()));
    const [a, b] = [newTrace("a", "GET /"), newTrace("b", "GET /")];
    await Promise.all([runTraced(a, () => store.validateSession(token)), runTraced(b, () => store.validateSession("malformed"))]);
    expect(a.commands).toHaveLength(1);
    expect(b.commands, "a malformed token costs no command").toHaveLength(0);
  });

  it("lists what a script calls inside it, from its source, on the keys it was given", async () => {
    const { store } = tracedStore();
    const userId = freshUserId();
    const { session } = await created(store, newSession(userId));
    const trace = newTrace("t", "POST /devices");
    await runTraced(trace, () => store.revokeUserSession(owner(userId), session.id));
    const rows = traceGroups(trace)[0].rows;
    expect(rows[0]).toMatchObject({ step: "end the session", command: "EVALSHA revokeSessions" });
    expect(rows.slice(1).map((row) => [row.insideScript, row.command, row.key])).toEqual([
      // The hashes and their end markers are both "each key after the first".
      ["revokeSessions", "HMGET, DEL, SET", "each key after the first"],
      ["revokeSessions", "ZREM", shortenKey(userIndexKey(owner(userId)))],
      // Then the journal's pipeline: the log line, its TTL, the message to open tabs.
      [undefined, "XADD", shortenKey(activityKey(owner(userId)))],
      [undefined, "PEXPIRE", shortenKey(activityKey(owner(userId)))],
      [undefined, "PUBLISH", "—"],
    ]);
    expect(rows.slice(-3).map((row) => row.step)).toEqual(["log the event in the user's activity", "keep the activity log (30 days by default)", "tell the user's open tabs"]);
    expect(JSON.stringify(rows)).not.toContain(session.id);
  });

  it("follows a server action into the page it redirected to", () => {
    const action = newTrace("a", "POST /login");
    const page = newTrace("p", "GET /", action);
    expect(traceGroups(page).map((group) => group.request)).toEqual(["POST /login", "GET /"]);
  });
});

describe("what the trace shows", () => {
  it("cuts session ids, user tags and rate-limit hashes to 8 characters", () => {
    const tag = "0123456789abcdef0123456789abcdef";
    const id = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde";
    expect(shortenKey(`session:{${tag}}:token:${id}`)).toBe("session:{01234567…}:token:AbCdEfGh…");
    expect(shortenKey(`session:{${tag}}:user:42`)).toBe("session:{01234567…}:user:42");
    expect(shortenKey(`ratelimit:login:ip:${id}`)).toBe("ratelimit:login:ip:AbCdEfGh…");
  });

  it("reads a script's calls in order, once each, with the key each names and its literal arguments", () => {
    expect(
      callsOf("local t = redis.call('TIME')\nredis.call('HSET', KEYS[1], 'a', 1)\nredis.call(\"ZADD\", KEYS[2], tonumber(x, 10), ARGV[1])\nredis.call('HSET', KEYS[1], 'b', 2)\nredis.call('DEL', KEYS[1 + n + i])"),
    ).toEqual([
      { command: "TIME", keyExpression: undefined, args: [] },
      { command: "HSET", keyExpression: "1", args: ["a", "…"] },
      { command: "ZADD", keyExpression: "2", args: ["…"] },
      { command: "DEL", keyExpression: "1 + n + i", args: [] },
    ]);
  });

  it("writes Server-Timing entries in milliseconds with a quoted, Latin-1 description", () => {
    const header = serverTiming([{ command: "EVALSHA", script: "validateSession", keys: ["session:{0123456789abcdef0123456789abcdef}:token:x"], durationUs: 1234 }]);
    expect(header).toBe('redis;dur=1.234;desc="check the session and slide its expiry: EVALSHA validateSession session:{01234567...}:token:x"');
  });
});
