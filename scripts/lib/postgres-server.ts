import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { step } from "./log";
import { canInstallWithApt, findProgram } from "./system-packages";
import { waitUntil } from "./wait-until";

// A PostgreSQL server of the tests' (or the bench's) own: a cluster made with
// initdb in a temporary folder, started with pg_ctl on a free loopback port,
// stopped by the PID of its postmaster. Never the system's service. Where the
// binaries are missing, Debian's postgresql package is installed as root; and
// anywhere, TEST_DATABASE_URL points the tests at a PostgreSQL of your own instead.

export type RunningPostgres = {
  /** The postmaster's PID (undefined for a server of TEST_DATABASE_URL, which these tests neither start nor stop). */
  pid: number | undefined;
  /** postgres://user:password@127.0.0.1:port/<name>: a database of this server (created with createDatabase). */
  urlOf: (name: string) => string;
  createDatabase: (name: string) => Promise<void>;
  /** DROP DATABASE … WITH (FORCE): the open connections of the app go with it. */
  dropDatabase: (name: string) => Promise<void>;
  /** Stops the server (it stays stopped until `start`). */
  stop: () => Promise<void>;
  /** Starts it again after `stop`, on the same port and data. */
  start: () => Promise<void>;
  /** Stops it for good and removes its folder. */
  destroy: () => Promise<void>;
};

const NO_POSTGRES =
  "PostgreSQL is not installed. Install it (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql), " +
  "or point the tests at a PostgreSQL of your own: TEST_DATABASE_URL=postgres://user:password@host:5432/postgres npm test " +
  "(a role that may create and drop databases).";

/** The folder of initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/<version>/bin (newest first). */
export function findPostgresBin(): string | undefined {
  const onPath = findProgram("pg_ctl");
  if (onPath && findProgram("initdb")) return join(onPath, "..");
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "pg_ctl"))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], "bin") : undefined;
}

/** The binaries' folder, installing Debian's package as root when they are missing; or a sentence saying what to do. */
export function ensurePostgres(): { bin: string } | { missing: string } {
  const found = findPostgresBin();
  if (found) return { bin: found };
  if (!canInstallWithApt()) return { missing: NO_POSTGRES };
  step("PostgreSQL is missing: installing the Debian package postgresql (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "postgresql"], { stdio: "inherit", env });
  } catch {
    return { missing: `apt-get could not install postgresql. ${NO_POSTGRES}` };
  }
  const installed = findPostgresBin();
  return installed ? { bin: installed } : { missing: NO_POSTGRES };
}

/**
 * TEST_DATABASE_URL's server when it is set, else a server of our own on `port`.
 * The returned handle makes databases on it; every test works in a database of its own.
 */
export async function startPostgresServer(options: { port: number; bin?: string }): Promise<RunningPostgres> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return externalServer(external);
  const ensured = options.bin ? { bin: options.bin } : ensurePostgres();
  if ("missing" in ensured) throw new Error(ensured.missing);
  return ownServer(ensured.bin, options.port);
}

/** initdb refuses to run as root: as root, every PostgreSQL program runs as the postgres user the package made. */
function asServerUser(program: string, args: string[]): { command: string; args: string[] } {
  if (process.getuid?.() !== 0) return { command: program, args };
  return { command: "runuser", args: ["-u", "postgres", "--", program, ...args] };
}

function run(bin: string, program: string, args: string[]): void {
  const { command, args: full } = asServerUser(join(bin, program), args);
  const result = spawnSync(command, full, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${program} failed: ${result.stderr || result.stdout}`);
}

async function ownServer(bin: string, port: number): Promise<RunningPostgres> {
  const dir = mkdtempSync(join(tmpdir(), "nrs-postgres-"));
  const data = join(dir, "data");
  const password = randomBytes(12).toString("hex");
  const user = "app";
  if (process.getuid?.() === 0) {
    const owner = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const group = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, owner, group);
  }
  const passwordFile = join(dir, "password");
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (process.getuid?.() === 0) chownSync(passwordFile, Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()), 0);
  // Password authentication over TCP, as an app's connection would be; no fsync (a test server's data may be lost).
  run(bin, "initdb", ["-D", data, "-U", user, "--pwfile", passwordFile, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"]);
  rmSync(passwordFile);
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const adminUrl = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;

  let pid: number | undefined;
  const start = async (): Promise<void> => {
    run(bin, "pg_ctl", ["-D", data, "-l", join(dir, "postgres.log"), "-o", serverOptions, "-w", "-t", "60", "start"]);
    pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    await waitUntil(`PostgreSQL on port ${port}`, 30_000, () => answers(adminUrl));
  };
  const stop = async (): Promise<void> => {
    if (pid === undefined) return;
    const stopping = pid;
    pid = undefined;
    try {
      process.kill(stopping, "SIGINT"); // "fast" shutdown: ends connections, then exits
    } catch {
      return; // already gone
    }
    await waitUntil(`PostgreSQL (pid ${stopping}) to exit`, 30_000, async () => !isAlive(stopping), 50);
  };
  await start();
  return {
    get pid() {
      return pid;
    },
    urlOf: (name) => `postgres://${user}:${password}@127.0.0.1:${port}/${name}`,
    createDatabase: (name) => admin(adminUrl, `create database ${quote(name)}`),
    dropDatabase: (name) => admin(adminUrl, `drop database if exists ${quote(name)} with (force)`),
    stop,
    start,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A server of TEST_DATABASE_URL: databases are made and dropped on it; it is neither stopped nor started here. */
function externalServer(url: string): RunningPostgres {
  const urlOf = (name: string): string => {
    const parsed = new URL(url);
    parsed.pathname = `/${name}`;
    return parsed.toString();
  };
  const cannot = (what: string) => async (): Promise<void> => {
    throw new Error(`This test ${what}s PostgreSQL, which it cannot do to TEST_DATABASE_URL's server: unset it to let the tests start a server of their own.`);
  };
  return {
    pid: undefined,
    urlOf,
    createDatabase: (name) => admin(url, `create database ${quote(name)}`),
    dropDatabase: (name) => admin(url, `drop database if exists ${quote(name)} with (force)`),
    stop: cannot("stop"),
    start: cannot("start"),
    destroy: async () => undefined,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function quote(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) throw new Error(`not a plain database name: ${identifier}`);
  return `"${identifier}"`;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
