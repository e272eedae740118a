import { SubmitButton } from "@/app/components/submit-button";
import { MAX_DEVICE_NAME_LENGTH } from "@/lib/session";
import { renameDevice } from "./actions";

/** "Rename" a device: a disclosure, so it works without JavaScript too. An empty name goes back to "Chrome on Linux". */
export function RenameForm({ sessionId, name }: { sessionId: string; name: string }) {
  const fieldId = `device-name-${sessionId.slice(0, 8)}`;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-slate-700 underline underline-offset-2">Rename</summary>
      <form action={renameDevice} className="mt-2 flex flex-wrap items-end gap-2">
        <input type="hidden" name="sessionId" value={sessionId} />
        <div className="space-y-1">
          <label htmlFor={fieldId} className="block text-xs font-medium text-slate-700">
            Device name
          </label>
          <input
            id={fieldId}
            name="name"
            type="text"
            defaultValue={name}
            maxLength={MAX_DEVICE_NAME_LENGTH}
            className="block w-56 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-slate-500 focus:ring-2 focus:ring-slate-200 focus:outline-none"
          />
        </div>
        <SubmitButton pendingLabel="Saving…" variant="quiet">
          Save
        </SubmitButton>
      </form>
    </details>
  );
}
