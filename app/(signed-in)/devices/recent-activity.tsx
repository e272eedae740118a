import type { Activity } from "@/lib/session";
import { activityText } from "./activity-text";
import { relativeTime } from "./relative-time";

/** "Recent activity": the user's last events, newest first (the capped stream in Redis, journal.ts). */
export function RecentActivity({ events }: { events: Activity[] }) {
  return (
    <section aria-labelledby="recent-activity" className="space-y-3">
      <h2 id="recent-activity" className="text-lg font-semibold">
        Recent activity
      </h2>
      {events.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing yet.</p>
      ) : (
        <ol aria-label="Recent activity" className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white text-sm shadow-sm">
          {events.map((event) => (
            <li key={event.id} className="flex flex-col gap-1 px-4 py-2 sm:flex-row sm:items-baseline sm:justify-between">
              <span>{activityText(event, events)}</span>
              <time dateTime={new Date(event.at).toISOString()} className="shrink-0 text-xs text-slate-500">
                {relativeTime(event.at)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
