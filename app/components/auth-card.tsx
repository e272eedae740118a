import type { ReactNode } from "react";

/** The frame of the sign-in and sign-up pages. */
export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <div className="text-center">
          <p className="text-xs font-semibold tracking-widest text-red-600 uppercase">next-redis-sessions</p>
          <h1 className="mt-2 text-2xl font-semibold">{title}</h1>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
        {footer}
      </div>
    </main>
  );
}
