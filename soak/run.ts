import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fail, step } from "../scripts/lib/log";
import { buildIsStale, buildProductionBundle } from "../scripts/lib/next-build";
import { ensurePostgres } from "../scripts/lib/postgres-server";
import { ensureProgram } from "../scripts/lib/system-packages";
import { createChecker, INVARIANTS, type Checker, type InvariantName } from "./checker";
import { askRedis, askRedisText } from "../scripts/lib/redis-ask";
import { auditKeys, createFaults, currentMasters, sampleMemory, type MemorySample } from "./faults";
import { readmeQuote, soakMarkdown, soakSvg, type SoakResult, type Verdict } from "./report";
import { soakSettings, type SoakSettings } from "./settings";
import { startStack, type Instance, type Stack } from "./stack";
import type { Browser } from "@playwright/test";
import { CHALLENGE_TTL_MS } from "../lib/session";
import { createTraffic, launchBrowser, sleep, userPool, type User } from "./traffic";

// `npm run soak`: two app instances on a Redis Cluster and PostgreSQL, a steady
// mix of virtual users for --minutes (default 10) at --rate actions/s, faults on a
// schedule, an independent checker judging every answer, then a drain while the
// TTLs run out and the end checks. Writes docs/soak.md and docs/soak.svg, and the
// README's quote of the run; `--short` is the one-minute version `npm test` runs
// (its report goes to --out). Exits 1 when an invariant broke.

const README_START = "<!-- soak:start -->";
const README_END = "<!-- soak:end -->";
/**
 * What Redis may keep of a run once every key is gone, over the six nodes: the
 * hash tables and the pub/sub table at their high-water mark, the Lua scripts
 * first used after the warm-up, the allocator's rounding. A leak of keys or
 * channels is caught exactly by the counts; this bounds everything else.
 */
const STRUCTURES_SLACK_BYTES = 1024 * 1024;

async function main(): Promise<boolean> {
  const settings = soakSettings(process.argv.slice(2));
  const need = (found: { path: string } | { missing: string }): string => ("missing" in found ? fail(found.missing) : found.path);
  const redisBinary = process.env.REDIS_SERVER_BIN ?? need(ensureProgram("redis-server", "redis-server"));
  const postgres = ensurePostgres();
  if ("missing" in postgres) fail(postgres.missing);
  if (buildIsStale()) {
    step("next build (the production bundle is missing or older than the code)…");
    if (!buildProductionBundle()) fail("next build failed; see the errors above");
  }

  const work = join(process.cwd(), ".test-runs", settings.short ? "soak-short" : "soak");
  rmSync(work, { recursive: true, force: true });
  const seed = Array.from({ length: settings.users }, (_, i) => ({ email: `soak-seed-${i}@example.com`, password: `pw-${randomBytes(8).toString("hex")}` }));
  step(`Soak: starting a Redis Cluster (3 + 3), PostgreSQL and two app instances in ${work}…`);
  const stack = await startStack(settings, work, redisBinary, postgres.bin, seed);
  // Ctrl-C: every process of the run is stopped before exiting, none left behind.
  process.once("SIGINT", () => {
    step("Soak: interrupted; stopping every process it started…");
    void stack.stop().finally(() => process.exit(130));
  });
  try {
    return await soak(settings, stack, seed, work);
  } finally {
    step("Soak: stopping every process it started…");
    await stack.stop();
  }
}

/** Every master's INFO memory, kept beside the app logs for whoever wants to know where the bytes went. */
async function dumpMemory(stack: Stack, work: string, phase: string): Promise<void> {
  for (const port of await currentMasters(stack).catch((): number[] => [])) {
    const info = await askRedisText(port, "INFO", "memory").catch(() => "");
    const stats = await askRedis(port, "MEMORY", "STATS").catch(() => []);
    writeFileSync(join(work, `memory-${phase}-${port}.txt`), `${info}\n# MEMORY STATS\n${JSON.stringify(stats)}\n`);
  }
}

/**
 * The slow log keeps the last 128 commands over 10 ms with their arguments (a few
 * hundred KB): a bounded diagnostic buffer, not data the app left behind, and
 * a loaded 2-core machine fills it. Emptied before the baseline and before the
 * final sample, so that the memory verdict measures what the app stores.
 */
