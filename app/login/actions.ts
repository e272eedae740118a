"use server";

import { redirect } from "next/navigation";
import { currentClientInfo, currentToken } from "@/lib/web/current-session";
import { writeSessionCookie } from "@/lib/web/credential";
import { firstFieldErrors, SignInSchema, type FieldErrors, isForm, UNREADABLE_FORM } from "@/lib/account/forms";
import { safeNextPath } from "@/lib/web/safe-next";
import { signInWithPassword, tooManyAttemptsMessage } from "@/lib/account/sign-in";
import { unlessOutage } from "@/lib/web/outage";
import { runtime } from "@/lib/runtime";

export type SignInState = { email?: string; error?: string; fieldErrors?: FieldErrors };

export async function signIn(_previous: SignInState, formData: FormData): Promise<SignInState> {
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const email = String(formData.get("email") ?? "");
  const parsed = SignInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { email, fieldErrors: firstFieldErrors(parsed.error) };

  const client = await currentClientInfo();
  const previousToken = await currentToken();
  const result = await unlessOutage(
    async () => signInWithPassword(runtime(), parsed.data.email, parsed.data.password, client, { previousToken, via: "form" }),
    (message) => ({ status: "outage" as const, message }),
  );
  if (result.status === "outage") return { email, error: `${result.message}. Please try again in a moment.` };
  if (result.status === "rate_limited") return { email, error: tooManyAttemptsMessage(result.retryAfterSeconds) };
  if (result.status === "invalid_credentials") return { email, error: "Invalid email or password" };
  await writeSessionCookie(result.token, result.session.createdAt);
  redirect(safeNextPath(String(formData.get("next") ?? "")));
}
