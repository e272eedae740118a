import { notFound } from "next/navigation";
import { PageHeader } from "@/app/components/page-header";
import { SignedOutStatus } from "@/app/components/signed-out-status";
import { SubmitButton } from "@/app/components/submit-button";
import { requireSession } from "@/lib/auth/current-session";
import { sessionStore } from "@/lib/auth/store-instances";
import { db } from "@/lib/db/client";
import { listUsers } from "@/lib/db/users";
import { signOutEverywhere } from "./actions";

export default async function AdminPage({ searchParams }: { searchParams: Promise<{ signedOut?: string }> }) {
  const { user: admin } = await requireSession();
  // A 404, not a 403: the page does not admit it exists to those who may not see it.
  if (!admin.isAdmin) notFound();
  const users = listUsers(db());
  const counts = await Promise.all(users.map(async (u) => (await sessionStore().listUserSessions(u)).length));
  const { signedOut } = await searchParams;

  return (
    <section className="space-y-6">
      <PageHeader title="Admin" />
      <SignedOutStatus count={signedOut} noun="session" />
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
                {u.isAdmin ? <span className="ml-2 text-xs text-slate-500">(admin)</span> : null}
              </th>
              <td className="px-4 py-3 tabular-nums">{counts[i]}</td>
              <td className="px-4 py-3 text-right">
                <form action={signOutEverywhere}>
                  <input type="hidden" name="userId" value={u.id} />
                  <SubmitButton pendingLabel="Signing out…" variant="danger">
                    Sign out everywhere
                  </SubmitButton>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
