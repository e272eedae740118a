"use server";

import { redirect } from "next/navigation";
import { currentClientInfo } from "@/lib/auth/client-info";
import { readSessionToken, writeSessionCookie } from "@/lib/auth/cookies";
import { firstFieldErrors, SignInSchema, type FieldErrors } from "@/lib/auth/credentials";
import { safeNextPath } from "@/lib/auth/safe-next";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { UNAVAILABLE_MESSAGE } from "@/lib/auth/unavailable-page";
import { logEvent } from "@/lib/log";
import { isStoreUnavailable } from "@/lib/session/errors";

export type SignInState = { email?: string; error?: string; fieldErrors?: FieldErrors };

export async function signIn(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get("email") ?? "");
  const parsed = SignInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { email, fieldErrors: firstFieldErrors(parsed.error) };

  let result;
  try {
    result = await signInWithPassword(parsed.data.email, parsed.data.password, await currentClientInfo(), await readSessionToken());
  } catch (error) {
    if (isStoreUnavailable(error)) return { email, error: `${UNAVAILABLE_MESSAGE}. Please try again in a moment.` };
    throw error;
  }
  if (result.status !== "signed_in") {
    logEvent("sign_in_failed");
    return { email, error: "Invalid email or password" };
  }
  logEvent("sign_in", { userId: result.user.id, sessionId: result.session.id });
  await writeSessionCookie(result.token, result.session.createdAt);
  redirect(safeNextPath(String(formData.get("next") ?? "")));
}
