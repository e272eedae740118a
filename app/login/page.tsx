import { headers } from "next/headers";
import Link from "next/link";
import { AuthCard } from "@/app/components/page-parts";
import { END_MESSAGES, endNoticeOf } from "@/lib/web/handoff";
import { runtime } from "@/lib/runtime";
import { DEMO_USERS } from "@/lib/db/setup";
import { LoginForm } from "./login-form";
import { HowItWorksLink } from "@/teaching/how-it-works/link"; // teaching

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[]; deleted?: string; signedOut?: string; passwordChanged?: string }> }) {
  const { next, deleted, signedOut, passwordChanged } = await searchParams;
  const ended = endNoticeOf(await headers()) ?? (signedOut === "1" ? END_MESSAGES["signed-out"] : undefined);
  return (
    <AuthCard
      title="Sign in"
      footer={
        <>
          <p className="text-center text-sm text-slate-600">
            No account yet?{" "}
            <Link href="/signup" className="font-medium text-slate-900 underline underline-offset-2">
              Create one
            </Link>
          </p>
          <HowItWorksLink className="block text-center text-xs text-slate-500 underline underline-offset-2" /> {/* teaching */}
          {runtime().config.demoUsers ? (
            <section aria-labelledby="demo-users" className="rounded-xl border border-dashed border-slate-300 p-4 text-sm">
              <h2 id="demo-users" className="font-medium text-slate-700">
                Demo users
              </h2>
              <ul className="mt-2 space-y-1 font-mono text-xs text-slate-600">
                {DEMO_USERS.map((user) => (
                  <li key={user.email}>
                    {user.email} / {user.password}
                    {user.isAdmin ? " (admin)" : ""}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      }
    >
      {ended ? (
        <p role="status" className="mb-4 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">
          {ended}
        </p>
      ) : null}
      {deleted === "1" ? (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          Your account was deleted.
        </p>
      ) : null}
      {passwordChanged === "1" ? (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          Your password was changed. Sign in with the new one.
        </p>
      ) : null}
      <LoginForm next={typeof next === "string" ? next : undefined} />
    </AuthCard>
  );
}
