"use server";

import { redirect } from "next/navigation";
import { currentClientInfo } from "@/lib/auth/client-info";
import { writeSessionCookie } from "@/lib/auth/cookies";
import { firstFieldErrors, SignUpSchema, type FieldErrors } from "@/lib/auth/credentials";
import { currentToken } from "@/lib/auth/current-session";
import { isForm, UNREADABLE_FORM } from "@/lib/auth/form-data";
import { hashPassword } from "@/lib/auth/password";
import { endSessionOfToken, startSession } from "@/lib/auth/sign-in";
import { db } from "@/lib/db/client";
import { createUser } from "@/lib/db/users";
import { logEvent, logRef } from "@/lib/log";
import { OUTAGE_MESSAGE, unlessOutage } from "@/lib/outage";

export type SignUpState = { email?: string; error?: string; fieldErrors?: FieldErrors };

export async function signUp(_previous: SignUpState, formData: FormData): Promise<SignUpState> {
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const email = String(formData.get("email") ?? "");
  const parsed = SignUpSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { email, fieldErrors: firstFieldErrors(parsed.error) };

  const created = createUser(db(), { email: parsed.data.email, passwordHash: await hashPassword(parsed.data.password) });
  if (!created.ok) return { email, fieldErrors: { email: "An account with this email already exists. Sign in instead?" } };

  const previousToken = await currentToken();
  const client = await currentClientInfo();
  const session = await unlessOutage(async () => {
    await endSessionOfToken(previousToken);
    return startSession(created.user, client);
  }, () => null);
  if (session === null) return { email, error: `Your account was created, but ${OUTAGE_MESSAGE.toLowerCase()}. Sign in again in a moment.` };
  logEvent("sign_up", { userId: created.user.id, session: logRef(session.session.id) });
  await writeSessionCookie(session.token, session.session.createdAt);
  redirect("/");
}
