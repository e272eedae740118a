"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { leavePage } from "./session-clock";

// Every signed-in page keeps one stream of its user's events (GET /api/live):
// its own session ended → the page is left for the sign-in page, which says why;
// a new sign-in elsewhere → a notice; any change to the user's sessions → an open
// devices page renders itself again. Without JavaScript none of this runs, and a
// reload shows the same.

type Ended = { sessionIds: string[]; reason: string };
type SignedIn = { sessionId: string; browser: string; os: string };

export function LiveUpdates({ sessionId }: { sessionId: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const onDevicesPage = useRef(false);
  useEffect(() => {
    onDevicesPage.current = pathname === "/devices";
  }, [pathname]);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    // A burst of events (a sweep of ten sessions) is one re-render.
    const refreshDevices = (): void => {
      if (!onDevicesPage.current) return;
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => router.refresh(), 100);
    };

    const source = new EventSource("/api/live");
    let reconnecting = false;
    source.addEventListener("open", () => {
      // Back after a drop: whatever was published meanwhile is lost, so catch up once.
      if (reconnecting) refreshDevices();
      reconnecting = false;
    });
    source.addEventListener("error", () => {
      reconnecting = true;
      // Refused (401: the session is gone) rather than dropped: the browser will not retry.
      if (source.readyState === EventSource.CLOSED) leavePage();
    });
    source.addEventListener("ended", (event) => {
      const { sessionIds } = JSON.parse((event as MessageEvent<string>).data) as Ended;
      if (sessionIds.includes(sessionId)) {
        source.close();
        leavePage();
      } else refreshDevices();
    });
    source.addEventListener("signed-in", (event) => {
      const signedIn = JSON.parse((event as MessageEvent<string>).data) as SignedIn;
      if (signedIn.sessionId !== sessionId) setNotice(`New sign-in: ${signedIn.browser} on ${signedIn.os}`);
      refreshDevices();
    });
    for (const name of ["renamed", "activity"]) source.addEventListener(name, refreshDevices);
    return () => {
      clearTimeout(refreshTimer);
      source.close();
    };
  }, [sessionId, router]);

  return (
    <div role="status" aria-live="polite" className="mx-auto max-w-3xl px-4">
      {notice ? (
        <p className="mt-4 flex items-center justify-between gap-3 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">
          <span>{notice}</span>
          <button type="button" onClick={() => setNotice(null)} className="text-xs font-medium underline underline-offset-2">
            Dismiss
          </button>
        </p>
      ) : null}
    </div>
  );
}
