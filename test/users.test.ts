import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../lib/auth/password";
import { openDatabase } from "../lib/db/client";
import { DEMO_USERS } from "../lib/db/demo-users";
import { migrateDatabase, seedDemoUsers } from "../lib/db/setup";
import { createUser, deleteUser, findUserByEmail, findUserById, listUsers, updatePasswordHash } from "../lib/db/users";
import { prepareDatabase } from "../scripts/lib/database";

const dir = mkdtempSync(join(tmpdir(), "nrs-users-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freshDatabase(name: string) {
  const db = openDatabase(join(dir, `${name}.db`));
  migrateDatabase(db);
  return db;
}

describe("users in SQLite", () => {
  it("seeds the demo users once, with argon2id hashes", async () => {
    const db = freshDatabase("seed");
    expect(await seedDemoUsers(db, hashPassword)).toEqual(DEMO_USERS.map((u) => u.email));
    expect(await seedDemoUsers(db, hashPassword)).toEqual([]);
    expect(listUsers(db)).toHaveLength(3);
    const admin = findUserByEmail(db, "admin@example.com");
    expect(admin?.isAdmin).toBe(true);
    expect(admin?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(admin!.passwordHash, "admin-demo-pass")).toBe(true);
    expect(await verifyPassword(admin!.passwordHash, "wrong")).toBe(false);
  });

  it("seeds nothing with DEMO_USERS=off", async () => {
    const path = join(dir, "no-demo.db");
    expect(await prepareDatabase(path, { demoUsers: false })).toEqual([]);
    const db = openDatabase(path);
    expect(listUsers(db)).toEqual([]);
    db.$client.close();
  });

  it("gives every user a random uid, never the same twice, and gives existing rows one when migrating", () => {
    const db = freshDatabase("uid");
    const a = createUser(db, { email: "a@example.com", passwordHash: "x" });
    const b = createUser(db, { email: "b@example.com", passwordHash: "x" });
    if (!a.ok || !b.ok) throw new Error("could not create the users");
    expect(a.user.uid).toMatch(/^[0-9a-f]{32}$/);
    expect(a.user.uid).not.toBe(b.user.uid);
  });

  it("lets one email sign up once, case-insensitively", () => {
    const db = freshDatabase("unique");
    expect(createUser(db, { email: "Carol@Example.com", passwordHash: "x" }).ok).toBe(true);
    expect(createUser(db, { email: " carol@example.com ", passwordHash: "y" })).toEqual({ ok: false, reason: "email_taken" });
    expect(findUserByEmail(db, "CAROL@example.com")?.email).toBe("carol@example.com");
  });

  it("finds a user by id with a statement prepared once per database, always reading the row as it is now", () => {
    const [one, two] = [freshDatabase("by-id-1"), freshDatabase("by-id-2")];
    const a = createUser(one, { email: "a@example.com", passwordHash: "x" });
    const b = createUser(two, { email: "b@example.com", passwordHash: "y" });
    if (!a.ok || !b.ok) throw new Error("could not create the users");
    expect(findUserById(one, a.user.id)?.email).toBe("a@example.com");
    expect(findUserById(two, b.user.id)?.email, "each database its own statement").toBe("b@example.com");
    updatePasswordHash(one, a.user.id, "z");
    expect(findUserById(one, a.user.id)?.passwordHash, "a change is seen at once").toBe("z");
    deleteUser(one, a.user.id);
    expect(findUserById(one, a.user.id), "a deleted row is gone").toBeUndefined();
    expect(findUserById(one, 999_999)).toBeUndefined();
  });

  it("says clearly when the database cannot be opened", () => {
    const notADirectory = join(dir, "a-file");
    writeFileSync(notADirectory, "");
    expect(() => openDatabase(join(notADirectory, "app.db"))).toThrow(/^Cannot open the SQLite database at .*a-file\/app\.db: .*Check DATABASE_URL and the file's permissions\.$/);
  });
});
