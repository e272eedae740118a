import Link from "next/link";
import { SubmitButton } from "@/app/components/submit-button";
import { requireSession } from "@/lib/web/current-session";
import { signOut } from "./actions";

export default async function HomePage() {
  const { user } = await requireSession();
  return (
    <section className="space-y-6">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <p className="text-lg">
          Signed in as <strong className="font-semibold">{user.email}</strong>
        </p>
        <p className="mt-2 text-sm text-slate-600">
          Your session lives in Redis. Every request checks it in one round trip and slides its expiry.
        </p>
      </div>
      <nav aria-label="Account" className="flex flex-wrap items-center gap-3">
        <Link href="/devices" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-100">
          Devices
        </Link>
        <Link href="/settings" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-100">
          Settings
        </Link>
        {user.isAdmin ? (
          <Link href="/admin" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-100">
            Admin
          </Link>
        ) : null}
        <form action={signOut} className="ml-auto">
          <SubmitButton pendingLabel="Signing out…" variant="quiet">
            Sign out
          </SubmitButton>
        </form>
      </nav>
    </section>
  );
}
