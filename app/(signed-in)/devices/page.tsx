import { PageHeader } from "@/app/components/page-header";
import { SignedOutStatus } from "@/app/components/signed-out-status";
import { SubmitButton } from "@/app/components/submit-button";
import { requireSession } from "@/lib/auth/current-session";
import { sessionStore } from "@/lib/auth/store-instances";
import { revokeDevice, revokeOtherDevices } from "./actions";
import { DeviceItem } from "./device-item";

export default async function DevicesPage({ searchParams }: { searchParams: Promise<{ signedOut?: string }> }) {
  const { session, user } = await requireSession();
  const sessions = await sessionStore().listUserSessions(user);
  const others = sessions.filter((s) => s.id !== session.id).length;
  const { signedOut } = await searchParams;

  return (
    <section className="space-y-6">
      <PageHeader title="Devices" />
      <p className="text-sm text-slate-600">
        Every browser or app signed in as {user.email}. Revoking one signs it out on its very next request.
      </p>
      <SignedOutStatus count={signedOut} noun="device" />
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
