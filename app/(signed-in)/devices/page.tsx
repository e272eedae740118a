import { PageHeader, SignedOutStatus } from "@/app/components/page-parts";
import { SubmitButton } from "@/app/components/submit-button";
import { runtime } from "@/lib/runtime";
import { requireSession } from "@/lib/web/current-session";
import { deviceKeyInspectors } from "@/teaching/key-inspector/key-inspector"; // teaching
import { revokeDevice, revokeOtherDevices } from "./actions";
import { DeviceItem, type DeviceExtras } from "./device-item";
import { RecentActivity } from "./recent-activity";
import { RenameStatus } from "./rename-status";

export default async function DevicesPage({ searchParams }: { searchParams: Promise<{ signedOut?: string; rename?: string }> }) {
  const { session, user } = await requireSession();
  // Listing first: it notices sessions that expired, and logs them before the log is read.
  const store = runtime().sessions;
  const sessions = await store.listUserSessions(user);
  const activity = await store.recentActivity(user);
  const others = sessions.filter((s) => s.id !== session.id).length;
  const { signedOut, rename } = await searchParams;
  // What the teaching layer adds (its key inspector, when SHOW_REDIS_TRACE is on); nothing without it.
  let extras: DeviceExtras = { above: null, perSession: {} };
  extras = await deviceKeyInspectors(runtime(), user, sessions.map((s) => s.id), extras); // teaching

  return (
    <section className="space-y-6">
      <PageHeader title="Devices" />
      <p className="text-sm text-slate-600">
        Every browser or app signed in as {user.email}. Revoking one signs it out on its very next request.
      </p>
      <SignedOutStatus count={signedOut} noun="device" />
      <RenameStatus outcome={rename} />
      {extras.above}
      <ul aria-label="Active sessions" className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
        {sessions.map((item) => (
          <DeviceItem
            key={item.id}
            session={item}
            current={item.id === session.id}
            inspector={extras.perSession[item.id]}
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
      <RecentActivity events={activity} />
    </section>
  );
}
