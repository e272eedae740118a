import { connection } from "next/server";
import { BenchmarkPage } from "../benchmark-page";

/** The benchmark fixture without a session check (public in proxy.ts). */
export default async function OpenBenchmarkPage() {
  await connection();
  return <BenchmarkPage />;
}
