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

/** How long a tab that just submitted a form lets that form's own redirect move it. */
const ACTION_GRACE_MS = 3000;

export function LiveUpdates({ sessionId }: { sessionId: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const currentPath = useRef(pathname);
  useEffect(() => {
    currentPath.current = pathname;
  }, [pathname]);
  // A notice belongs to the page it appeared on: moving on leaves it behind.
  const [notice, setNotice] = useState<{ text: string; path: string } | null>(null);

  useEffect(() => {
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    // A burst of events (a sweep of ten sessions) is one re-render.
    const refreshDevices = (): void => {
      if (currentPath.current !== "/devices") return;
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => router.refresh(), 100);
    };

    // The session this tab runs under: from the page at first, then from each
    // stream's "hello" (after a password change the browser's cookie, and so the
    // reconnected stream, carry a new session while this page stays).
    let ownId = sessionId;
    // A form this tab submitted may be what ends its session (sign out, delete the
    // account): its own redirect then says the right thing, so the tab only leaves
    // by itself if that redirect has not happened within a few seconds.
    let submittedAt = 0;
    // The session a form of this tab acts on (its sessionId field; null: every
    // other session, as "Sign out all other devices"). The events that form causes
    // come back here too; the page the action renders shows their result already,
    // and renders its own "Redis behind this page": no second render replaces it.
    let actedOn: string | null = null;
    const noteSubmit = (event: SubmitEvent): void => {
      submittedAt = Date.now();
      const field = event.target instanceof HTMLFormElement ? new FormData(event.target).get("sessionId") : null;
      actedOn = typeof field === "string" ? field : null;
    };
    const isEcho = (ids: string[], reason?: string): boolean =>
      Date.now() - submittedAt < ACTION_GRACE_MS && (actedOn === null ? reason === "revoked" : ids.includes(actedOn));
    document.addEventListener("submit", noteSubmit, true);
    let leaveTimer: ReturnType<typeof setTimeout> | undefined;
    const leave = (): void => {
      if (Date.now() - submittedAt < ACTION_GRACE_MS) leaveTimer ??= setTimeout(leavePage, ACTION_GRACE_MS);
      else leavePage();
    };

    const source = new EventSource("/api/live");
    source.addEventListener("hello", (event) => {
      ownId = (JSON.parse((event as MessageEvent<string>).data) as { sessionId: string }).sessionId;
    });
    let reconnecting = false;
    source.addEventListener("open", () => {
      // Back after a drop: whatever was published meanwhile is lost, so catch up once.
      if (reconnecting) refreshDevices();
      reconnecting = false;
    });
    source.addEventListener("error", () => {
      reconnecting = true;
      // Refused (401: the session is gone) rather than dropped: the browser will not retry.
      if (source.readyState === EventSource.CLOSED) leave();
    });
    source.addEventListener("ended", (event) => {
      const { sessionIds, reason } = JSON.parse((event as MessageEvent<string>).data) as Ended;
      if (!sessionIds.includes(ownId)) return isEcho(sessionIds, reason) ? undefined : refreshDevices();
      // Replaced: this browser holds the new session's cookie already; the stream reconnects under it.
      if (reason === "replaced") return;
      source.close();
      leave();
    });
    source.addEventListener("signed-in", (event) => {
      const signedIn = JSON.parse((event as MessageEvent<string>).data) as SignedIn;
      if (signedIn.sessionId !== ownId) setNotice({ text: `New sign-in: ${signedIn.browser} on ${signedIn.os}`, path: currentPath.current });
      refreshDevices();
    });
    source.addEventListener("renamed", (event) => {
      const { sessionId: renamed } = JSON.parse((event as MessageEvent<string>).data) as { sessionId: string };
      if (!isEcho([renamed])) refreshDevices();
    });
    source.addEventListener("activity", refreshDevices);
    return () => {
      clearTimeout(refreshTimer);
      clearTimeout(leaveTimer);
      document.removeEventListener("submit", noteSubmit, true);
      source.close();
    };
  }, [sessionId, router]);

  return (
    // The live region is there from the start (so screen readers announce what enters
    // it); the role only comes with a notice, so an empty region is no "status".
    <div aria-live="polite" className="mx-auto max-w-3xl px-4">
      {notice && notice.path === pathname ? (
        <div className="mt-4 flex items-center justify-between gap-3 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">
          <p role="status">{notice.text}</p>
          <button type="button" onClick={() => setNotice(null)} className="text-xs font-medium underline underline-offset-2">
            Dismiss
          </button>
        </div>
      ) : null}
    </div>
  );
}
