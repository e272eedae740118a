import { connection } from "next/server";
import { requireSession } from "@/lib/auth/current-session";
import { BenchmarkPage } from "../benchmark-page";

/** The benchmark fixture behind the session check: the proxy's and the page's own. */
export default async function GuardedBenchmarkPage() {
  await connection();
  await requireSession();
  return <BenchmarkPage />;
}
