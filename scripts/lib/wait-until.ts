// Polling for a state a topology reaches by itself (a replica in sync, a failover
// done), with a deadline so a topology that never gets there fails the caller
// instead of hanging it.

/** Polls `check` every `everyMs` until it resolves true; errors count as "not yet". Throws, naming `what`, after `timeoutMs`. */
export async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
