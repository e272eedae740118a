"use server";

import { redirect } from "next/navigation";
import { currentClientInfo, currentCredential } from "@/lib/web/current-session";
import { offerBindingOnAction } from "@/lib/web/device-binding";
import { writeSessionCookie } from "@/lib/web/credential";
import { firstFieldErrors, SignInSchema, type FieldErrors, isForm, UNREADABLE_FORM } from "@/lib/account/forms";
import { safeNextPath } from "@/lib/web/safe-next";
import { signInWithPassword, tooManyAttemptsMessage } from "@/lib/account/sign-in";
import { unlessOutage } from "@/lib/web/outage";
import { runtime } from "@/lib/runtime";

export type SignInState = { email?: string; remember?: boolean; error?: string; fieldErrors?: FieldErrors };

export async function signIn(_previous: SignInState, formData: FormData): Promise<SignInState> {
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const email = String(formData.get("email") ?? "");
  // "Keep me signed in": an unchecked box sends nothing.
  const remember = formData.get("remember") !== null;
  const parsed = SignInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { email, remember, fieldErrors: firstFieldErrors(parsed.error) };

  const client = await currentClientInfo();
  const previous = await currentCredential();
  const result = await unlessOutage(
    async () => signInWithPassword(runtime(), parsed.data.email, parsed.data.password, client, { previous, via: "form", remember }),
    (message) => ({ status: "outage" as const, message }),
  );
  if (result.status === "outage") return { email, remember, error: `${result.message}. Please try again in a moment.` };
  if (result.status === "rate_limited") return { email, remember, error: tooManyAttemptsMessage(result.retryAfterSeconds) };
  if (result.status === "invalid_credentials") return { email, remember, error: "Invalid email or password" };
  await writeSessionCookie(result.token, result.session);
  await offerBindingOnAction(result.session);
  redirect(safeNextPath(String(formData.get("next") ?? "")));
}
