"use client";

import { useActionState } from "react";
import { FormAlert, TextField } from "@/app/components/form-fields";
import { SubmitButton } from "@/app/components/submit-button";
import { changePasswordAction, type PasswordChangeState } from "./actions";

export function PasswordForm() {
  const [state, action] = useActionState<PasswordChangeState, FormData>(changePasswordAction, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <div aria-live="polite">
        <FormAlert message={state.error} />
        {state.done ? (
          <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
            {state.done}
          </p>
        ) : null}
      </div>
      <TextField name="currentPassword" label="Current password" type="password" autoComplete="current-password" error={state.fieldErrors?.currentPassword} />
      <TextField name="newPassword" label="New password" type="password" autoComplete="new-password" error={state.fieldErrors?.newPassword} />
      <SubmitButton pendingLabel="Changing password…">Change password</SubmitButton>
    </form>
  );
}
