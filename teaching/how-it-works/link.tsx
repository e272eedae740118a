import Link from "next/link";

/** The link to /how-it-works that the app's pages show (one line each, marked `// teaching`, so a copy without the teaching layer drops it with the page). */
export function HowItWorksLink({ className }: { className: string }) {
  return (
    <Link href="/how-it-works" className={className}>
      How it works
    </Link>
  );
}
