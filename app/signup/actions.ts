"use server";

import { redirect } from "next/navigation";
import { currentClientInfo, currentCredential } from "@/lib/web/current-session";
import { writeSessionCookie } from "@/lib/web/credential";
import { offerBindingOnAction } from "@/lib/web/device-binding";
import { firstFieldErrors, SignUpSchema, type FieldErrors, isForm, UNREADABLE_FORM } from "@/lib/account/forms";
import { tooManyAttemptsMessage } from "@/lib/account/sign-in";
import { signUpWithPassword } from "@/lib/account/sign-up";
import { OUTAGE_MESSAGE, unlessOutage } from "@/lib/web/outage";
import { runtime } from "@/lib/runtime";

export type SignUpState = { email?: string; error?: string; fieldErrors?: FieldErrors };

export async function signUp(_previous: SignUpState, formData: FormData): Promise<SignUpState> {
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const email = String(formData.get("email") ?? "");
  // Length and the common-password list are checked here, before any hashing.
  const parsed = SignUpSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { email, fieldErrors: firstFieldErrors(parsed.error) };

  const client = await currentClientInfo();
  const previous = await currentCredential();
  const result = await unlessOutage(
    async () => signUpWithPassword(runtime(), parsed.data.email, parsed.data.password, client, previous),
    (message) => ({ status: "outage" as const, message }),
  );
  // Redis is needed for the limit and the session, the users database for the account: without either nothing is created.
  if (result.status === "outage") return { email, error: `${result.message}. Nothing was created; try again in a moment.` };
  if (result.status === "rate_limited") return { email, error: tooManyAttemptsMessage(result.retryAfterSeconds) };
  if (result.status === "created_signed_out") {
    return { email, error: `Your account was created, but ${OUTAGE_MESSAGE.toLowerCase()}. Sign in again in a moment.` };
  }
  if (result.status === "email_taken") return { email, fieldErrors: { email: "An account with this email already exists. Sign in instead?" } };
  await writeSessionCookie(result.token, result.session);
  await offerBindingOnAction(result.session);
  redirect("/");
}
