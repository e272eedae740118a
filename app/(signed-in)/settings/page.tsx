import { PageHeader } from "@/app/components/page-parts";
import { requireSession } from "@/lib/web/current-session";
import { DeleteAccountForm } from "./delete-account-form";
import { PasswordForm } from "./password-form";

export default async function SettingsPage() {
  const { user } = await requireSession();
  return (
    <section className="space-y-6">
      <PageHeader title="Settings" />
      <div className="max-w-md rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 className="font-medium">Change password for {user.email}</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">Every other device is signed out, and this one gets a new session.</p>
        <PasswordForm />
      </div>
      <section aria-labelledby="delete-account" className="max-w-md rounded-xl border border-red-200 bg-white p-6 shadow-sm">
        <h2 id="delete-account" className="font-medium">
          Delete account
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Your account and every session of it, on every device, end now. This cannot be undone.
        </p>
        <DeleteAccountForm />
      </section>
    </section>
  );
}