async function clearSlowLogs(stack: Stack): Promise<number> {
  let entries = 0;
  for (const seed of stack.cluster.seeds) {
    const port = Number(seed.split(":").pop());
    entries += Number(await askRedis(port, "SLOWLOG", "LEN").catch(() => 0));
    await askRedis(port, "SLOWLOG", "RESET").catch(() => undefined);
  }
  return entries;
}

/**
 * The same traffic for a short while, then every session signed out and the
 * retention TTLs waited out, before the baseline: Redis' hash tables, script
 * cache, pub/sub tables and replication buffers grow to their working size on
 * first use and keep it. Measured after a warm-up, the baseline holds them, so
 * what the end compares is what the run itself left behind.
 */
async function warmUp(settings: SoakSettings, stack: Stack, users: User[], watcher: User, browser: Browser): Promise<void> {
  step(`Soak: warming up for ${settings.warmupMs / 1000} s (the same traffic, no faults), then signing every session out…`);
  const checker = createChecker(settings, Date.now());
  const traffic = createTraffic(settings, checker, stack.instances, users);
  const stop = traffic.start(watcher, browser);
  await sleep(settings.warmupMs);
  await stop();
  await traffic.signOutAll();
  if (checker.violations.length > 0) step(`Soak: the warm-up saw ${checker.violations.length} problems (not judged): ${checker.violations[0].detail}`);
  const limit = Date.now() + (Math.max(settings.retentionSeconds, CHALLENGE_TTL_MS / 1000) + settings.idleTtlSeconds + 20) * 1000;
  while (Date.now() < limit) {
    const sample = await sampleMemory(stack);
    if (sample?.keys === 0) return;
    await sleep(1000);
  }
}

async function soak(settings: SoakSettings, stack: Stack, seed: { email: string; password: string }[], work: string): Promise<boolean> {
  // The first seeded user is the watcher (live streams); the others are the virtual users.
  const [watcher, ...users] = userPool(seed);
  const browser = await launchBrowser();
  try {
    return await judgedRun(settings, stack, users, watcher, browser, work);
  } finally {
    await browser.close();
  }
}

