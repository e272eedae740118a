import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page, type Response } from "@playwright/test";
import type { Checker, Outcome, Session } from "./checker";
import type { SoakSettings } from "./settings";
import type { Instance, SeedUser } from "./stack";

// The virtual users. Actions start at a fixed rate (open loop: a slow answer
// does not slow the arrivals down), each on a user that is not busy, so one
// user's actions never overlap and the checker's model of that user stays
// exact: API sign-ins, reads, page views with the cookie, lists, revoke one,
// revoke the others, sign-outs, and sign-ins left to expire. One Chromium runs
// browser journeys meanwhile: sign-up or sign-in through the forms, the devices
// page, a rename, now and then a password change, and a sign-out. A prober
// retries revoked and expired sessions on both instances all along.

const COOKIE = "__Host-session";

export type User = SeedUser & {
  busy: boolean;
  /** An action ended without telling whether the password changed: left alone from then on. */
  retired: boolean;
  /** Ends of sign-ins that got no clear answer: a session may exist, unknown to the model. */
  orphans: number[];
};

type Answer = { outcome: Outcome; status: number; body: unknown; start: number; end: number };

export type Counters = {
  started: number;
  skippedBusy: number;
  journeys: number;
  journeysFailedInFault: number;
  probes: number;
  sweeps: number;
  /** Live streams (GET /api/live) the watcher opened, and the events they carried. */
  streams: number;
  streamEvents: number;
};

/** The pool of virtual users: the seeded ones, then every sign-up; shared by the warm-up and the run (passwords change). */
export function userPool(seed: SeedUser[]): User[] {
  return seed.map((user) => ({ ...user, busy: false, retired: false, orphans: [] }));
}

