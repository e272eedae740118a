import type { Redis } from "ioredis";
import { step } from "../scripts/lib/log";
import { createSessions, productStore } from "./fixtures";
import { fullScan, measureListing } from "./listing";
import { measureMemory, type MemoryResults } from "./memory";
import type { BenchOptions } from "./options";
import type { BenchResults, ListingFigures } from "./results";
import { summarize } from "./stats";

// Benchmarks 3 and 4 share one data set: one user with a few sessions, listed on
// an otherwise empty Redis; then many other users' sessions are created (which is
// what the memory figure measures) and the same user is listed again.

const LISTED_USER_ID = 42;

export async function runListingAndMemory(
  redisUrl: string,
  admin: Redis,
  options: BenchOptions,
): Promise<{ listing: BenchResults["listing"]; memory: MemoryResults }> {
  const { iterations, ownSessions, otherSessions, sessionsPerUser, scanLoops } = options.listing;
  const product = productStore(redisUrl);
  try {
    await createSessions(product.store, { count: ownSessions, perUser: ownSessions, firstUserId: LISTED_USER_ID });

    const listingFigures = async (others: number): Promise<ListingFigures> => {
      const runs = [];
      for (let rep = 0; rep < options.repetitions; rep++) {
        step(`listing with ${others.toLocaleString("en-US")} other sessions, run ${rep + 1}/${options.repetitions} (${iterations} calls)…`);
        runs.push(await measureListing(product.store, LISTED_USER_ID, ownSessions, iterations));
      }
      return {
        otherSessions: others,
        p50Ms: summarize(runs.map((run) => run.p50Ms)),
        p99Ms: summarize(runs.map((run) => run.p99Ms)),
        meanMs: summarize(runs.map((run) => run.meanMs)),
      };
    };
    const withoutOthers = await listingFigures(0);

    step(`memory: creating ${otherSessions.toLocaleString("en-US")} sessions with createSession(), ${sessionsPerUser} per user…`);
    // User ids of seven digits, as a site with this many sessions would have.
    const memory = await measureMemory(admin, product.store, { count: otherSessions, perUser: sessionsPerUser, firstUserId: 1_000_000 });
    const withOthers = await listingFigures(otherSessions);

    step(`listing: ${scanLoops} full SCAN loops over the same keys, for contrast…`);
    const scans = [];
    for (let i = 0; i < scanLoops; i++) scans.push(await fullScan(admin));
    const expectedKeys = otherSessions + ownSessions;
    if (scans.some((scan) => scan.keysMatched < expectedKeys)) throw new Error(`SCAN found fewer than the ${expectedKeys} session keys`);
    return {
      listing: {
        userSessions: ownSessions,
        withoutOthers,
        withOthers,
        fullScan: { ms: summarize(scans.map((scan) => scan.ms)), calls: scans[0].calls, keysMatched: scans[0].keysMatched },
      },
      memory,
    };
  } finally {
    await product.client.quit();
  }
}
