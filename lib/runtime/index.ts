import type { AsyncLocalStorage } from "node:async_hooks";
import type { ServerResponse } from "node:http";
import type { UsersDatabase } from "../db/client";
import type { LoginLimiter } from "../limits/login";
import type { SignupLimiter } from "../limits/signup";
import type { Hub } from "../live/hub";
import type { RedisClient } from "../redis/client";
import type { SessionStore } from "../session";
import type { Config } from "./config";

// What the process runs on, as the proxy, pages, actions and route handlers reach
// it: built once by the composition root (build.ts, called by server.ts at start)
// and kept here. Next.js bundles the proxy, each page and each route handler
// with its own copy of every module, so the one place they can all find the same
// objects is globalThis: this is the app's only module-level state. This file
// imports types only, so a caller's import closure stays its own.

export type Runtime = {
  config: Config;
  /** The users database, and its own random id (its database_instance row). */
  users: UsersDatabase;
  usersDatabaseId: string;
  redis: RedisClient;
  sessions: SessionStore;
  loginLimiter: LoginLimiter;
  signupLimiter: SignupLimiter;
  /** The live hub: one subscriber connection, the user channels of this instance's open tabs. */
  hub: Hub;
  /** The per-process secret of the headers only this process may write (lib/web/stamp.ts). */
  stampSecret: Buffer;
  /** The response of the request being served: server.ts serves each request in it, so a server action can add a header (lib/web/action-response.ts). */
  currentResponse: AsyncLocalStorage<ServerResponse>;
  /** Endings of sessions a Redis failure left pending (lib/account/user-changes.ts): this process's retry loop. */
  pendingEndings: { retrying: boolean };
  /** What layers attached at start keep here (the teaching layer: its Redis trace), by name. */
  extensions: Record<string, unknown>;
  /** Closes the connections (tests; the app's process just exits). */
  close: () => Promise<void>;
};

const holder = globalThis as typeof globalThis & { appRuntime?: Runtime };

/**
 * Not built (yet): the users database did not answer when the process started
 * (server.ts tries again every second), or the app was not started through
 * server.ts. Named as the users database's outage, so it is answered 503 like one
 * (lib/web/outage.ts).
 */
export class RuntimeNotReadyError extends Error {
  constructor() {
    super("The app's runtime is not built: its users database has not answered yet, or the app was not started with npm start (server.ts)");
    this.name = "DatabaseUnavailableError";
  }
}

/** The process's runtime. */
export function runtime(): Runtime {
  const built = holder.appRuntime;
  if (!built) throw new RuntimeNotReadyError();
  return built;
}

/** Called once by the composition root. */
export function installRuntime(built: Runtime): void {
  holder.appRuntime = built;
}

type LogFields = Record<string, string | number | boolean | undefined>;

/**
 * Structured log lines, one JSON object per line. Callers pass user ids and
 * `logRef`s of sessions only: never a token, its hash (the full session id), a
 * password, or anything derived from a password.
 */
export function logEvent(event: string, fields: LogFields = {}): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
}