export function createTraffic(settings: SoakSettings, checker: Checker, instances: [Instance, Instance], users: User[]) {
  for (const user of users) user.orphans = [];
  const abandoned = new Set<string>();
  const counters: Counters = { started: 0, skippedBusy: 0, journeys: 0, journeysFailedInFault: 0, probes: 0, sweeps: 0, streams: 0, streamEvents: 0 };
  const inFlight = new Set<Promise<void>>();
  let running = true;
  const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
  const instanceFor = (): Instance => pick(instances);
  const other = (instance: Instance): Instance => (instance === instances[0] ? instances[1] : instances[0]);

  async function call(instance: Instance, action: string, path: string, init: RequestInit & { page?: boolean } = {}, session?: Session): Promise<Answer> {
    const start = Date.now();
    let status = 0;
    let body: unknown;
    let outcome: Outcome;
    try {
      const response = await fetch(`${instance.url}${path}`, { ...init, redirect: "manual", signal: AbortSignal.timeout(settings.requestTimeoutMs) });
      status = response.status;
      const text = await response.text();
      body = text.startsWith("{") ? JSON.parse(text) : text;
      outcome = classify(status, response.headers.get("location"), init.page === true);
    } catch {
      outcome = "no-answer";
    }
    const end = Date.now();
    checker.judge({ at: start, ms: end - start, action, instance: instance.name, outcome, status }, session);
    return { outcome, status, body, start, end };
  }

  const bearer = (session: Session): Record<string, string> => ({ authorization: `Bearer ${session.token}` });
  const json = { "content-type": "application/json" };

  /** Sessions that may be live (for the cap): the model's not yet dead, and sign-ins that got no clear answer. */
  function possiblyLive(user: User, now: number): number {
    user.orphans = user.orphans.filter((end) => now < end + settings.idleTtlSeconds * 1000 + settings.marginMs);
    return checker.sessionsOf(user.email).filter((s) => s.goneAt === undefined && checker.deadBecause(s, now) === undefined).length + user.orphans.length;
  }

  async function signInApi(user: User, instance: Instance): Promise<Session | undefined> {
    const answer = await call(instance, "api sign-in", "/api/auth/login", { method: "POST", headers: json, body: JSON.stringify({ email: user.email, password: user.password }) });
    const token = (answer.body as { token?: string } | undefined)?.token;
    if (answer.outcome === "ok" && token) return checker.signedIn(token, user.email, "api", answer.start, answer.end);
    if (answer.outcome !== "refused") user.orphans.push(answer.end + settings.requestTimeoutMs);
    else checker.violate("no500", `sign-in of ${user.email} with its known password refused (${answer.status})`, answer.end);
    return undefined;
  }

  /** One action of one user, chosen by the mix. */
  async function act(user: User): Promise<void> {
    const now = Date.now();
    const held = checker.sessionsOf(user.email).filter((s) => s.via === "api" && !abandoned.has(s.id) && checker.mustBeLive(s, now));
    const roomForOne = possiblyLive(user, now) < settings.maxSessionsPerUser;
    const instance = instanceFor();
    if (held.length === 0) {
      if (roomForOne) await signInApi(user, instance);
      return;
    }
    const session = pick(held);
    const roll = Math.random();
    if (roll < 0.28) {
      await call(instance, "api read", "/api/me", { headers: bearer(session) }, session);
    } else if (roll < 0.56) {
      await call(instance, "page view", "/devices", { headers: { cookie: `${COOKIE}=${session.token}` }, page: true }, session);
    } else if (roll < 0.68) {
      const answer = await call(instance, "api list", "/api/sessions", { headers: bearer(session) }, session);
      const listed = (answer.body as { sessions?: { id: string }[] } | undefined)?.sessions;
      if (answer.outcome === "ok" && listed) checker.judgeList(user.email, new Set(listed.map((s) => s.id)), answer.start, answer.end);
    } else if (roll < 0.78 || (roll < 0.87 && held.length < 2)) {
      if (roomForOne) await signInApi(user, instance);
    } else if (roll < 0.82) {
      const target = pick(held.filter((s) => s !== session));
      checker.revoking([target]);
      const answer = await call(instance, "api revoke one", `/api/sessions/${target.id}`, { method: "DELETE", headers: bearer(session) }, session);
      if (answer.status === 204) {
        checker.revoked([target], answer.end);
        await call(other(instance), "revoked probe", "/api/me", { headers: bearer(target) }, target);
      }
    } else if (roll < 0.87) {
      const others = checker.sessionsOf(user.email).filter((s) => s !== session && s.revokedAt === undefined && s.goneAt === undefined);
      checker.revoking(others);
      const answer = await call(instance, "api revoke others", "/api/sessions", { method: "DELETE", headers: bearer(session) }, session);
      if (answer.status === 204) {
        checker.revoked(others, answer.end);
        if (others.length > 0) await call(other(instance), "revoked probe", "/api/me", { headers: bearer(others[0]) }, others[0]);
      }
    } else if (roll < 0.95) {
      checker.revoking([session]);
      const answer = await call(instance, "api sign-out", "/api/auth/logout", { method: "POST", headers: bearer(session) }, session);
      if (answer.status === 204) {
        checker.revoked([session], answer.end);
        await call(other(instance), "revoked probe", "/api/me", { headers: bearer(session) }, session);
      }
    } else if (roomForOne) {
      // Signed in and never used again: the idle timeout must end it (the prober checks).
      const left = await signInApi(user, instance);
      if (left) abandoned.add(left.id);
    }
  }

  /** Starts `rate` actions a second until stopped; an arrival with no free user is counted, not queued. */
  async function driveApi(): Promise<void> {
    const interval = 1000 / settings.rate;
    let next = Date.now();
    while (running) {
      next += interval;
      const free = users.filter((user) => !user.busy && !user.retired);
      if (free.length === 0) counters.skippedBusy++;
      else {
        const user = pick(free);
        user.busy = true;
        counters.started++;
        const work = act(user)
          .catch((error: unknown) => checker.violate("no500", `the soak's own action failed: ${String(error)}`))
          .finally(() => {
            user.busy = false;
            inFlight.delete(work);
          });
        inFlight.add(work);
      }
      await sleep(Math.max(0, next - Date.now()));
    }
  }

  /** Retries revoked and expired sessions, each a few times over the run, on either instance. */
  async function probe(): Promise<void> {
    const tries = new Map<string, number>();
    while (running) {
      await sleep(250);
      const now = Date.now();
      const candidates = [...checker.sessions.values()].filter(
        (s) => (tries.get(s.id) ?? 0) < 3 && (s.revokedAt !== undefined ? now > s.revokedAt + 1000 * (tries.get(s.id) ?? 0) : checker.deadBecause(s, now) === "expired" && s.goneAt === undefined),
      );
      if (candidates.length === 0) continue;
      const target = pick(candidates);
      tries.set(target.id, (tries.get(target.id) ?? 0) + 1);
      counters.probes++;
      await call(instanceFor(), target.revokedAt !== undefined ? "revoked probe" : "expired probe", "/api/me", { headers: bearer(target) }, target);
    }
  }

  /** After a fault: every session that must be live is asked for once (a failover must lose none), and revoked ones retried. */
  async function sweep(note: (line: string) => void): Promise<void> {
    counters.sweeps++;
    const now = Date.now();
    const live = [...checker.sessions.values()].filter((s) => checker.mustBeLive(s, now) && s.via === "api").slice(-300);
    const revoked = [...checker.sessions.values()].filter((s) => s.revokedAt !== undefined).slice(-100);
    const results = { ok: 0, refused: 0, other: 0 };
    for (const batch of chunks([...live, ...revoked], 10)) {
      const answers = await Promise.all(batch.map((s) => call(instanceFor(), s.revokedAt !== undefined ? "revoked probe" : "live probe", "/api/me", { headers: bearer(s) }, s)));
      for (const answer of answers) results[answer.outcome === "ok" ? "ok" : answer.outcome === "refused" ? "refused" : "other"]++;
    }
    note(`after it: ${live.length} sessions that had to be live and ${revoked.length} revoked ones asked for — ${results.ok} accepted, ${results.refused} refused, ${results.other} with no clear answer`);
  }

  /**
   * The watcher: a user of its own holds a live stream open on each instance, so
   * that the app always has pub/sub subscriptions for CLIENT KILL to cut, and signs
   * in and out every few seconds, which its streams are told of. A stream that
   * ends (its session's end, an instance's restart) is opened again.
   */
  async function watch(watcher: User): Promise<void> {
    const streams = instances.map(async (instance) => {
      while (running) {
        const session = await signInApi(watcher, instance);
        if (!session) {
          await sleep(1000);
          continue;
        }
        counters.streams++;
        const start = Date.now();
        try {
          const response = await fetch(`${instance.url}/api/live`, { headers: bearer(session), signal: AbortSignal.timeout(settings.idleTtlSeconds * 500) });
          checker.judge({ at: start, ms: Date.now() - start, action: "live stream open", instance: instance.name, outcome: classify(response.status, null, false), status: response.status }, session);
          const reader = response.body?.getReader();
          const decoder = new TextDecoder();
          for (;;) {
            const chunk = await reader?.read();
            if (!chunk || chunk.done) break;
            counters.streamEvents += (decoder.decode(chunk.value).match(/^event: /gm) ?? []).length;
          }
        } catch {
          // the stream's time is up (it is reopened on a new session), or the instance went away
        }
        checker.revoking([session]);
        const answer = await call(instance, "api sign-out", "/api/auth/logout", { method: "POST", headers: bearer(session) }, session);
        if (answer.status === 204) checker.revoked([session], answer.end);
      }
    });
    await Promise.all(streams);
  }

  async function browse(browser: Browser): Promise<void> {
    let n = 0;
    while (running) {
      n++;
      const instance = instances[n % 2];
      const signUp = n % 3 === 1;
      const user: User | undefined = signUp
        ? { email: `soak-${n}-${randomBytes(3).toString("hex")}@example.com`, password: `pw-${randomBytes(8).toString("hex")}`, busy: true, retired: false, orphans: [] }
        : pick(users.filter((u) => !u.busy && !u.retired && possiblyLive(u, Date.now()) < settings.maxSessionsPerUser));
      if (!user) {
        await sleep(500);
        continue;
      }
      user.busy = true;
      try {
        // A sign-up that did not get as far as "Signed in as" may or may not have made the account: left out of the pool.
        if ((await journey(browser, instance, user, signUp)) && signUp) users.push(user);
      } finally {
        user.busy = false;
      }
      await sleep(300);
    }
  }

  /**
   * Sign-up or sign-in, the devices page, a rename, sometimes a password change, a
   * sign-out; each answer judged. True once signed in (for a sign-up: the account exists).
   */
  async function journey(browser: Browser, instance: Instance, user: User, signUp: boolean): Promise<boolean> {
    counters.journeys++;
    const context = await browser.newContext({ baseURL: instance.url });
    const page = await context.newPage();
    page.setDefaultTimeout(settings.requestTimeoutMs * 2);
    let session: Session | undefined;
    const judgePage = (response: Response): void => {
      const status = response.status();
      if (status < 500 || !response.url().startsWith(instance.url)) return;
      const outcome: Outcome = status === 503 ? "unavailable" : "server-error";
      checker.judge({ at: Date.now(), ms: 0, action: `browser ${new URL(response.url()).pathname}`, instance: instance.name, outcome, status });
    };
    page.on("response", judgePage);
    let step = "start";
    const stepStart = { at: Date.now() };
    const done = (): void => {
      const now = Date.now();
      checker.requests.push({ at: stepStart.at, ms: now - stepStart.at, action: `browser ${step}`, instance: instance.name, outcome: "ok", status: 200 });
      if (session) {
        session.lastAcceptedStart = Math.max(session.lastAcceptedStart, stepStart.at);
        session.lastTouchedEnd = Math.max(session.lastTouchedEnd, now);
      }
      stepStart.at = now;
    };
    try {
      step = signUp ? "sign-up" : "sign-in";
      await page.goto(signUp ? "/signup" : "/login");
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(user.password);
      const clicked = Date.now();
      await page.getByRole("button", { name: signUp ? "Create account" : "Sign in" }).click();
      await page.getByText(`Signed in as ${user.email}`).waitFor();
      session = checker.signedIn(await cookieOf(page), user.email, "browser", clicked, Date.now());
      // While its page is open, the page re-checks the session by itself (the live stream, the idle warning).
      session.lastTouchedEnd = Number.POSITIVE_INFINITY;
      done();

      step = "devices and rename";
      await page.goto("/devices");
      const mine = page.getByRole("list", { name: "Active sessions" }).getByRole("listitem").filter({ hasText: "This device" });
      await mine.getByText("Rename").click();
      await mine.getByRole("textbox", { name: "Device name" }).fill(`Soak ${randomBytes(2).toString("hex")}`);
      await mine.getByRole("button", { name: "Save" }).click();
      await page.getByRole("status").filter({ hasText: "Device renamed." }).waitFor();
      done();

      if (!signUp && Math.random() < 0.35) {
        step = "password change";
        const before = checker.sessionsOf(user.email).filter((s) => s.revokedAt === undefined && s.goneAt === undefined);
        checker.revoking(before);
        const password = `pw-${randomBytes(8).toString("hex")}`;
        await page.goto("/settings");
        await page.getByLabel("Current password").fill(user.password);
        await page.getByLabel("New password").fill(password);
        user.retired = true; // until the answer says which password holds
        await page.getByRole("button", { name: "Change password" }).click();
        await page.getByRole("status").filter({ hasText: "Password changed." }).waitFor();
        checker.revoked(before, Date.now());
        user.password = password;
        user.retired = false;
        session = checker.signedIn(await cookieOf(page), user.email, "browser", stepStart.at, Date.now());
        session.lastTouchedEnd = Number.POSITIVE_INFINITY;
        done();
      }

      step = "sign-out";
      checker.revoking([session]);
      await page.goto("/");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL((url) => url.pathname === "/login" && url.searchParams.get("signedOut") === "1");
      checker.revoked([session], Date.now());
      done();
      await call(other(instance), "revoked probe", "/api/me", { headers: bearer(session) }, session);
      return true;
    } catch (error) {
      const now = Date.now();
      if (session) checker.revoking([session]); // its state is unknown now
      const why = `browser ${step} on ${instance.name} cut short: ${String(error).split("\n")[0]}`;
      const fault = checker.coveringFault(stepStart.at, now, instance.name);
      if (fault) {
        counters.journeysFailedInFault++;
        fault.notes.push(why);
      } else checker.violate("no500", `${why}, outside any fault`, now);
      return session !== undefined;
    } finally {
      await context.close().catch(() => undefined);
      // Its page is closed: from now on nothing slides the session.
      if (session) session.lastTouchedEnd = Date.now();
    }
  }

  /** At the end, the traffic stopped: every user with a live session lists its sessions once; returns how many lists were compared. */
  async function finalLists(): Promise<number> {
    let compared = 0;
    for (const user of users) {
      const now = Date.now();
      const live = checker.sessionsOf(user.email).find((s) => checker.mustBeLive(s, now));
      if (!live) continue;
      const answer = await call(instanceFor(), "api list (end)", "/api/sessions", { headers: bearer(live) }, live);
      const listed = (answer.body as { sessions?: { id: string }[] } | undefined)?.sessions;
      if (answer.outcome === "ok" && listed) {
        checker.judgeList(user.email, new Set(listed.map((s) => s.id)), answer.start, answer.end);
        compared++;
      }
    }
    return compared;
  }

  /** Signs out every session the model may still hold (the warm-up's end: nothing of it is left for its TTLs). */
  async function signOutAll(): Promise<void> {
    const left = [...checker.sessions.values()].filter((s) => s.revokedAt === undefined && s.goneAt === undefined);
    for (const batch of chunks(left, 10)) {
      await Promise.all(batch.map((s) => call(instanceFor(), "warm-up sign-out", "/api/auth/logout", { method: "POST", headers: bearer(s) }, s)));
    }
  }

  return {
    users,
    counters,
    sweep,
    finalLists,
    signOutAll,
    /** Runs the virtual users, the watcher and the browser journeys until `stop`. */
    start(watcher: User, browser: Browser): () => Promise<void> {
      const loops = [driveApi(), probe(), browse(browser), watch(watcher)];
      return async () => {
        running = false;
        await Promise.allSettled(loops);
        await Promise.allSettled([...inFlight]);
      };
    },
  };
}

function classify(status: number, location: string | null, page: boolean): Outcome {
  if (status === 503) return "unavailable";
  if (status >= 500) return "server-error";
  if (page && status >= 300 && status < 400) return location?.includes("/login") ? "refused" : "unexpected";
  if (status >= 200 && status < 300) return "ok";
  if (status === 401) return "refused";
  return "unexpected";
}

async function cookieOf(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === COOKIE);
  if (!cookie) throw new Error(`no ${COOKIE} cookie after signing in`);
  return cookie.value;
}

/** Playwright's Chromium where it is installed, else the system's (CHROMIUM_PATH, or Debian's). Launched once, before the warm-up: its start is the soak's own cost, not the app's. */
export function launchBrowser(): Promise<Browser> {
  const executablePath = existsSync(chromium.executablePath()) ? undefined : (process.env.CHROMIUM_PATH ?? "/usr/bin/chromium");
  return chromium.launch({ executablePath });
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
