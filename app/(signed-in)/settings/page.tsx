import Link from "next/link";
import { requireSession } from "@/lib/auth/current-session";
import { PasswordForm } from "./password-form";

export default async function SettingsPage() {
  const { user } = await requireSession();
  return (
    <section className="space-y-6">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Settings</h1>
        <Link href="/" className="text-sm text-slate-600 underline underline-offset-2">
          Back to home
        </Link>
      </div>
      <div className="max-w-md rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 className="font-medium">Change password for {user.email}</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">Every other device is signed out, and this one gets a new session.</p>
        <PasswordForm />
      </div>
    </section>
  );
}
