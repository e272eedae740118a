import type { Command } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { confirmPassword } from "../../lib/account/confirm";
import { changePassword } from "../../lib/account/password-change";
import { signInWithPassword, startSession } from "../../lib/account/sign-in";
import { signUpWithPassword } from "../../lib/account/sign-up";
import { deleteAccount, setAdminFlag } from "../../lib/account/user-changes";
import type { Runtime } from "../../lib/runtime";
import { guarded } from "../../lib/redis/client";
import { bindingIdentifier, ownerOf, SCRIPTS, sessionUser, type BindingOutcome, type ScriptName, type SignedIn } from "../../lib/session";
import { deviceKey } from "../support/device-key";
import { testRuntime } from "../support/runtime";
import { COMMAND_STEPS, commandPurpose, commandsTable, kindOfKey, type CommandStep, type StepId } from "../../teaching/commands";
import { inspectUserKeys } from "../../teaching/key-inspector/read";
import { scriptBySha, scriptBySource } from "../../teaching/trace/scripts";
import { docsDrift } from "../../scripts/docs";

// The one list of "which commands does each step send" (teaching/commands.ts)
// against the commands the app's own code sends: each step is performed with the
// functions the pages, actions and route handlers call, on a real Redis and a
// real users database, with an observer on the app's Redis client (the hook the
// teaching layer attaches through). A step that sends something the list does
// not say, leaves out something it says, sends them in another order, or takes
// another number of round trips fails here; so does a docs table that is not what
// the list makes now.

type Sent = { name: string; batch: number };

