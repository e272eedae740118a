// Each open stream holds a connection and a listener for as long as the tab
// lives. A browser opens one per tab; a client that opens hundreds with one
// stolen or scripted session would only be using up the instance. So each
// session may hold this many at once on an instance; more get a 429.

export const MAX_STREAMS_PER_SESSION = 10;

const globalForQuota = globalThis as typeof globalThis & { appLiveStreamsPerSession?: Map<string, number> };

/** A slot for one more stream of this session, and the function that gives it back (once); null when the session holds the maximum. */
export function takeStreamSlot(sessionId: string): (() => void) | null {
  const counts = (globalForQuota.appLiveStreamsPerSession ??= new Map());
  const held = counts.get(sessionId) ?? 0;
  if (held >= MAX_STREAMS_PER_SESSION) return null;
  counts.set(sessionId, held + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (counts.get(sessionId) ?? 1) - 1;
    if (left > 0) counts.set(sessionId, left);
    else counts.delete(sessionId);
  };
}
