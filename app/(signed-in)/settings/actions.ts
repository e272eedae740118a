"use server";

import { isForm, UNREADABLE_FORM, firstFieldErrors, PasswordChangeSchema, type FieldErrors } from "@/lib/account/forms";
import { currentClientInfo, requireCheckedSession, confirmPath, isFresh } from "@/lib/web/current-session";
import { clearSessionCookie, writeSessionCookie } from "@/lib/web/credential";
import { redirect } from "next/navigation";
import { changePassword } from "@/lib/account/password-change";
import { offerBindingOnAction } from "@/lib/web/device-binding";
import { tooManyAttemptsMessage } from "@/lib/account/sign-in";
import { unlessOutage } from "@/lib/web/outage";
import { runtime } from "@/lib/runtime";

export type PasswordChangeState = { error?: string; done?: string; fieldErrors?: FieldErrors };

export async function changePasswordAction(_previous: PasswordChangeState, formData: FormData): Promise<PasswordChangeState> {
  const current = await unlessOutage(requireCheckedSession, (message) => ({ outage: message }));
  if ("outage" in current) return { error: `${current.outage}. Nothing was changed; try again in a moment.` };
  if (!isFresh(current.session)) redirect(confirmPath("/settings"));
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const parsed = PasswordChangeSchema.safeParse({
    currentPassword: formData.get("currentPassword"),
    newPassword: formData.get("newPassword"),
  });
  if (!parsed.success) return { fieldErrors: firstFieldErrors(parsed.error) };

  const client = await currentClientInfo();
  const result = await unlessOutage(
    async () => changePassword(runtime(), current, parsed.data.currentPassword, parsed.data.newPassword, client),
    (message) => ({ status: "outage" as const, message }),
  );
  if (result.status === "outage") return { error: `${result.message}. Nothing was changed; try again in a moment.` };
  if (result.status === "rate_limited") return { error: tooManyAttemptsMessage(result.retryAfterSeconds) };
  if (result.status === "wrong_password") return { error: "Your current password is not correct. Nothing was changed." };
  if (result.status === "changed_sign_in_again") {
    // Stored, but this session could not be renewed: every session of the account ends; the new password signs in.
    await clearSessionCookie();
    redirect("/login?passwordChanged=1");
  }
  await writeSessionCookie(result.token, result.session);
  // The new session is a new one to bind: the old one's key went with it.
  await offerBindingOnAction(result.session);
  const n = result.signedOutOthers;
  return { done: `Password changed. Signed out ${n} other ${n === 1 ? "device" : "devices"}.` };
}
