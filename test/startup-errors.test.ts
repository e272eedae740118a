import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findFreePort } from "../scripts/lib/redis-server";

// What a person sees when the database cannot be used at start: one clear line,
// no stack trace. (npm start prepares the database the same way as db:setup.)

const dir = mkdtempSync(join(tmpdir(), "nrs-startup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dbSetup(databaseUrl: string) {
  const result = spawnSync(join("node_modules", ".bin", "tsx"), ["scripts/db-setup.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("database problems at start", () => {
  it("a path that cannot hold a database file", () => {
    const notADirectory = join(dir, "a-file");
    writeFileSync(notADirectory, "");
    const { status, output } = dbSetup(join(notADirectory, "app.db"));
    expect(status).toBe(1);
    expect(output).toMatch(/Cannot open the SQLite database at .*a-file\/app\.db: .*Check DATABASE_URL/);
    expect(output).not.toMatch(/^\s+at /m);
  });

  it("a database another process has locked", () => {
    const path = join(dir, "locked.db");
    const holder = new Database(path);
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const { status, output } = dbSetup(path);
      expect(status).toBe(1);
      expect(output).toMatch(/Cannot (open|prepare) the SQLite database at .*locked\.db: database is locked\. Another process holds a lock on it/);
      expect(output).not.toMatch(/^\s+at /m);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });

  it("a PostgreSQL server that does not answer, named without its password", async () => {
    const port = await findFreePort(); // nothing listens there
    const { status, output } = dbSetup(`postgres://app:s3cret-password@127.0.0.1:${port}/users`);
    expect(status).toBe(1);
    expect(output).toContain(`Cannot prepare the PostgreSQL at 127.0.0.1:${port}/users: connect ECONNREFUSED`);
    expect(output).toContain("Check DATABASE_URL, and that the server runs and accepts this user.");
    expect(output).not.toContain("s3cret-password");
    expect(output).not.toMatch(/^\s+at /m);
  });

  it("a missing file is created, migrated and seeded", () => {
    const { status, output } = dbSetup(join(dir, "new", "app.db"));
    expect(status).toBe(0);
    expect(output).toContain("demo users created: alice@example.com, bob@example.com, admin@example.com");
  });
});
