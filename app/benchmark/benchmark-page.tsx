// A fixture for `npm run bench`: the same page served twice, once behind the
// session check (/benchmark/guarded) and once without it (/benchmark/open), so
// that the difference between the two is the cost of the check and nothing else.

export function BenchmarkPage() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="text-2xl font-semibold">Benchmark page</h1>
      <p className="mt-2 text-sm text-slate-600">Rendered on the server for every request.</p>
      <ul className="mt-4 list-disc pl-6 text-sm">
        {["one Redis round trip per check", "no SCAN", "hashed tokens"].map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </main>
  );
}
