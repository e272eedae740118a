"use server";

import { redirect } from "next/navigation";
import { currentClientInfo, requireCheckedSession, confirmPath, isFresh } from "@/lib/web/current-session";
import { clearSessionCookie } from "@/lib/web/credential";
import { ConfirmPasswordSchema, firstFieldErrors, type FieldErrors, isForm, UNREADABLE_FORM } from "@/lib/account/forms";
import { deleteAccount } from "@/lib/account/user-changes";
import { checkOwnPassword } from "@/lib/account/confirm";
import { tooManyAttemptsMessage } from "@/lib/account/sign-in";
import { unlessOutage } from "@/lib/web/outage";
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
    async () => checkOwnPassword(runtime(), current, parsed.data.password, client, "delete_account"),
    (message) => ({ status: "outage" as const, message }),
  );
  if (check.status === "outage") return { error: `${check.message}. Nothing was deleted; try again in a moment.` };
  if (check.status === "rate_limited") return { error: tooManyAttemptsMessage(check.retryAfterSeconds) };
  if (check.status === "wrong_password") return { error: "That password is not correct. Nothing was deleted." };
  // The row goes first; if Redis fails after it, the account's sessions end as soon as Redis answers (user-changes.ts).
  const deleted = await unlessOutage(async () => deleteAccount(runtime(), current), (message) => ({ outage: message }));
  if (typeof deleted === "object") return { error: `${deleted.outage}. Nothing was deleted; try again in a moment.` };
  await clearSessionCookie();
  redirect("/login?deleted=1");
}
