import { readFileSync } from "node:fs";
import { join } from "node:path";

// What a new password must be (sign-up, password change). Length is checked
// before anything else, so a megabyte of "password" never reaches argon2.
//
// common-passwords.txt: the 1,000 most common passwords, the first 1,000 lines
// of "10-million-password-list-top-1000000.txt" from SecLists (Daniel Miessler,
// https://github.com/danielmiessler/SecLists, Passwords/Common-Credentials;
// CC BY-SA 3.0), one per line, most common first.

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(join(process.cwd(), "lib", "auth", "common-passwords.txt"), "utf8")
      .split("\n")
      .filter((line) => line.length > 0),
  );
  return common;
}

/** The reason a new password is refused, or undefined when it is acceptable. */
export function newPasswordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters`;
  if (commonPasswords().has(password) || commonPasswords().has(password.toLowerCase())) return "This password is too common.";
  return undefined;
}
