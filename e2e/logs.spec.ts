import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import { exited, findFreePort } from "../scripts/lib/redis-server";
import { requiredEnv } from "./support/env";
import { openTrace, tracePanel } from "./support/redis-trace";
import { freshUser, sessionCookie, SESSION_COOKIE } from "./support/users";
import { closeContexts } from "./support/contexts";

// Runs an app server of its own (same Redis and database as the suite) to read
// everything it prints, then walks through sign-in, failures, revocations, a
// rate-limit hit and a password change, and checks what reached the log — and
// what "Redis behind this page" and the API's Server-Timing showed on the way
// (the server runs in demo mode, so the trace is on).

let server: ChildProcess | undefined;
let output = "";
let base = "";

test.beforeAll(async () => {
  const port = await findFreePort();
  base = `http://localhost:${port}`;
  server = spawn(process.execPath, ["--import", "tsx", "server.ts", "--hostname", "127.0.0.1", "--port", String(port)], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      REDIS_URL: requiredEnv("E2E_REDIS_URL"),
      DATABASE_URL: requiredEnv("E2E_DATABASE_URL"),
      LOGIN_MAX_FAILURES_PER_ACCOUNT: "2",
      LOGIN_MAX_FAILURES_PER_IP: "100000",
      SIGNUP_MAX_PER_IP: "100000", // the suite signs up from 127.0.0.1 all along, on this same Redis
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await expect.poll(async () => (await fetch(`${base}/api/health`).catch(() => undefined))?.status, { timeout: 30_000 }).toBe(200);
});

test.afterAll(async () => {
  if (!server) return;
  server.kill("SIGTERM");
  await exited(server);
});

const sha256 = (token: string): string => createHash("sha256").update(token).digest("base64url");

test("sign-ins, failures, revocations and rate limits are logged, tokens, their hashes and passwords never (nor in the Redis trace)", async ({ browser, request }) => {
  const secrets: string[] = [];
  // Everything the Redis trace showed: each page's panel, each API answer's Server-Timing.
  const shown: string[] = [];
  // Opened, so its rows are fetched and shown.
  const showPanel = async (): Promise<void> => {
    await openTrace(page);
    shown.push(await tracePanel(page).innerHTML());
  };
  const keep = (token: string): void => void secrets.push(token, sha256(token));
  const user = freshUser("logs");
  secrets.push(user.password, "a-new-logged-password");

  // In the browser: sign up, a failed and a good sign-in, a password change, a revocation.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/signup`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(`Signed in as ${user.email}`)).toBeVisible();
  keep((await sessionCookie(context))!.value);
  await showPanel();

  const api = async (path: string, init: Parameters<typeof request.fetch>[1] = {}) => {
    const response = await request.fetch(`${base}${path}`, init);
    shown.push(response.headers()["server-timing"] ?? "");
    return response;
  };
  const login = async (password: string) => api("/api/auth/login", { method: "POST", data: { email: user.email, password } });
  expect((await login("wrong-password")).status()).toBe(401);
  const first = await (await login(user.password)).json();
  const second = await (await login(user.password)).json();
  keep(first.token);
  keep(second.token);
  const secondId = (await (await api("/api/me", { headers: { authorization: `Bearer ${second.token}` } })).json()).session.id;
  expect((await api(`/api/sessions/${secondId}`, { method: "DELETE", headers: { authorization: `Bearer ${first.token}` } })).status()).toBe(204);

  await page.goto(`${base}/settings`);
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill("a-new-logged-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Password changed. Signed out 1 other device.");
  keep((await sessionCookie(context))!.value);
  await showPanel();
  await page.goto(`${base}/devices`);
  await showPanel();
  await page.goto(`${base}/`);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${base}/login?signedOut=1`);
  await showPanel();
  await closeContexts(context);

  for (let i = 0; i < 3; i++) await login("wrong-again");
  expect((await login("wrong-again")).status()).toBe(429);

  const sqlite = new Database(requiredEnv("E2E_DATABASE_URL"), { readonly: true });
  const { password_hash } = sqlite.prepare("select password_hash from users where email = ?").get(user.email) as { password_hash: string };
  sqlite.close();
  secrets.push(password_hash);

  await expect.poll(() => output).toContain('"event":"sign_out"');
  const events = output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { event: string });
  const seen = new Set(events.map((e) => e.event));
  for (const event of ["sign_up", "sign_in", "sign_in_failed", "sign_in_rate_limited", "session_revoked", "password_changed", "sign_out"]) {
    expect(seen, `a "${event}" line`).toContain(event);
  }
  for (const secret of secrets) expect(output, "a secret in the log").not.toContain(secret);
  // The trace was there all along (so this checks something), and showed no secret.
  expect(shown.filter((text) => text.includes("EVALSHA")).length).toBeGreaterThanOrEqual(9);
  for (const secret of secrets) expect(shown.join("\n"), "a secret in the Redis trace").not.toContain(secret);
  expect(output).not.toContain(SESSION_COOKIE + "=");
});