async function judgedRun(settings: SoakSettings, stack: Stack, users: User[], watcher: User, browser: Browser, work: string): Promise<boolean> {
  await warmUp(settings, stack, users, watcher, browser);
  await clearSlowLogs(stack);
  const baseline = await until(() => sampleMemory(stack));
  await dumpMemory(stack, work, "baseline");
  const memory: MemorySample[] = [baseline];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sleep(settings.processStatsSeconds * 1000);
      const sample = await sampleMemory(stack);
      if (sample) memory.push(sample);
    }
  })();

  const startedAt = Date.now();
  const checker = createChecker(settings, startedAt);
  const traffic = createTraffic(settings, checker, stack.instances, users);
  const faults = createFaults(settings, checker, stack, traffic.sweep);
  const trafficEnds = startedAt + settings.minutes * 60_000;
  step(`Soak: ${settings.minutes} min of traffic at ${settings.rate} actions/s, faults from ${settings.firstFaultMs / 1000} s on, every ${settings.faultEveryMs / 1000} s…`);
  const stopTraffic = traffic.start(watcher, browser);
  const progress = setInterval(() => {
    const done = Math.round((Date.now() - startedAt) / 1000);
    step(`Soak: ${done} s, ${checker.requests.length} requests judged, ${checker.faults.length} faults, ${checker.violations.length} violations`);
  }, 30_000);
  await faults.run(startedAt, () => trafficEnds);
  await sleep(Math.max(0, trafficEnds - Date.now()));
  await stopTraffic();
  clearInterval(progress);
  const trafficEndedAt = Date.now();

  step("Soak: traffic stopped; every user's list against the model, and the keys against each other…");
  const listsCompared = await traffic.finalLists();
  const audit = await auditKeys(stack, settings.maxSessionsPerUser);

  // A browser's sign-in also leaves a device-binding challenge (a minute): the soak's Chromium has no DBSC, so none is taken.
  const drainLimitMs = (Math.max(settings.absoluteTtlSeconds, settings.retentionSeconds, CHALLENGE_TTL_MS / 1000) + 20) * 1000;
  step(`Soak: draining — waiting up to ${drainLimitMs / 1000} s for every key to expire (baseline: ${baseline.keys} keys)…`);
  const drainStart = Date.now();
  let last = memory.at(-1) ?? baseline;
  while (Date.now() - drainStart < drainLimitMs) {
    const sample = await sampleMemory(stack);
    if (sample) last = sample;
    if (sample && sample.keys <= baseline.keys) break;
    await sleep(1000);
  }
  // Keys gone: the slow log emptied, and a few seconds for Redis' cron to shrink the emptied hash tables.
  const slowLogEntries = await clearSlowLogs(stack);
  const settleStart = Date.now();
  while (last.keys <= baseline.keys && last.structures > baseline.structures + STRUCTURES_SLACK_BYTES && Date.now() - settleStart < 15_000) {
    await sleep(1000);
    last = (await sampleMemory(stack)) ?? last;
  }
  memory.push(last);
  await dumpMemory(stack, work, "end");
  sampling = false;
  await sampler;

  const verdicts = judge(settings, checker, { baseline, last, audit, listsCompared, instances: stack.instances, slowLogEntries });
  const result: SoakResult = { settings, startedAt, trafficEndedAt, checker, counters: traffic.counters, memory, instances: stack.instances, verdicts, drainSeconds: (Date.now() - drainStart) / 1000 };
  write(settings, result);
  for (const verdict of verdicts) step(`${verdict.pass === true ? "held  " : verdict.pass === false ? "BROKEN" : "n/a   "} ${INVARIANTS[verdict.name]} — ${verdict.evidence}`);
  for (const violation of checker.violations.slice(0, 20)) console.error(`  ${checker.seconds(violation.at)}: ${violation.detail}`);
  return verdicts.every((verdict) => verdict.pass !== false);
}

type EndState = {
  baseline: MemorySample;
  last: MemorySample;
  audit: Awaited<ReturnType<typeof auditKeys>>;
  listsCompared: number;
  instances: Instance[];
  slowLogEntries: number;
};

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(2);

function judge(settings: SoakSettings, checker: Checker, end: EndState): Verdict[] {
  const broken = (name: InvariantName): number => checker.violations.filter((v) => v.detail.startsWith(INVARIANTS[name])).length;
  /** Held when nothing broke and it was put to the test at least once. */
  const continuous = (name: InvariantName, what: string): Verdict => {
    const count = broken(name);
    const tested = checker.checks[name];
    if (tested === 0) return { name, pass: false, evidence: `never put to the test (${what})` };
    return { name, pass: count === 0, evidence: count === 0 ? `${tested.toLocaleString("en-US")} ${what}, none broke it` : `${count} violations` };
  };
  const { baseline, last, audit } = end;
  const flat = appFlatness(settings, end.instances);
  return [
    continuous("no500", "answers judged"),
    continuous("unavailableInFaults", "503s or missing answers"),
    continuous("revokedStayRevoked", "requests with a revoked session"),
    continuous("expiredStayExpired", "requests with an expired session"),
    continuous("noLostSignIn", "requests with a session that had to be live"),
    continuous("listIsTrue", "sessions compared with their user's list"),
    {
      name: "indexIsSessions",
      pass: audit.missingFromIndex.length === 0 && broken("listIsTrue") === 0 && end.listsCompared > 0,
      evidence: `${audit.hashes} session hashes at the end, ${audit.missingFromIndex.length} missing from their index${audit.missingFromIndex.length ? ` (${audit.missingFromIndex.slice(0, 5).join(", ")})` : ""}; ${end.listsCompared} users' lists compared with the model`,
    },
    { name: "capHolds", pass: audit.overCap.length === 0, evidence: audit.overCap.length === 0 ? `no user over ${settings.maxSessionsPerUser} sessions or index entries` : audit.overCap.slice(0, 5).join(", ") },
    {
      name: "memoryBack",
      pass: last.keys <= baseline.keys && last.channels <= baseline.channels && last.structures <= baseline.structures + STRUCTURES_SLACK_BYTES,
      evidence:
        `keys ${baseline.keys} before → ${last.keys} after the drain; shard channels ${baseline.channels} → ${last.channels}; ` +
        `memory less replication backlogs and client buffers ${mib(baseline.structures)} → ${mib(last.structures)} MB over six nodes (allowed: + ${mib(STRUCTURES_SLACK_BYTES)} MB); ` +
        `used_memory ${mib(baseline.usedMemory)} → ${mib(last.usedMemory)} MB, dataset ${mib(baseline.dataset)} → ${mib(last.dataset)} MB (not judged); ${end.slowLogEntries} slow-log entries emptied first`,
    },
    { name: "appFlat", ...flat },
  ];
}

