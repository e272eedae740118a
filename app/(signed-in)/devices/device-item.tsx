import { relativeTime } from "./relative-time";
import type { ReactNode } from "react";
import { deviceLabel, type SessionRecord } from "@/lib/session";
import { DeviceIcon } from "./device-icon";
import { RenameForm } from "./rename-form";

/** What a layer mounted on the devices page may add: above the list, and in a session's row. */
export type DeviceExtras = { above: ReactNode; perSession: Record<string, ReactNode> };

/** One row of the devices list: what the session is, where it came from, when it was used (and `inspector`, its Redis key, when the trace is on). */
export function DeviceItem({ session, current, action, inspector }: { session: SessionRecord; current: boolean; action?: ReactNode; inspector?: ReactNode }) {
  return (
    <li className="flex flex-col gap-3 px-4 py-4 sm:flex-row sm:items-center sm:justify-between">
      <div className="flex items-start gap-3">
        <DeviceIcon type={session.device} />
        <div>
          <p className="font-medium">
            {deviceLabel(session)}
            {current ? (
              <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">This device</span>
            ) : null}
          </p>
          <p className="text-sm text-slate-600">
            {session.name ? `${session.browser} on ${session.os} · ` : ""}
            {session.ip} · signed in {relativeTime(session.createdAt)} · last active {relativeTime(session.lastSeenAt)}
          </p>
          {session.remembered || session.bound ? (
            <p className="mt-1 flex flex-wrap gap-2 text-xs">
              {session.remembered ? <span className="rounded-full bg-sky-100 px-2 py-0.5 font-medium text-sky-800">Remembered</span> : null}
              {session.bound ? (
                <span className="rounded-full bg-violet-100 px-2 py-0.5 font-medium text-violet-800">Bound to this device&apos;s key</span>
              ) : null}
            </p>
          ) : null}
          <RenameForm sessionId={session.id} name={session.name} />
          {inspector}
        </div>
      </div>
      {action}
    </li>
  );
}
