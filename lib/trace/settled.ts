import type { RequestTrace } from "./storage";

// The panel shows the page's commands, so it must be read after the page's Redis
// work, which React renders at the same time as the panel. A page's next command
// starts in the microtasks after the previous reply, so "nothing in flight, and
// nothing new after a few turns of the event loop" means the page is done with
// Redis. Every command has a timeout (REDIS_COMMAND_TIMEOUT_MS), so the wait ends.

const QUIET_TURNS = 2;
const MAX_TURNS = 200;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function idle(trace: RequestTrace): Promise<void> {
  if (trace.inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      trace.whenIdle.delete(done);
      resolve();
    };
    trace.whenIdle.add(done);
  });
}

export async function settled(trace: RequestTrace): Promise<void> {
  let quiet = 0;
  for (let turn = 0; turn < MAX_TURNS && quiet < QUIET_TURNS; turn++) {
    const before = trace.commands.length;
    await idle(trace);
    await nextTurn();
    quiet = trace.inFlight === 0 && trace.commands.length === before ? quiet + 1 : 0;
  }
}
