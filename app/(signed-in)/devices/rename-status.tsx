/** The outcome of "Rename" (?rename=…, so it also works without JavaScript). */
const MESSAGES: Record<string, { text: string; problem: boolean }> = {
  renamed: { text: "Device renamed.", problem: false },
  "too-long": { text: "A device name can have at most 40 characters.", problem: true },
  gone: { text: "That device is no longer signed in.", problem: true },
  invalid: { text: "That request could not be read. Try again.", problem: true },
};

export function RenameStatus({ outcome }: { outcome: string | undefined }) {
  const message = outcome === undefined ? undefined : MESSAGES[outcome];
  if (!message) return null;
  return message.problem ? (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message.text}
    </p>
  ) : (
    <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
      {message.text}
    </p>
  );
}
