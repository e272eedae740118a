"use client";

import { useActionState } from "react";
import { FormAlert, TextField } from "@/app/components/form-fields";
import { SubmitButton } from "@/app/components/submit-button";
import { confirmPasswordAction, type ConfirmState } from "./actions";

export function ConfirmForm({ next }: { next: string }) {
  const [state, action] = useActionState<ConfirmState, FormData>(confirmPasswordAction, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <div aria-live="polite">
        <FormAlert message={state.error} />
      </div>
      <input type="hidden" name="next" value={next} />
      <TextField name="password" label="Password" type="password" autoComplete="current-password" error={state.fieldErrors?.password} />
      <SubmitButton pendingLabel="Confirming…">Confirm</SubmitButton>
    </form>
  );
}