/**
 * Flat: in each app process that lived 3 minutes or more, the last third's median
 * RSS is within 20% (+ 16 MB) of the middle third's, and its event-loop p99 within
 * twice (+ 20 ms). The first third is warm-up (the JIT, Next.js' caches). A run
 * under 5 minutes is too short to tell a leak from warm-up: not judged.
 */
function appFlatness(settings: SoakSettings, instances: Instance[]): { pass: boolean | "not judged"; evidence: string } {
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const lines: string[] = [];
  let pass = true;
  for (const instance of instances) {
    for (const pid of new Set(instance.samples.map((s) => s.pid))) {
      const samples = instance.samples.filter((s) => s.pid === pid);
      const span = (samples.at(-1)?.at ?? 0) - (samples[0]?.at ?? 0);
      if (samples.length < 6 || span < 180_000) {
        lines.push(`${instance.name} (pid ${pid}): ${samples.length} samples over ${(span / 1000).toFixed(0)} s`);
        continue;
      }
      const third = Math.floor(samples.length / 3);
      const middle = samples.slice(third, 2 * third);
      const lastThird = samples.slice(2 * third);
      const [rssMid, rssLast] = [median(middle.map((s) => s.rssBytes)), median(lastThird.map((s) => s.rssBytes))];
      const [lagMid, lagLast] = [median(middle.map((s) => s.eventLoopDelayP99Ms)), median(lastThird.map((s) => s.eventLoopDelayP99Ms))];
      const ok = rssLast <= rssMid * 1.2 + 16 * 1024 * 1024 && lagLast <= lagMid * 2 + 20;
      pass &&= ok;
      lines.push(`${instance.name} (pid ${pid}): RSS ${(rssMid / 1048576).toFixed(0)} → ${(rssLast / 1048576).toFixed(0)} MB, event-loop p99 ${lagMid.toFixed(1)} → ${lagLast.toFixed(1)} ms${ok ? "" : " (grew)"}`);
    }
  }
  if (settings.minutes < 5) return { pass: "not judged", evidence: `a run under 5 minutes cannot tell a leak from warm-up; ${lines.join("; ")}` };
  return { pass, evidence: lines.join("; ") };
}

function write(settings: SoakSettings, result: SoakResult): void {
  mkdirSync(settings.out, { recursive: true });
  writeFileSync(join(settings.out, "soak.svg"), soakSvg(result));
  writeFileSync(join(settings.out, "soak.md"), soakMarkdown(result, "soak.svg"));
  step(`Soak: wrote ${join(settings.out, "soak.md")} and soak.svg`);
  // The README quotes the last full run: only a run that writes docs/ rewrites it.
  if (resolve(settings.out) !== resolve("docs") || settings.short) return;
  const readme = readFileSync("README.md", "utf8");
  const from = readme.indexOf(README_START);
  const to = readme.indexOf(README_END);
  if (from < 0 || to < from) return;
  writeFileSync("README.md", `${readme.slice(0, from + README_START.length)}\n${readmeQuote(result)}\n${readme.slice(to)}`);
  step("Soak: the README's quote of the run is updated");
}

async function until<T>(get: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const value = await get();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error("the Cluster did not answer");
}

main()
  .then((ok) => process.exit(ok ? 0 : 1))
  .catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
