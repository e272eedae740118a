import Link from "next/link";
import type { ReactNode } from "react";

// The frames pages are drawn in: the sign-in and sign-up card, a page's header, and the status line after signing devices out.

/** The frame of the sign-in and sign-up pages. */
export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <div className="text-center">
          <p className="text-xs font-semibold tracking-widest text-red-600 uppercase">next-redis-sessions</p>
          <h1 className="mt-2 text-2xl font-semibold">{title}</h1>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
        {footer}
      </div>
    </main>
  );
}

/** The title of a signed-in page, with the way back home. */
export function PageHeader({ title }: { title: string }) {
  return (
    <div className="flex items-baseline justify-between">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <Link href="/" className="text-sm text-slate-600 underline underline-offset-2">
        Back to home
      </Link>
    </div>
  );
}

/**
 * "Signed out 3 devices." after a revocation. The count travels in the redirect's
 * query (?signedOut=3), so the message also works without client JavaScript.
 */
export function SignedOutStatus({ count, noun }: { count: string | undefined; noun: "device" | "session" }) {
  const n = Number(count);
  return (
    <div role="status" aria-live="polite">
      {count !== undefined && Number.isInteger(n) && n >= 0 ? (
        <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          Signed out {n} {n === 1 ? noun : `${noun}s`}.
        </p>
      ) : null}
    </div>
  );
}
