import { PageHeader } from "@/app/components/page-header";
import { SignedOutStatus } from "@/app/components/signed-out-status";
import { SubmitButton } from "@/app/components/submit-button";
import { requireSession } from "@/lib/auth/current-session";
import { inspectDeviceKeys } from "@/lib/auth/key-inspection";
import { runtime } from "@/lib/runtime";
import { revokeDevice, revokeOtherDevices } from "./actions";
import { DeviceItem } from "./device-item";
import { RecentActivity } from "./recent-activity";
import { RenameStatus } from "./rename-status";
import { IndexKeyInspector, SessionKeyInspector } from "./key-inspector";

export default async function DevicesPage({ searchParams }: { searchParams: Promise<{ signedOut?: string; rename?: string }> }) {
  const { session, user } = await requireSession();
  // Listing first: it notices sessions that expired, and logs them before the log is read.
  const store = (await runtime()).sessions;
  const sessions = await store.listUserSessions(user);
  const activity = await store.recentActivity(user);
  const others = sessions.filter((s) => s.id !== session.id).length;
  const { signedOut, rename } = await searchParams;
  const keys = await inspectDeviceKeys(user, sessions.map((s) => s.id)); // null unless SHOW_REDIS_TRACE

  return (
    <section className="space-y-6">
      <PageHeader title="Devices" />
      <p className="text-sm text-slate-600">
        Every browser or app signed in as {user.email}. Revoking one signs it out on its very next request.
      </p>
      <SignedOutStatus count={signedOut} noun="device" />
      <RenameStatus outcome={rename} />
      {keys ? <IndexKeyInspector keys={keys} /> : null}
      <ul aria-label="Active sessions" className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
        {sessions.map((item) => (
          <DeviceItem
            key={item.id}
            session={item}
            current={item.id === session.id}
            inspector={keys ? <SessionKeyInspector inspected={keys.sessions[item.id]} readAt={keys.readAt} /> : null}
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