const CLIENT = { ip: "203.0.113.40", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0" };
const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "staple battery horse correct";

let rt: Runtime;
let recording: Sent[] | undefined;
let batch = 0;
let answered = true;

/**
 * The observer: each command by its script's name (EVALSHA) or as `COMMAND kind`.
 * Commands sent before any reply to the round trip's first ones came back are
 * one round trip (a pipeline, or calls awaited together); a command sent after a
 * reply starts the next.
 */
function observe(command: Command): void {
  if (!recording) return;
  if (answered) {
    batch++;
    answered = false;
  }
  const replied = (): void => {
    answered = true;
  };
  command.promise.then(replied, replied);
  const name = command.name.toUpperCase();
  const first = command.args[0];
  const script = typeof first !== "string" ? undefined : name === "EVALSHA" ? scriptBySha(first) : name === "EVAL" ? scriptBySource(first) : undefined;
  const keys = command.getKeys().map(String);
  const kind = kindOfKey(keys[0] ?? (typeof first === "string" ? first : undefined));
  recording.push({ name: script ? `script ${script.name}` : `${name === "SPUBLISH" ? "PUBLISH" : name} ${kind ?? "?"}`, batch });
}

async function sentBy(action: () => Promise<unknown>): Promise<{ sends: string[]; roundTrips: number }> {
  recording = [];
  answered = true;
  await action();
  const sent = recording;
  recording = undefined;
  const sends: string[] = [];
  for (const { name } of sent) if (sends.at(-1) !== name && !sends.includes(name)) sends.push(name);
  return { sends, roundTrips: new Set(sent.map((entry) => entry.batch)).size };
}

const nameOf = (send: CommandStep["sends"][number]): string => ("script" in send ? `script ${send.script}` : `${send.command} ${send.key}`);

function expectStep(id: StepId, observed: { sends: string[]; roundTrips: number }): void {
  const step = COMMAND_STEPS.find((candidate) => candidate.id === id) as CommandStep;
  // Sends marked `when` happen only in some cases: absent ones are left out of the comparison.
  const listed = step.sends.filter((send) => !send.when || observed.sends.includes(nameOf(send))).map(nameOf);
  const seen = `sent: ${observed.sends.join(", ")} in ${observed.roundTrips} round trips`;
  expect(observed.sends, `the commands of "${step.title}" (teaching/commands.ts); ${seen}`).toEqual(listed);
  expect(observed.roundTrips, `the round trips of "${step.title}"; ${seen}`).toBe(step.roundTrips);
}

let email: string;
let signedIn: SignedIn;
let token: string;

async function signedInAs(sessionToken: string): Promise<SignedIn> {
  const validation = await rt.sessions.validateSession(sessionToken);
  if (validation.status !== "valid") throw new Error("the session should be valid");
  return { session: validation.session, user: sessionUser(validation.session) };
}

beforeAll(async () => {
  rt = await testRuntime({ SESSION_MAX_PER_USER: "3" }, [observe]);
  // Loaded beforehand, so that no step shows the one-time EVALSHA → NOSCRIPT → EVAL fallback.
  await guarded(rt.redis, 5000, async () => {
    for (const name of Object.keys(SCRIPTS) as ScriptName[]) await rt.redis.script("LOAD", SCRIPTS[name].lua);
  });
  email = `steps-${Date.now()}@example.com`;
});

describe("the commands of each step, as teaching/commands.ts lists them, are the ones the code sends", () => {
  it("sign up", async () => {
    let result: Awaited<ReturnType<typeof signUpWithPassword>> | undefined;
    expectStep("sign-up", await sentBy(async () => (result = await signUpWithPassword(rt, email, PASSWORD, CLIENT))));
    expect(result?.status).toBe("created");
  });

  it("sign in", async () => {
    let result: Awaited<ReturnType<typeof signInWithPassword>> | undefined;
    const observed = await sentBy(async () => (result = await signInWithPassword(rt, email, PASSWORD, CLIENT, { via: "form" })));
    if (result?.status !== "signed_in") throw new Error(`sign-in: ${result?.status}`);
    token = result.token;
    signedIn = await signedInAs(token);
    expectStep("sign-in", observed);
  });

  it("each request", async () => {
    expectStep("request", await sentBy(() => rt.sessions.validateSession(token)));
  });

  it("confirm the password", async () => {
    let result: Awaited<ReturnType<typeof confirmPassword>> | undefined;
    expectStep("confirm", await sentBy(async () => (result = await confirmPassword(rt, signedIn, PASSWORD, CLIENT))));
    expect(result?.status).toBe("confirmed");
  });

  it("devices page", async () => {
    expectStep("devices", await sentBy(async () => [await rt.sessions.listUserSessions(signedIn.user), await rt.sessions.recentActivity(signedIn.user)]));
  });

  it("the key inspector", async () => {
    expectStep("key-inspector", await sentBy(() => inspectUserKeys(rt.redis, signedIn.user, [signedIn.session.id], 1000)));
  });

  it("rename a device", async () => {
    expectStep("rename", await sentBy(() => rt.sessions.renameSession(signedIn.user, signedIn.session.id, "Laptop")));
  });

  it("the idle warning", async () => {
    expectStep("idle-warning", await sentBy(() => rt.sessions.peekExpiry(token)));
  });

  it("a sign-in past the cap", async () => {
    const other = await signUpWithPassword(rt, `cap-${email}`, PASSWORD, CLIENT);
    if (other.status !== "created") throw new Error("sign-up");
    for (let i = 0; i < 2; i++) await startSession(rt, other.user, CLIENT); // 3 sessions: the cap
    let creation: Awaited<ReturnType<typeof startSession>> | undefined;
    expectStep("over-cap", await sentBy(async () => (creation = await startSession(rt, other.user, CLIENT))));
    expect(creation?.status).toBe("created");
    expect(await rt.sessions.listUserSessions(ownerOf(other.session))).toHaveLength(3);
  });

  it("sign out other devices", async () => {
    expectStep("sign-out-others", await sentBy(() => rt.sessions.revokeOtherSessions(signedIn.user, signedIn.session.id, { reason: "revoked" })));
  });

  it("sign out, then /login with the dead cookie", async () => {
    expectStep("sign-out", await sentBy(() => rt.sessions.revokeUserSession(signedIn.user, signedIn.session.id, { reason: "signed-out" })));
    let reason: string | undefined;
    expectStep("end-reason", await sentBy(async () => (reason = await rt.sessions.endReason(token))));
    expect(reason).toBe("signed-out");
  });

  it("password change", async () => {
    const signIn = await signInWithPassword(rt, email, PASSWORD, CLIENT, { via: "form" });
    if (signIn.status !== "signed_in") throw new Error("sign-in");
    const current = await signedInAs(signIn.token);
    let result: Awaited<ReturnType<typeof changePassword>> | undefined;
    expectStep("password-change", await sentBy(async () => (result = await changePassword(rt, current, PASSWORD, NEW_PASSWORD, CLIENT))));
    expect(result?.status).toBe("changed");
  });

  it("make admin", async () => {
    expectStep("user-change", await sentBy(() => setAdminFlag(rt, signedIn.user.id, true)));
  });

  it("device binding: the offer, the registration and a refresh", async () => {
    const signIn = await signInWithPassword(rt, email, NEW_PASSWORD, CLIENT, { via: "form" });
    if (signIn.status !== "signed_in") throw new Error("sign-in");
    const device = deviceKey();
    let challenge: string | null = null;
    expectStep("bind-offer", await sentBy(async () => (challenge = await rt.sessions.binding.issueChallenge(signIn.session, "register"))));
    let registered: BindingOutcome | undefined;
    expectStep("bind-register", await sentBy(async () => (registered = await rt.sessions.binding.register(device.proof(challenge!, { withKey: true })))));
    expect(registered?.status).toBe("bound");
    const identifier = bindingIdentifier(signIn.session);
    let refreshed: BindingOutcome | undefined;
    const observed = await sentBy(async () => {
      const issued = await rt.sessions.binding.refreshChallenge(identifier);
      if (!("challenge" in issued)) throw new Error("no refresh challenge");
      refreshed = await rt.sessions.binding.refresh(identifier, device.proof(issued.challenge, { withKey: false }));
    });
    expectStep("bind-refresh", observed);
    expect(refreshed?.status).toBe("bound");
  });

  it("delete account", async () => {
    const signIn = await signInWithPassword(rt, email, NEW_PASSWORD, CLIENT, { via: "form" });
    if (signIn.status !== "signed_in") throw new Error("sign-in");
    const current = await signedInAs(signIn.token);
    expectStep("delete-account", await sentBy(() => deleteAccount(rt, current)));
  });

  it("every step of the list is performed above", () => {
    const performed: StepId[] = [
      "sign-up", "sign-in", "request", "confirm", "devices", "key-inspector", "rename", "idle-warning", "bind-offer", "bind-register", "bind-refresh",
      "over-cap", "sign-out-others", "sign-out", "end-reason", "password-change", "user-change", "delete-account",
    ];
    expect(COMMAND_STEPS.map((step) => step.id).sort()).toEqual([...performed].sort());
    for (const step of COMMAND_STEPS)
      for (const send of step.sends) if (!("script" in send)) expect(commandPurpose(send.command, send.key), `${send.command} ${send.key}: what it is for`).toBeDefined();
  });

  it("docs/how-it-works.md holds the table the list makes now (npm run docs)", () => {
    expect(commandsTable()).toContain("EVALSHA validateSession");
    expect(docsDrift()).toEqual([]);
  });
});
