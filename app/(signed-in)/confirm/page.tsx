import { PageHeader } from "@/app/components/page-parts";
import { requireSession } from "@/lib/web/current-session";
import { safeNextPath } from "@/lib/web/safe-next";
import { ConfirmForm } from "./confirm-form";

// "Sudo mode": signing out other devices, changing the password and deleting the
// account ask for the password again when the last proof is older than
// SESSION_FRESH_AGE. The action that sent the user here is one click away after.

export default async function ConfirmPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { user } = await requireSession();
  const { next } = await searchParams;
  return (
    <section className="space-y-6">
      <PageHeader title="Confirm your password" />
      <div className="max-w-md rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <p className="mb-4 text-sm text-slate-600">
          You are about to change something sensitive for {user.email}. Enter your password to go on; you will not be asked again for a few minutes.
        </p>
        <ConfirmForm next={safeNextPath(typeof next === "string" ? next : "/")} />
      </div>
    </section>
  );
}
