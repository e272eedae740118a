"use server";

import { isForm, UNREADABLE_FORM } from "@/lib/auth/form-data";
import { currentClientInfo } from "@/lib/auth/client-info";
import { writeSessionCookie } from "@/lib/auth/cookies";
import { firstFieldErrors, PasswordChangeSchema, type FieldErrors } from "@/lib/auth/credentials";
import { requireCheckedSession } from "@/lib/auth/current-session";
import { confirmPath, isFresh } from "@/lib/auth/freshness";
import { redirect } from "next/navigation";
import { changePassword } from "@/lib/auth/password-change";
import { tooManyAttemptsMessage } from "@/lib/auth/sign-in";
import { OUTAGE_MESSAGE, unlessOutage } from "@/lib/outage";

export type PasswordChangeState = { error?: string; done?: string; fieldErrors?: FieldErrors };

export async function changePasswordAction(_previous: PasswordChangeState, formData: FormData): Promise<PasswordChangeState> {
  const current = await unlessOutage(requireCheckedSession, () => null);
  if (current === null) return { error: `${OUTAGE_MESSAGE}. Nothing was changed; try again in a moment.` };
  if (!isFresh(current.session)) redirect(confirmPath("/settings"));
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const parsed = PasswordChangeSchema.safeParse({
    currentPassword: formData.get("currentPassword"),
    newPassword: formData.get("newPassword"),
  });
  if (!parsed.success) return { fieldErrors: firstFieldErrors(parsed.error) };

  const client = await currentClientInfo();
  const result = await unlessOutage(() => changePassword(current, parsed.data.currentPassword, parsed.data.newPassword, client), () => null);
  if (result === null) return { error: `${OUTAGE_MESSAGE}. Try again in a moment.` };
  if (result.status === "rate_limited") return { error: tooManyAttemptsMessage(result.retryAfterSeconds) };
  if (result.status === "wrong_password") return { error: "Your current password is not correct. Nothing was changed." };
  await writeSessionCookie(result.token, result.session.createdAt);
  const n = result.signedOutOthers;
  return { done: `Password changed. Signed out ${n} other ${n === 1 ? "device" : "devices"}.` };
}
