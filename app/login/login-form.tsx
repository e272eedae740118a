"use client";

import { useActionState } from "react";
import { FormAlert, TextField } from "@/app/components/form-fields";
import { SubmitButton } from "@/app/components/submit-button";
import { signIn, type SignInState } from "./actions";

export function LoginForm({ next }: { next?: string }) {
  const [state, action] = useActionState<SignInState, FormData>(signIn, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <div aria-live="polite">
        <FormAlert message={state.error} />
      </div>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <TextField name="email" label="Email" type="email" autoComplete="username" defaultValue={state.email} error={state.fieldErrors?.email} />
      <TextField name="password" label="Password" type="password" autoComplete="current-password" error={state.fieldErrors?.password} />
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" name="remember" defaultChecked={state.remember} className="h-4 w-4 rounded border-slate-300" />
        Keep me signed in
      </label>
      <SubmitButton pendingLabel="Signing in…" className="w-full">
        Sign in
      </SubmitButton>
    </form>
  );
}
