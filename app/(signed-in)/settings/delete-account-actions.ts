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
import { unlessOutage } from "@/lib/outage";
import { runtime } from "@/lib/runtime";

export type DeleteAccountState = { error?: string; fieldErrors?: FieldErrors };

/** Needs a recent sign-in and the password; afterwards the user, their sessions and the cookie are gone. */
export async function deleteAccountAction(_previous: DeleteAccountState, formData: FormData): Promise<DeleteAccountState> {
  const current = await unlessOutage(requireCheckedSession, (message) => ({ outage: message }));
  if ("outage" in current) return { error: `${current.outage}. Nothing was deleted; try again in a moment.` };
  if (!isFresh(current.session)) redirect(confirmPath("/settings"));
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const parsed = ConfirmPasswordSchema.safeParse({ password: formData.get("confirmPassword") });
  if (!parsed.success) return { fieldErrors: { confirmPassword: firstFieldErrors(parsed.error).password } };

  const client = await currentClientInfo();
  const check = await unlessOutage(
    async () => checkOwnPassword(await runtime(), current, parsed.data.password, client, "delete_account"),
    (message) => ({ status: "outage" as const, message }),
  );
  if (check.status === "outage") return { error: `${check.message}. Nothing was deleted; try again in a moment.` };
  if (check.status === "rate_limited") return { error: tooManyAttemptsMessage(check.retryAfterSeconds) };
  if (check.status === "wrong_password") return { error: "That password is not correct. Nothing was deleted." };
  // The row goes first; if Redis fails after it, the account's sessions end as soon as Redis answers (user-changes.ts).
  const deleted = await unlessOutage(async () => deleteAccount(await runtime(), current), (message) => ({ outage: message }));
  if (typeof deleted === "object") return { error: `${deleted.outage}. Nothing was deleted; try again in a moment.` };
  await clearSessionCookie();
  redirect("/login?deleted=1");
}
