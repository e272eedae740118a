"use server";

import { isForm, UNREADABLE_FORM } from "@/app/components/form-data";
import { redirect } from "next/navigation";
import { currentClientInfo } from "@/lib/auth/client-info";
import { readSessionToken, writeSessionCookie } from "@/lib/auth/cookies";
import { firstFieldErrors, SignInSchema, type FieldErrors } from "@/lib/auth/credentials";
import { safeNextPath } from "@/lib/auth/safe-next";
import { signInWithPassword, tooManyAttemptsMessage } from "@/lib/auth/sign-in";
import { UNAVAILABLE_MESSAGE } from "@/lib/auth/unavailable-page";
import { isRedisUnavailable } from "@/lib/redis";

export type SignInState = { email?: string; error?: string; fieldErrors?: FieldErrors };

export async function signIn(_previous: SignInState, formData: FormData): Promise<SignInState> {
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const email = String(formData.get("email") ?? "");
  const parsed = SignInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { email, fieldErrors: firstFieldErrors(parsed.error) };

  let result;
  try {
    result = await signInWithPassword(parsed.data.email, parsed.data.password, await currentClientInfo(), {
      previousToken: await readSessionToken(),
      via: "form",
    });
  } catch (error) {
    if (isRedisUnavailable(error)) return { email, error: `${UNAVAILABLE_MESSAGE}. Please try again in a moment.` };
    throw error;
  }
  if (result.status === "rate_limited") return { email, error: tooManyAttemptsMessage(result.retryAfterSeconds) };
  if (result.status === "invalid_credentials") return { email, error: "Invalid email or password" };
  await writeSessionCookie(result.token, result.session.createdAt);
  redirect(safeNextPath(String(formData.get("next") ?? "")));
}
