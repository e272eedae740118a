"use client";

import { OUTAGE_MESSAGE } from "@/lib/web/outage";

// Reached when a page fails after the proxy let it through, most often because
// Redis went away in between. The proxy answers the next request with a 503.
export default function SignedInError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-xl border border-amber-200 bg-amber-50 p-6">
      <h1 className="text-lg font-semibold">{OUTAGE_MESSAGE}</h1>
      <p className="mt-2 text-sm text-slate-700">Nothing is lost. This page recovers by itself when the session store is back.</p>
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white">
        Try again
      </button>
    </div>
  );
}
