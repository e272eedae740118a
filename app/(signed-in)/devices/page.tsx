import Link from "next/link";
import { SubmitButton } from "@/app/components/submit-button";
import { requireSession } from "@/lib/auth/current-session";
import { sessionStore } from "@/lib/auth/session-store";
import { revokeDevice, revokeOtherDevices } from "./actions";
import { DeviceItem } from "./device-item";

export default async function DevicesPage({ searchParams }: { searchParams: Promise<{ signedOut?: string }> }) {
  const { session, user } = await requireSession();
  const sessions = await sessionStore().listUserSessions(user.id);
  const others = sessions.filter((s) => s.id !== session.id).length;
  const signedOut = Number((await searchParams).signedOut);

  return (
    <section className="space-y-6">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Devices</h1>
        <Link href="/" className="text-sm text-slate-600 underline underline-offset-2">
          Back to home
        </Link>
      </div>
      <p className="text-sm text-slate-600">
        Every browser or app signed in as {user.email}. Revoking one signs it out on its very next request.
      </p>
      <div role="status" aria-live="polite">
        {Number.isInteger(signedOut) && signedOut >= 0 ? (
          <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
            {signedOut === 1 ? "Signed out 1 device." : `Signed out ${signedOut} devices.`}
          </p>
        ) : null}
      </div>
      <ul aria-label="Active sessions" className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
        {sessions.map((item) => (
          <DeviceItem
            key={item.id}
            session={item}
            current={item.id === session.id}
            action={
              item.id === session.id ? null : (
                <form action={revokeDevice}>
                  <input type="hidden" name="sessionId" value={item.id} />
                  <SubmitButton pendingLabel="Revoking…" variant="danger">
                    Revoke
                  </SubmitButton>
                </form>
              )
            }
          />
        ))}
      </ul>
      {others > 0 ? (
        <form action={revokeOtherDevices}>
          <SubmitButton pendingLabel="Signing out…" variant="danger">
            Sign out all other devices
          </SubmitButton>
        </form>
      ) : null}
    </section>
  );
}
