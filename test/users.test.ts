import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../lib/account/password";
import { openUsersDatabase } from "../lib/db/client";
import { DEMO_USERS, seedDemoUsers } from "../lib/db/setup";
import {
  changeUser,
  clearPendingSessionEnding,
  createUser,
  deleteUser,
  findUserByEmail,
  findUserById,
  listPendingSessionEndings,
  listUsers,
  readDatabaseInstanceId,
} from "../lib/db/users";
import { prepareDatabase } from "../scripts/lib/database";
import { DATABASE_KINDS, freshUsersDatabase, newDatabaseTarget } from "./support/users-databases";

// The one query module (lib/db/users.ts) against both users databases it serves:
// a real SQLite file and a real PostgreSQL server.

describe.each(DATABASE_KINDS)("users on %s", (kind) => {
  it("seeds the demo users once, with argon2id hashes", async () => {
    const { db } = await freshUsersDatabase(kind);
    expect(await seedDemoUsers(db, hashPassword)).toEqual(DEMO_USERS.map((u) => u.email));
    expect(await seedDemoUsers(db, hashPassword)).toEqual([]);
    expect(await listUsers(db)).toHaveLength(3);
    const admin = await findUserByEmail(db, "admin@example.com");
    expect(admin?.isAdmin).toBe(true);
    expect(admin?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(admin!.passwordHash, "admin-demo-pass")).toBe(true);
    expect(await verifyPassword(admin!.passwordHash, "wrong")).toBe(false);
  });

  it("seeds nothing with DEMO_USERS=off", async () => {
    const target = await newDatabaseTarget(kind);
    expect(await prepareDatabase(target, { demoUsers: false })).toEqual([]);
    const db = openUsersDatabase(target);
    expect(await listUsers(db)).toEqual([]);
    await db.close();
  });

  it("gives every user a random uid and a first session_version of 1", async () => {
    const { db } = await freshUsersDatabase(kind);
    const a = await createUser(db, { email: "a@example.com", passwordHash: "x" });
    const b = await createUser(db, { email: "b@example.com", passwordHash: "x" });
    if (!a.ok || !b.ok) throw new Error("could not create the users");
    expect(a.user.uid).toMatch(/^[0-9a-f]{32}$/);
    expect(a.user.uid).not.toBe(b.user.uid);
    expect(a.user.sessionVersion).toBe(1);
    expect(a.user.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(a.user.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("lets one email sign up once, case-insensitively", async () => {
    const { db } = await freshUsersDatabase(kind);
    expect((await createUser(db, { email: "Carol@Example.com", passwordHash: "x" })).ok).toBe(true);
    expect(await createUser(db, { email: " carol@example.com ", passwordHash: "y" })).toEqual({ ok: false, reason: "email_taken" });
    expect((await findUserByEmail(db, "CAROL@example.com"))?.email).toBe("carol@example.com");
  });

  it("makes exactly one account of 50 parallel sign-ups with one email", async () => {
    const { db } = await freshUsersDatabase(kind);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => createUser(db, { email: `Race@example.com`, passwordHash: `h${i}` })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "email_taken")).toHaveLength(49);
    expect(await listUsers(db)).toHaveLength(1);
  });

  it("has an instance id of its own, made by the migrations, the same on every read", async () => {
    const first = await freshUsersDatabase(kind);
    const second = await freshUsersDatabase(kind);
    const id = await readDatabaseInstanceId(first.db);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(await readDatabaseInstanceId(first.db)).toBe(id);
    const reopened = openUsersDatabase(first.target);
    expect(await readDatabaseInstanceId(reopened)).toBe(id);
    await reopened.close();
    expect(await readDatabaseInstanceId(second.db)).not.toBe(id);
  });

  it("changes a user with a raised session_version and a pending ending in one step; deletes the same way", async () => {
    const { db } = await freshUsersDatabase(kind);
    const created = await createUser(db, { email: "dave@example.com", passwordHash: "old" });
    if (!created.ok) throw new Error("could not create the user");
    const { user } = created;

    const change = await changeUser(db, user.id, { passwordHash: "new" });
    expect(change?.sessionVersion).toBe(2);
    expect(change?.user).toMatchObject({ id: user.id, uid: user.uid, passwordHash: "new", sessionVersion: 2 });
    expect((await findUserById(db, user.id))?.passwordHash, "a change is seen at once").toBe("new");
    const promoted = await changeUser(db, user.id, { isAdmin: true });
    expect(promoted?.sessionVersion).toBe(3);
    expect(await listPendingSessionEndings(db)).toEqual([
      { id: change!.pendingId, userId: user.id, userUid: user.uid },
      { id: promoted!.pendingId, userId: user.id, userUid: user.uid },
    ]);
    await clearPendingSessionEnding(db, change!.pendingId);
    await clearPendingSessionEnding(db, promoted!.pendingId);
    expect(await listPendingSessionEndings(db)).toEqual([]);

    const deleted = await deleteUser(db, user.id);
    expect(deleted).toMatchObject({ user: { id: user.id, uid: user.uid }, sessionVersion: null });
    expect(await findUserById(db, user.id), "a deleted row is gone").toBeUndefined();
    expect(await listPendingSessionEndings(db)).toEqual([{ id: deleted!.pendingId, userId: user.id, userUid: user.uid }]);
    expect(await changeUser(db, user.id, { isAdmin: false }), "no row, no change").toBeUndefined();
    expect(await deleteUser(db, user.id)).toBeUndefined();
    expect(await listPendingSessionEndings(db), "nothing recorded for a row that is not there").toHaveLength(1);
  });

  it("counts every statement the driver sends", async () => {
    const { db } = await freshUsersDatabase(kind);
    const before = db.queryCount();
    await findUserByEmail(db, "nobody@example.com");
    await listUsers(db);
    expect(db.queryCount() - before).toBe(2);
  });
});

describe("opening the users database", () => {
  it("says clearly when a SQLite file cannot be opened", () => {
    const notADirectory = join(tmpdir(), `nrs-not-a-directory-${process.pid}`);
    writeFileSync(notADirectory, "");
    try {
      expect(() => openUsersDatabase({ kind: "sqlite", path: join(notADirectory, "app.db") })).toThrow(
        /^Cannot open the SQLite database at .*\/app\.db: .*Check DATABASE_URL and the file's permissions\.$/,
      );
    } finally {
      rmSync(notADirectory, { force: true });
    }
  });
});
