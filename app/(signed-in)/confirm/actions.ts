"use server";

import { redirect } from "next/navigation";
import { currentClientInfo } from "@/lib/auth/client-info";
import { ConfirmPasswordSchema, firstFieldErrors, type FieldErrors } from "@/lib/auth/credentials";
import { requireCheckedSession } from "@/lib/auth/current-session";
import { isForm, UNREADABLE_FORM } from "@/lib/auth/form-data";
import { confirmPassword } from "@/lib/auth/own-password";
import { safeNextPath } from "@/lib/auth/safe-next";
import { tooManyAttemptsMessage } from "@/lib/auth/sign-in";
import { unlessOutage } from "@/lib/outage";
import { runtime } from "@/lib/runtime";

export type ConfirmState = { error?: string; fieldErrors?: FieldErrors };

export async function confirmPasswordAction(_previous: ConfirmState, formData: FormData): Promise<ConfirmState> {
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const parsed = ConfirmPasswordSchema.safeParse({ password: formData.get("password") });
  if (!parsed.success) return { fieldErrors: firstFieldErrors(parsed.error) };
  const client = await currentClientInfo();
  const result = await unlessOutage(
    async () => confirmPassword(await runtime(), await requireCheckedSession(), parsed.data.password, client),
    (message) => ({ status: "outage" as const, message }),
  );
  if (result.status === "outage") return { error: `${result.message}. Try again in a moment.` };
  if (result.status === "rate_limited") return { error: tooManyAttemptsMessage(result.retryAfterSeconds) };
  if (result.status === "wrong_password") return { error: "That password is not correct." };
  if (result.status === "ended") redirect("/login");
  redirect(safeNextPath(String(formData.get("next") ?? "")));
}
