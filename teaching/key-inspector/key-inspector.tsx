import type { ReactNode } from "react";
import type { Runtime } from "../../lib/runtime";
import type { SessionOwner } from "../../lib/session";
import { shortenKey } from "../trace/rows";
import { inspectUserKeys, type InspectedKey, type InspectedSession, type InspectedUserKeys } from "./read";
import { TtlCountdown } from "./ttl-countdown";

// The key inspector: what Redis holds behind the devices list, read with one
// pipeline by the page (read.ts). Ids in key names are cut to 8
// characters, as in "Redis behind this page".

function KeyFacts({ inspected, readAt, size }: { inspected: InspectedKey; readAt: number; size?: number }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5">
      <dt className="text-slate-500">key</dt>
      <dd className="font-mono break-all">{shortenKey(inspected.key)}</dd>
      <dt className="text-slate-500">type</dt>
      <dd className="font-mono">{inspected.type}</dd>
      <dt className="text-slate-500">encoding</dt>
      <dd className="font-mono">{inspected.encoding ?? "—"}</dd>
      {size === undefined ? null : (
        <>
          <dt className="text-slate-500">size</dt>
          <dd className="font-mono">{size === 1 ? "1 session" : `${size} sessions`}</dd>
        </>
      )}
      <dt className="text-slate-500">TTL</dt>
      <dd className="font-mono">
        <TtlCountdown pttlMs={inspected.pttlMs} readAt={readAt} />
      </dd>
    </dl>
  );
}

/** Once, above the list: the user's index. */
export function IndexKeyInspector({ keys }: { keys: InspectedUserKeys }) {
  return (
    <section aria-label="This user's index key" className="rounded-xl border border-dashed border-slate-300 bg-white p-4 text-xs">
      <p className="mb-2 text-slate-600">
        The index that lists these sessions (a sorted set: member = session id, score = its absolute end), read with <code>ZCARD</code> and{" "}
        <code>PTTL</code>:
      </p>
      <KeyFacts inspected={keys.index} readAt={keys.readAt} size={keys.index.size} />
    </section>
  );
}

/** Per device row: a toggle that works without JavaScript. */
export function SessionKeyInspector({ inspected, readAt }: { inspected: InspectedSession | undefined; readAt: number }) {
  if (!inspected) return null;
  return (
    <details className="mt-2 text-xs">
      <summary className="cursor-pointer text-slate-600 underline underline-offset-2">Show Redis key</summary>
      <div aria-label="Redis key" role="group" className="mt-2 space-y-2 rounded-md bg-slate-50 p-3">
        <KeyFacts inspected={inspected} readAt={readAt} />
        <p className="text-slate-500">fields</p>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5">
          {inspected.fields.map((field) => (
            <div key={field.name} className="contents">
              <dt className="font-mono">{field.name}</dt>
              <dd className="font-mono text-slate-600">{field.value ?? "(not shown)"}</dd>
            </div>
          ))}
        </dl>
      </div>
    </details>
  );
}

/**
 * The inspector's pieces for the devices page: the index above the list, each
 * session's key in its row; `none` as it is when the teaching layer is off.
 */
export async function deviceKeyInspectors<Extras extends { above: ReactNode; perSession: Record<string, ReactNode> }>(
  rt: Runtime,
  owner: SessionOwner,
  sessionIds: string[],
  none: Extras,
): Promise<Extras> {
  if (!rt.config.showRedisTrace) return none; // off: the page reads nothing more than its listing
  const keys = await inspectUserKeys(rt.redis, owner, sessionIds, rt.config.redisCommandTimeoutMs * 2);
  const perSession = Object.fromEntries(sessionIds.map((id) => [id, <SessionKeyInspector key={id} inspected={keys.sessions[id]} readAt={keys.readAt} />]));
  return { ...none, above: <IndexKeyInspector keys={keys} />, perSession };
}
