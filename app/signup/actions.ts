"use server";

import { isForm, UNREADABLE_FORM } from "@/app/components/form-data";
import { redirect } from "next/navigation";
import { currentClientInfo } from "@/lib/auth/client-info";
import { readSessionToken, writeSessionCookie } from "@/lib/auth/cookies";
import { firstFieldErrors, SignUpSchema, type FieldErrors } from "@/lib/auth/credentials";
import { hashPassword } from "@/lib/auth/password";
import { endSessionOfToken, startSession } from "@/lib/auth/sign-in";
import { UNAVAILABLE_MESSAGE } from "@/lib/auth/unavailable-page";
import { db } from "@/lib/db/client";
import { createUser } from "@/lib/db/users";
import { logEvent, logRef } from "@/lib/log";
import { isRedisUnavailable } from "@/lib/redis";

export type SignUpState = { email?: string; error?: string; fieldErrors?: FieldErrors };

export async function signUp(_previous: SignUpState, formData: FormData): Promise<SignUpState> {
  if (!isForm(formData)) return { error: UNREADABLE_FORM };
  const email = String(formData.get("email") ?? "");
  const parsed = SignUpSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { email, fieldErrors: firstFieldErrors(parsed.error) };

  const created = createUser(db(), { email: parsed.data.email, passwordHash: await hashPassword(parsed.data.password) });
  if (!created.ok) return { email, fieldErrors: { email: "An account with this email already exists. Sign in instead?" } };

  let session;
  try {
    await endSessionOfToken(await readSessionToken());
    session = await startSession(created.user, await currentClientInfo());
  } catch (error) {
    if (!isRedisUnavailable(error)) throw error;
    return { email, error: `Your account was created, but ${UNAVAILABLE_MESSAGE.toLowerCase()}. Sign in again in a moment.` };
  }
  logEvent("sign_up", { userId: created.user.id, session: logRef(session.session.id) });
  await writeSessionCookie(session.token, session.session.createdAt);
  redirect("/");
}
