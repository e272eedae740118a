import { z } from "zod";

// What a sign-in or sign-up form may contain. Limits keep hostile input small
// before it reaches argon2 or SQLite.

const email = z
  .string({ error: "Enter your email address" })
  .trim()
  .min(1, "Enter your email address")
  .max(254, "That email address is too long")
  .email("Enter a valid email address");

export const SignInSchema = z.object({
  email,
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(1024, "That password is too long"),
});

export const SignUpSchema = z.object({
  email,
  password: z
    .string({ error: "Choose a password" })
    .min(8, "Use at least 8 characters")
    .max(1024, "Use at most 1024 characters"),
});

export type FieldErrors = Partial<Record<"email" | "password", string>>;

/** The first message per field, as the forms show them. */
export function firstFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if ((field === "email" || field === "password") && !out[field]) out[field] = issue.message;
  }
  return out;
}
