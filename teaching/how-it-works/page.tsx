import Link from "next/link";
import { connection } from "next/server";
import { commandStep, describeSends } from "../commands";
import { SequenceDiagram } from "./sequence-diagram";
import { CHOICES, STEPS } from "./steps";

// The story of the pattern for someone about to copy it: six steps with the
// commands this app sends, a sequence diagram, and the choices that must stay.
// Public: nothing here is about the visitor.

export default async function HowItWorksPage() {
  await connection(); // rendered per request, so its scripts carry this request's CSP nonce
  return (
    <main className="mx-auto max-w-3xl space-y-8 px-4 py-10">
      <header className="space-y-2">
        <p className="text-xs font-semibold tracking-widest text-red-600 uppercase">next-redis-sessions</p>
        <h1 className="text-2xl font-semibold">How it works</h1>
        <p className="text-sm text-slate-600">
          A random token in an HttpOnly cookie points to a small Redis hash with a TTL: set at sign-in, checked and slid on each request, deleted at sign-out,
          one key per device. Below every page, &ldquo;Redis behind this page&rdquo; shows the commands of that very request.{" "}
          <Link href="/" className="underline underline-offset-2">
            Back to the app
          </Link>
        </p>
      </header>

      <section aria-labelledby="diagram" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="diagram" className="mb-3 text-lg font-semibold">
          The sequence
        </h2>
        <SequenceDiagram />
      </section>

      <ol className="space-y-4">
        {STEPS.map((step, i) => (
          <li key={step.title} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <h2 className="text-lg font-semibold">
              {i + 1}. {step.title}
            </h2>
            <p className="mt-1 text-sm text-slate-700">{step.what}</p>
            {step.commands.length > 0 ? (
              <pre className="mt-3 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
                {step.commands
                  .flatMap((id) => describeSends(commandStep(id)))
                  .map(({ code, times }) => (times ? `${code}   (${times})` : code))
                  .join("\n")}
              </pre>
            ) : null}
            <p className="mt-2 text-xs text-slate-600">
              Code:{" "}
              {step.code.map((path, j) => (
                <span key={path}>
                  {j > 0 ? ", " : null}
                  <code className="rounded bg-slate-100 px-1">{path}</code>
                </span>
              ))}
            </p>
          </li>
        ))}
      </ol>

      <section aria-labelledby="keep" className="space-y-3">
        <h2 id="keep" className="text-lg font-semibold">
          What a copy must keep
        </h2>
        <dl className="space-y-3">
          {CHOICES.map((choice) => (
            <div key={choice.keep} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <dt className="font-medium">{choice.keep}</dt>
              <dd className="mt-1 text-sm text-slate-700">{choice.why}</dd>
            </div>
          ))}
        </dl>
      </section>
    </main>
  );
}
