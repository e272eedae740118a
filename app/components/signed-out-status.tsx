/**
 * "Signed out 3 devices." after a revocation. The count travels in the redirect's
 * query (?signedOut=3), so the message also works without client JavaScript.
 */
export function SignedOutStatus({ count, noun }: { count: string | undefined; noun: "device" | "session" }) {
  const n = Number(count);
  return (
    <div role="status" aria-live="polite">
      {count !== undefined && Number.isInteger(n) && n >= 0 ? (
        <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          Signed out {n} {n === 1 ? noun : `${noun}s`}.
        </p>
      ) : null}
    </div>
  );
}
