import { z } from "zod";
import { newPasswordProblem } from "./password-policy";

// What a sign-in or sign-up form may contain. Limits keep hostile input small
// before it reaches argon2 or SQLite.

/** "Enter your email address" when a field is absent, "email must be a string" when it is a number, an object… */
function typeError(missing: string, field: string) {
  return { error: (issue: { input: unknown }) => (issue.input === undefined || issue.input === null ? missing : `${field} must be a string`) };
}

const email = z
  .string(typeError("Enter your email address", "email"))
  .trim()
  .min(1, "Enter your email address")
  .max(254, "That email address is too long")
  .email("Enter a valid email address");

export const SignInSchema = z.object({
  email,
  password: z.string(typeError("Enter your password", "password")).min(1, "Enter your password").max(1024, "That password is too long"),
});

/** A password someone chooses: long enough, not absurdly long, not one of the most common (password-policy.ts). */
function newPassword(missing: string, field: string) {
  return z.string(typeError(missing, field)).superRefine((value, context) => {
    const problem = newPasswordProblem(value);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });
}

export const SignUpSchema = z.object({
  email,
  password: newPassword("Choose a password", "password"),
});

export const PasswordChangeSchema = z.object({
  currentPassword: z.string(typeError("Enter your current password", "currentPassword")).min(1, "Enter your current password").max(1024),
  newPassword: newPassword("Choose a new password", "newPassword"),
});

export const ConfirmPasswordSchema = z.object({
  password: z.string(typeError("Enter your password", "password")).min(1, "Enter your password").max(1024, "That password is too long"),
});

export type FieldErrors = Partial<Record<string, string>>;

/** The first message per field, as the forms show them. */
export function firstFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "");
    if (field && !out[field]) out[field] = issue.message;
  }
  return out;
}
