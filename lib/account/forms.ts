import { z } from "zod";
import { MAX_DEVICE_NAME_LENGTH } from "../session";
import { newPasswordProblem } from "./password";

// What the account forms (and the API's JSON) may contain, checked with zod before
// anything else runs. Limits keep hostile input small before it reaches argon2 or
// the users database.

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
  /** "Keep me signed in" (the API's `"remember": true`; the form's checkbox is read by its action). */
  remember: z.boolean({ error: "remember must be true or false" }).optional(),
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

/**
 * Server actions are public endpoints: anyone can post any arguments to them, not
 * only the forms of this app. An action that reads a form first checks that it
 * got one, so a hand-made request gets a clear answer instead of a 500.
 */
export function isForm(value: unknown): value is FormData {
  return value instanceof FormData;
}

export const UNREADABLE_FORM = "The form could not be read. Reload the page and try again.";

/** A submitted device name, trimmed and without control characters; undefined when it is too long. */
export function deviceName(value: FormDataEntryValue | null): string | undefined {
  const name = (typeof value === "string" ? value : "").replace(/[\p{Cc}\p{Cf}]/gu, "").trim();
  return [...name].length > MAX_DEVICE_NAME_LENGTH ? undefined : name;
}
