import type { World } from "./fuzz-model";
import type { Rng } from "./fuzz-rng";
import { fuzzValue, unknownToken, type Family } from "./fuzz-values";

// Fuzzed sign-in credentials (an email, a password), for the form and JSON sign-in cases.

export function fuzzEmail(rng: Rng, world: World, family: Family): unknown {
  const choice = rng.weighted({ value: 40, shaped: 18, victim: 10, local: 15, wrongType: 10, realToken: 7 });
  switch (choice) {
    case "value":
      return fuzzValue(family === "real-token" ? "unknown-token" : family, rng, world.secrets);
    case "shaped":
      return `fz-${rng.bytes(6).toString("hex")}@fuzz.example`;
    case "victim":
      return rng.chance(0.5) ? world.victimEmail : ` ${world.victimEmail.toUpperCase()} `;
    case "local":
      return `${fuzzValue(family === "real-token" ? "glob" : family, rng, world.secrets).slice(0, 64)}@fuzz.example`;
    case "wrongType":
      return wrongType(rng);
    default:
      return rng.pick(world.secrets.realTokens.length ? world.secrets.realTokens : [unknownToken(rng)]);
  }
}

export function fuzzPassword(rng: Rng, world: World, family: Family): unknown {
  const choice = rng.weighted({ value: 55, realToken: 10, sessionId: 5, long: 10, wrongType: 10, empty: 5, plain: 5 });
  switch (choice) {
    case "value":
      return fuzzValue(family, rng, world.secrets);
    case "realToken":
      return rng.pick(world.secrets.realTokens.length ? world.secrets.realTokens : [unknownToken(rng)]);
    case "sessionId":
      return rng.pick(world.secrets.sessionIds.length ? world.secrets.sessionIds : [unknownToken(rng)]);
    case "long":
      return "p".repeat(rng.pick([1023, 1024, 1025, 4000]));
    case "wrongType":
      return wrongType(rng);
    case "empty":
      return "";
    default:
      return "correct horse battery staple";
  }
}

function wrongType(rng: Rng): unknown {
  return rng.pick<() => unknown>([
    () => 42,
    () => -0,
    () => 1e308,
    () => true,
    () => null,
    () => [],
    () => ["a@b.example"],
    () => ({}),
    () => ({ $ne: null }),
    () => ({ $gt: "" }),
    () => ({ toString: "x" }),
    () => ({ length: 1e9 }),
    () => [[[[[]]]]],
  ])();
}
