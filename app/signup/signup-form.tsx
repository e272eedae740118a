"use client";

import { useActionState } from "react";
import { FormAlert, TextField } from "@/app/components/form-fields";
import { SubmitButton } from "@/app/components/submit-button";
import { signUp, type SignUpState } from "./actions";

export function SignUpForm() {
  const [state, action] = useActionState<SignUpState, FormData>(signUp, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <div aria-live="polite">
        <FormAlert message={state.error} />
      </div>
      <TextField name="email" label="Email" type="email" autoComplete="username" defaultValue={state.email} error={state.fieldErrors?.email} />
      <TextField name="password" label="Password" type="password" autoComplete="new-password" error={state.fieldErrors?.password} />
      <p className="text-xs text-slate-500">At least 8 characters.</p>
      <SubmitButton pendingLabel="Creating account…" className="w-full">
        Create account
      </SubmitButton>
    </form>
  );
}
