import { notFound } from "next/navigation";
import { PageHeader, SignedOutStatus } from "@/app/components/page-parts";
import { SubmitButton } from "@/app/components/submit-button";
import { requireSession } from "@/lib/web/current-session";
import { listUsers, type User } from "@/lib/db/users";
import { runtime } from "@/lib/runtime";
import { changeAdminFlag, signOutEverywhere } from "./actions";

type Search = { signedOut?: string; roleChanged?: string; ended?: string };

export default async function AdminPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { user: admin } = await requireSession();
  // A 404, not a 403: the page does not admit it exists to those who may not see it.
  if (!admin.isAdmin) notFound();
  // The one signed-in page that reads the users database: the users are its subject.
  const { users: database, sessions } = runtime();
  const users = await listUsers(database);
  const counts = await Promise.all(users.map(async (u) => (await sessions.listUserSessions(u)).length));
  const { signedOut, roleChanged, ended } = await searchParams;
  const changed = users.find((u) => String(u.id) === roleChanged);

  return (
    <section className="space-y-6">
      <PageHeader title="Admin" />
      <SignedOutStatus count={signedOut} noun="session" />
      {changed ? <RoleChangedStatus user={changed} ended={ended} /> : null}
      <table className="w-full overflow-hidden rounded-xl border border-slate-200 bg-white text-sm shadow-sm">
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">User</th>
            <th scope="col" className="px-4 py-2 font-medium">Active sessions</th>
            <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {users.map((u, i) => (
            <tr key={u.id}>
              <th scope="row" className="px-4 py-3 text-left font-normal">
                {u.email}
                {/* A real space, so the row's name reads "email (admin)" to a screen reader too. */}
                {u.isAdmin ? <> <span className="ml-1 text-xs text-slate-500">(admin)</span></> : null}
              </th>
              <td className="px-4 py-3 tabular-nums">{counts[i]}</td>
              <td className="px-4 py-3">
                <div className="flex flex-wrap justify-end gap-2">
                  {u.id === admin.id ? null : (
                    <form action={changeAdminFlag}>
                      <input type="hidden" name="userId" value={u.id} />
                      <input type="hidden" name="admin" value={u.isAdmin ? "0" : "1"} />
                      <SubmitButton pendingLabel="Saving…" variant="quiet">
                        {u.isAdmin ? "Remove admin" : "Make admin"}
                      </SubmitButton>
                    </form>
                  )}
                  <form action={signOutEverywhere}>
                    <input type="hidden" name="userId" value={u.id} />
                    <SubmitButton pendingLabel="Signing out…" variant="danger">
                      Sign out everywhere
                    </SubmitButton>
                  </form>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** "bob@example.com is now an administrator." and what happened to their sessions. */
function RoleChangedStatus({ user, ended }: { user: User; ended: string | undefined }) {
  const role = user.isAdmin ? "is now an administrator" : "is no longer an administrator";
  const sessions =
    ended === "pending"
      ? "Their sessions end as soon as sessions are available again."
      : "Their sessions were ended: the change counts from their next sign-in.";
  return (
    <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
      {user.email} {role}. {sessions}
    </p>
  );
}
