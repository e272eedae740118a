import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { exited, findFreePort } from "../scripts/lib/redis-server";
import { closeContexts } from "./support/contexts";
import { requiredEnv, runDir } from "./support/env";
import { onPostgres, postgresDatabaseUrl } from "./support/postgres";
import { ADMIN, expectSentToLogin, expectSignedInHome, freshUser, signIn, signUp, urlPattern } from "./support/users";

// Two machines, simulated: two app instances started with `npm start`'s own
// script from two working directories that share no file (each its own copy of
// the app, its own build in .next and its own .data), on one PostgreSQL and one
// Redis Cluster (3 masters + 3 replicas). They start at once: the migrations take
// turns (an advisory lock), the demo users are seeded once. Then what one machine
// does, the other sees on its very next request. (No SESSION_WAIT_REPLICAS: the
// scale specs kill Cluster masters earlier in the run, and a promoted master has
// no replica to wait for; e2e/scale.spec.ts covers that setting.)

const DATABASE = "machines";
type Machine = { url: string; process: ChildProcess; output: () => string };
const machines: Machine[] = [];

/** A copy of the app as a second machine would have it: the tracked files and the build, times kept (so it is not rebuilt). */
function copyOfTheApp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of files) if (existsSync(file)) cpSync(file, join(dir, file), { preserveTimestamps: true });
  cpSync(".next", join(dir, ".next"), { recursive: true, preserveTimestamps: true, filter: (source) => !source.includes(`${join(".next", "cache")}`) });
  // The installed libraries are read-only code, the same on every machine: linked, not copied.
  symlinkSync(join(process.cwd(), "node_modules"), join(dir, "node_modules"));
  // The copy's folders are newer than the build; the build is of exactly these files, so it is marked as made after them.
  const now = new Date();
  utimesSync(join(dir, ".next", "BUILD_ID"), now, now);
}

async function startMachine(dir: string, databaseUrl: string): Promise<Machine> {
  const port = await findFreePort();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: dir,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_CLUSTER_NODES: requiredEnv("E2E_CLUSTER_NODES"),
      SIGNUP_MAX_PER_IP: "100000",
      LOGIN_MAX_FAILURES_PER_IP: "100000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { url: `http://localhost:${port}`, process: child, output: () => output };
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await onPostgres(`drop database if exists ${DATABASE} with (force)`);
  await onPostgres(`create database ${DATABASE}`);
  const dirs = ["a", "b"].map((name) => join(runDir(), "machines", name));
  for (const dir of dirs) copyOfTheApp(dir);
  machines.push(...(await Promise.all(dirs.map((dir) => startMachine(dir, postgresDatabaseUrl(DATABASE))))));
  for (const machine of machines) {
    await expect
      .poll(async () => (machine.process.exitCode === null ? (await fetch(`${machine.url}/login`).catch(() => undefined))?.status : `exited: ${machine.output()}`), {
        timeout: 120_000,
      })
      .toBe(200);
    expect(machine.output(), "each machine runs the build it was given").toContain("Production bundle is up to date");
  }
});

test.afterAll(async () => {
  for (const machine of machines.splice(0)) {
    machine.process.kill("SIGTERM"); // scripts/start.ts stops its server on SIGTERM, then exits
    await exited(machine.process);
  }
  await onPostgres(`drop database if exists ${DATABASE} with (force)`);
});

test("signed up on A, signed in on B; ended on B, A's device is signed out on its next request", async ({ browser }) => {
  const [a, b] = machines;
  const onA = await browser.newContext();
  const onB = await browser.newContext();
  try {
    const pageA = await onA.newPage();
    const user = await signUp(pageA, freshUser("machines"), a.url);
    const pageB = await onB.newPage();
    await signIn(pageB, user, b.url);
    await pageB.goto(`${b.url}/devices`);
    await expect(pageB.getByRole("list", { name: "Active sessions" }).getByRole("listitem")).toHaveCount(2);
    await pageB.getByRole("button", { name: "Sign out all other devices" }).click();
    await expect(pageB.getByRole("status")).toContainText("Signed out 1 device.");
    await expectSentToLogin(pageA, "/devices", a.url);
    await pageB.goto(`${b.url}/`);
    await expectSignedInHome(pageB, user.email, b.url);
  } finally {
    await closeContexts(onA, onB);
  }
});

test("an account deleted on A is signed out on B", async ({ browser }) => {
  const [a, b] = machines;
  const onA = await browser.newContext();
  const onB = await browser.newContext();
  try {
    const pageA = await onA.newPage();
    const user = await signUp(pageA, freshUser("machines-delete"), a.url);
    const pageB = await onB.newPage();
    await signIn(pageB, user, b.url);
    await pageB.goto("about:blank");

    await pageA.goto(`${a.url}/settings`);
    const section = pageA.getByRole("region", { name: "Delete account" });
    await section.getByLabel("Confirm password").fill(user.password);
    await section.getByRole("button", { name: "Delete account" }).click();
    await expect(pageA).toHaveURL(`${a.url}/login?deleted=1`);

    await expectSentToLogin(pageB, "/", b.url);
  } finally {
    await closeContexts(onA, onB);
  }
});

test("an administrator's change on A takes effect on B's next request", async ({ browser }) => {
  const [a, b] = machines;
  const onA = await browser.newContext();
  const onB = await browser.newContext();
  try {
    const pageB = await onB.newPage();
    const user = await signUp(pageB, freshUser("machines-promoted"), b.url);
    await expect(pageB.getByRole("link", { name: "Admin" })).toHaveCount(0);
    expect((await pageB.goto(`${b.url}/admin`))?.status()).toBe(404);
    await pageB.goto("about:blank");

    const pageA = await onA.newPage();
    await signIn(pageA, ADMIN, a.url);
    await pageA.goto(`${a.url}/admin`);
    const row = pageA.getByRole("row").filter({ has: pageA.getByRole("rowheader", { name: user.email, exact: true }) });
    await row.getByRole("button", { name: "Make admin" }).click();
    await expect(pageA.getByRole("status").filter({ hasText: user.email })).toHaveText(
      `${user.email} is now an administrator. Their sessions were ended: the change counts from their next sign-in.`,
    );

    // B's next request: the session that said "not an admin" is gone, with the reason.
    await pageB.goto(`${b.url}/`);
    await expect(pageB).toHaveURL(urlPattern(b.url, "/login"));
    await expect(pageB.getByRole("status")).toHaveText("An administrator signed you out.");
    await signIn(pageB, user, b.url);
    await expect(pageB.getByRole("link", { name: "Admin" })).toBeVisible();
    expect((await pageB.goto(`${b.url}/admin`))?.status()).toBe(200);
  } finally {
    await closeContexts(onA, onB);
  }
});
