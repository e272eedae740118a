import { hash, verify } from "@node-rs/argon2";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// Passwords: argon2id with the library's defaults (19 MiB, 2 passes), the OWASP
// baseline, and what a new one must be (sign-up, password change). Length is
// checked before anything else, so a megabyte of "password" never reaches argon2.
//
// common-passwords.txt: the 1,000 most common passwords, the first 1,000 lines
// of "10-million-password-list-top-1000000.txt" from SecLists (Daniel Miessler,
// https://github.com/danielmiessler/SecLists, Passwords/Common-Credentials;
// CC BY-SA 3.0), one per line, most common first.

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash never signs anyone in
  }
}

// Verified when the email is unknown, so that a wrong email costs the same argon2
// work as a wrong password and the response time does not tell who has an account.
// Made once when this module loads (a constant, not per request).
const DUMMY_HASH: Promise<string> = hashPassword("not-a-real-password");
DUMMY_HASH.catch(() => undefined);

export function dummyPasswordHash(): Promise<string> {
  return DUMMY_HASH;
}

/** The password check of a sign-in: against the user's hash, or the dummy one when there is no such user. */
export async function checkPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (passwordHash === undefined) {
    await verifyPassword(await DUMMY_HASH, password);
    return false;
  }
  return verifyPassword(passwordHash, password);
}

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  readFileSync(join(process.cwd(), "lib", "account", "common-passwords.txt"), "utf8")
    .split("\n")
    .filter((line) => line.length > 0),
);

/** The reason a new password is refused, or undefined when it is acceptable. */
export function newPasswordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters`;
  if (COMMON_PASSWORDS.has(password) || COMMON_PASSWORDS.has(password.toLowerCase())) return "This password is too common.";
  return undefined;
}
