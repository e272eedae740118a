import Link from "next/link";
import { connection } from "next/server";

// Rendered per request (not prerendered at build time), so its scripts carry the
// request's CSP nonce like every other page.
export default async function NotFound() {
  await connection();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-4 px-4 text-center">
      <p className="text-xs font-semibold tracking-widest text-red-600 uppercase">404</p>
      <h1 className="text-2xl font-semibold">This page does not exist</h1>
      <Link href="/" className="text-sm text-slate-600 underline underline-offset-2">
        Go home
      </Link>
    </main>
  );
}
