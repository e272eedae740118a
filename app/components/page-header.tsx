import Link from "next/link";

/** The title of a signed-in page, with the way back home. */
export function PageHeader({ title }: { title: string }) {
  return (
    <div className="flex items-baseline justify-between">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <Link href="/" className="text-sm text-slate-600 underline underline-offset-2">
        Back to home
      </Link>
    </div>
  );
}
