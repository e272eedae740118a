import Link from "next/link";
import type { ReactNode } from "react";
import { IdleWarning } from "@/app/components/live/idle-warning";
import { LiveUpdates } from "@/app/components/live/live-updates";
import { requireSession } from "@/lib/web/current-session";
import { runtime } from "@/lib/runtime";
import { signOut } from "./actions";
import { HowItWorksLink } from "@/teaching/how-it-works/link"; // teaching

// Every page in this group is for signed-in users. The proxy has already checked
// the cookie; this check (shared with the page through React's cache) is the
// second guard, so a page never renders for a session Redis does not hold.
// The layout renders on every navigation because it reads cookies.

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const { session } = await requireSession();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-3xl items-center justify-between px-4 py-3">
          <Link href="/" className="text-sm font-semibold tracking-wide text-slate-900">
            next-redis-sessions
          </Link>
          <HowItWorksLink className="text-sm text-slate-600 underline underline-offset-2" /> {/* teaching */}
        </div>
      </header>
      <LiveUpdates sessionId={session.id} />
      <IdleWarning
        key={session.expiresAt}
        expiresAt={session.expiresAt}
        now={session.checkedAt}
        warnBeforeMs={runtime().config.idleWarningMs}
        signOutAction={signOut}
      />
      <main className="mx-auto max-w-3xl px-4 py-8">{children}</main>
    </div>
  );
}
