"use server";

import { redirect } from "next/navigation";
import { currentClientInfo, requireCheckedSession } from "@/lib/web/current-session";
import { ConfirmPasswordSchema, firstFieldErrors, type FieldErrors, isForm, UNREADABLE_FORM } from "@/lib/account/forms";
import { confirmPassword } from "@/lib/account/confirm";
import { safeNextPath } from "@/lib/web/safe-next";
import { tooManyAttemptsMessage } from "@/lib/account/sign-in";
import { unlessOutage } from "@/lib/web/outage";
import { runtime } from "@/lib/runtime";

export type ConfirmState = { error?: string; fieldErrors?: FieldErrors };

export async function confirmPasswordAction(_previous: ConfirmState, formData: FormData): Promise<ConfirmState> {
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const parsed = ConfirmPasswordSchema.safeParse({ password: formData.get("password") });
  if (!parsed.success) return { fieldErrors: firstFieldErrors(parsed.error) };
  const client = await currentClientInfo();
  const result = await unlessOutage(
    async () => confirmPassword(runtime(), await requireCheckedSession(), parsed.data.password, client),
    (message) => ({ status: "outage" as const, message }),
  );
  if (result.status === "outage") return { error: `${result.message}. Try again in a moment.` };
  if (result.status === "rate_limited") return { error: tooManyAttemptsMessage(result.retryAfterSeconds) };
  if (result.status === "wrong_password") return { error: "That password is not correct." };
  if (result.status === "ended") redirect("/login");
  redirect(safeNextPath(String(formData.get("next") ?? "")));
}
