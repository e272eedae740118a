"use server";

import { redirect } from "next/navigation";
import { currentClientInfo } from "@/lib/auth/client-info";
import { clearSessionCookie } from "@/lib/auth/cookies";
import { ConfirmPasswordSchema, firstFieldErrors, type FieldErrors } from "@/lib/auth/credentials";
import { requireCheckedSession } from "@/lib/auth/current-session";
import { deleteAccount } from "@/lib/auth/delete-account";
import { isForm, UNREADABLE_FORM } from "@/lib/auth/form-data";
import { confirmPath, isFresh } from "@/lib/auth/freshness";
import { checkOwnPassword } from "@/lib/auth/own-password";
import { tooManyAttemptsMessage } from "@/lib/auth/sign-in";
import { OUTAGE_MESSAGE, unlessOutage } from "@/lib/outage";

export type DeleteAccountState = { error?: string; fieldErrors?: FieldErrors };

/** Needs a recent sign-in and the password; afterwards the user, their sessions and the cookie are gone. */
export async function deleteAccountAction(_previous: DeleteAccountState, formData: FormData): Promise<DeleteAccountState> {
  const current = await unlessOutage(requireCheckedSession, () => null);
  if (current === null) return { error: `${OUTAGE_MESSAGE}. Nothing was deleted; try again in a moment.` };
  if (!isFresh(current.session)) redirect(confirmPath("/settings"));
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const parsed = ConfirmPasswordSchema.safeParse({ password: formData.get("confirmPassword") });
  if (!parsed.success) return { fieldErrors: { confirmPassword: firstFieldErrors(parsed.error).password } };

  const client = await currentClientInfo();
  const check = await unlessOutage(() => checkOwnPassword(current, parsed.data.password, client, "delete_account"), () => null);
  if (check === null) return { error: `${OUTAGE_MESSAGE}. Nothing was deleted; try again in a moment.` };
  if (check.status === "rate_limited") return { error: tooManyAttemptsMessage(check.retryAfterSeconds) };
  if (check.status === "wrong_password") return { error: "That password is not correct. Nothing was deleted." };
  // Once the row is gone, a session that outlived an outage here belongs to nobody and ends at its first request.
  await unlessOutage(() => deleteAccount(current), () => 0);
  await clearSessionCookie();
  redirect("/login?deleted=1");
}
