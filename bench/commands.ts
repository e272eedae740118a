import { Redis } from "ioredis";
import { callsDelta, commandCalls } from "./redis-info";
import { sleep } from "./stats";

// Benchmark 5: the Redis commands one request costs, read from INFO commandstats.
// Redis counts there every command a Lua script runs as well (EVALSHA, then the
// HGETALL, TIME, PEXPIREAT inside it), so the figure the targets speak of, the
// commands the app sends (its round trips), is told apart from the commands run
// inside scripts with MONITOR over the same window, whose lines name the source
// of each command ("lua" for the ones a script ran).

export type CommandCount = {
  requests: number;
  /** Commands the app sent per request: round trips to Redis. */
  sentPerRequest: number;
  /** Every command Redis executed per request, scripts' inner commands included (INFO commandstats). */
  executedPerRequest: number;
  /** commandstats delta over all requests, the bench's own INFO call removed. */
  executed: Record<string, number>;
  /** MONITOR's view of the same window: command name → count, by who ran it. */
  sent: Record<string, number>;
  inScripts: Record<string, number>;
};

const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

function bump(counts: Record<string, number>, name: string): void {
  counts[name] = (counts[name] ?? 0) + 1;
}

export async function countCommands(redisUrl: string, requests: number, send: () => Promise<void>): Promise<CommandCount> {
  const admin = new Redis(redisUrl);
  const watcher = new Redis(redisUrl);
  try {
    const adminAddress = /addr=(\S+)/.exec(String(await admin.call("CLIENT", "INFO")))?.[1];
    const monitor = await watcher.monitor();
    const sent: Record<string, number> = {};
    const inScripts: Record<string, number> = {};
    monitor.on("monitor", (_time: string, args: string[], source: string) => {
      if (source === adminAddress) return; // the bench's own INFO
      bump(source === "lua" ? inScripts : sent, String(args[0]).toLowerCase());
    });

    await admin.config("RESETSTAT");
    const before = await commandCalls(admin);
    for (let i = 0; i < requests; i++) await send();
    await sleep(200); // MONITOR lines travel on another connection: let them arrive
    const after = await commandCalls(admin);
    monitor.disconnect();

    const executed = callsDelta(after, before);
    // The INFO that read `before` is counted in `after`: it is the bench's, not the app's.
    executed.info = (executed.info ?? 0) - 1;
    if (executed.info === 0) delete executed.info;

    const executedTotal = sum(executed);
    const monitorTotal = sum(sent) + sum(inScripts);
    if (executedTotal !== monitorTotal) {
      throw new Error(`command count: INFO commandstats saw ${executedTotal} commands, MONITOR ${monitorTotal} (${JSON.stringify({ executed, sent, inScripts })})`);
    }
    return { requests, sentPerRequest: sum(sent) / requests, executedPerRequest: executedTotal / requests, executed, sent, inScripts };
  } finally {
    admin.disconnect();
    watcher.disconnect();
  }
}
