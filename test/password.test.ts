import { describe, expect, it } from "vitest";
import { checkPassword, dummyPasswordHash, hashPassword } from "../lib/account/password";

// Argon2 parameters of a PHC string: $argon2id$v=19$m=19456,t=2,p=1$salt$hash
const parameters = (phc: string): string => phc.split("$").slice(1, 4).join("$");

describe("the password check", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse");
    expect(await checkPassword(stored, "correct horse")).toBe(true);
    expect(await checkPassword(stored, "battery staple")).toBe(false);
    expect(await checkPassword("not a hash", "correct horse")).toBe(false);
  });

  it("does the same argon2 work for an unknown user as for a known one", async () => {
    const real = await hashPassword("whatever");
    const dummy = await dummyPasswordHash();
    expect(parameters(real)).toMatch(/^argon2id\$v=19\$m=\d+,t=\d+,p=\d+$/);
    expect(parameters(dummy)).toBe(parameters(real)); // same algorithm and cost…
    expect(await checkPassword(undefined, "not-a-real-password")).toBe(false); // …and never a match, even for its own password
  });
});
