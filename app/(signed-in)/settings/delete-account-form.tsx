"use client";

import { useActionState } from "react";
import { FormAlert, TextField } from "@/app/components/form-fields";
import { SubmitButton } from "@/app/components/submit-button";
import { deleteAccountAction, type DeleteAccountState } from "./delete-account-actions";

export function DeleteAccountForm() {
  const [state, action] = useActionState<DeleteAccountState, FormData>(deleteAccountAction, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <div aria-live="polite">
        <FormAlert message={state.error} />
      </div>
      <TextField name="confirmPassword" label="Confirm password" type="password" autoComplete="current-password" error={state.fieldErrors?.confirmPassword} />
      <SubmitButton pendingLabel="Deleting…" variant="danger">
        Delete account
      </SubmitButton>
    </form>
  );
}
