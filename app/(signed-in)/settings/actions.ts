"use server";

import { isForm, UNREADABLE_FORM } from "@/app/components/form-data";
import { currentClientInfo } from "@/lib/auth/client-info";
import { writeSessionCookie } from "@/lib/auth/cookies";
import { firstFieldErrors, PasswordChangeSchema, type FieldErrors } from "@/lib/auth/credentials";
import { requireSession } from "@/lib/auth/current-session";
import { changePassword } from "@/lib/auth/password-change";
import { tooManyAttemptsMessage } from "@/lib/auth/sign-in";

export type PasswordChangeState = { error?: string; done?: string; fieldErrors?: FieldErrors };

export async function changePasswordAction(_previous: PasswordChangeState, formData: FormData): Promise<PasswordChangeState> {
  const current = await requireSession();
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const parsed = PasswordChangeSchema.safeParse({
    currentPassword: formData.get("currentPassword"),
    newPassword: formData.get("newPassword"),
  });
  if (!parsed.success) return { fieldErrors: firstFieldErrors(parsed.error) };

  const result = await changePassword(current, parsed.data.currentPassword, parsed.data.newPassword, await currentClientInfo());
  if (result.status === "rate_limited") return { error: tooManyAttemptsMessage(result.retryAfterSeconds) };
  if (result.status === "wrong_password") return { error: "Your current password is not correct. Nothing was changed." };
  await writeSessionCookie(result.token, result.session.createdAt);
  const n = result.signedOutOthers;
  return { done: `Password changed. Signed out ${n} other ${n === 1 ? "device" : "devices"}.` };
}
