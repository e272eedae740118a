"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { SubmitButton } from "../submit-button";
import { leavePage, peekExpiry, staySignedIn, type Expiry } from "./session-clock";

// The idle timeout, announced before it happens (WCAG 2.2.1 "Timing Adjustable",
// OWASP automatic logout). The countdown follows the server's expiry, never a
// guess: when the warning is due, the server is asked (without sliding the
// session) when it really ends, so activity in another tab of the same session
// moves the warning instead of raising it. While the dialog is open it keeps
// asking, every few seconds, for the same reason.

const RECHECK_OPEN_MS = 5_000;

function format(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

type Props = {
  expiresAt: number;
  now: number;
  warnBeforeMs: number;
  /** The sign-out server action (passed in: this component knows no page's actions). */
  signOutAction: () => Promise<void>;
};

/** Mounted with key={expiresAt}: each render of the layout with a newer expiry starts it afresh. */
export function IdleWarning({ expiresAt, now, warnBeforeMs, signOutAction }: Props) {
  // The server's expiry and its clock's lead over ours.
  const [expiry, setExpiry] = useState(() => ({ expiresAt, offset: now - Date.now() }));
  const [open, setOpen] = useState(false);
  const [left, setLeft] = useState(0);
  const stayButton = useRef<HTMLButtonElement>(null);

  const adopt = useCallback((current: Expiry | null | undefined): boolean => {
    if (current === null) {
      leavePage(); // over: the sign-in page says "Your session expired."
      return false;
    }
    if (current) setExpiry({ expiresAt: current.expiresAt, offset: current.now - Date.now() });
    return true;
  }, []);

  const remaining = useCallback(() => expiry.expiresAt - (Date.now() + expiry.offset), [expiry]);

  // Closed: sleep until the warning is due, then ask the server.
  useEffect(() => {
    if (open) return;
    const timer = setTimeout(async () => {
      const current = await peekExpiry();
      if (!adopt(current)) return;
      if (current && current.expiresAt - current.now > warnBeforeMs + 1000) return; // slid elsewhere: sleep again
      setLeft(current ? current.expiresAt - current.now : remaining());
      setOpen(true);
    }, Math.max(0, remaining() - warnBeforeMs));
    return () => clearTimeout(timer);
  }, [open, remaining, warnBeforeMs, adopt]);

  // Open: count down every second, ask the server every few.
  useEffect(() => {
    if (!open) return;
    stayButton.current?.focus();
    const tick = setInterval(() => setLeft(remaining()), 1000);
    const recheck = setInterval(async () => {
      const current = await peekExpiry();
      if (adopt(current) && current && current.expiresAt - current.now > warnBeforeMs + 1000) setOpen(false);
    }, RECHECK_OPEN_MS);
    return () => {
      clearInterval(tick);
      clearInterval(recheck);
    };
  }, [open, remaining, warnBeforeMs, adopt]);

  // At zero, the server decides: gone → sign-in page; still there (used elsewhere) → keep counting.
  useEffect(() => {
    if (!open || left > 0) return;
    peekExpiry().then(adopt);
  }, [open, left, adopt]);

  if (!open) return null;
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 px-4">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="idle-warning-title"
        aria-describedby="idle-warning-text"
        className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-lg"
      >
        <h2 id="idle-warning-title" className="text-lg font-semibold">
          Are you still there?
        </h2>
        <p id="idle-warning-text" className="mt-2 text-sm text-slate-600">
          You have been inactive. For your security you will be signed out in <span className="font-mono font-medium">{format(left)}</span>.
        </p>
        <div className="mt-5 flex flex-wrap gap-3">
          <button
            ref={stayButton}
            type="button"
            onClick={async () => {
              if (adopt(await staySignedIn())) setOpen(false);
            }}
            className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900"
          >
            Stay signed in
          </button>
          <form action={signOutAction}>
            <SubmitButton pendingLabel="Signing out…" variant="quiet">
              Sign out
            </SubmitButton>
          </form>
        </div>
      </div>
    </div>
  );
}
