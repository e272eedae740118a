import { parseConfig } from "../lib/runtime/config";
import { prepareDatabase } from "./lib/database";
import { fail, step } from "./lib/log";

// `npm run db:setup`: migrate and seed DATABASE_URL without starting anything.
const { database, demoUsers } = parseConfig(process.env);
const where = database.kind === "sqlite" ? database.path : "PostgreSQL (DATABASE_URL)";
prepareDatabase(database, { demoUsers })
  .then((created) =>
    step(`${where}: migrated; ${demoUsers ? `demo users created: ${created.join(", ") || "none (already there)"}` : "demo users off (DEMO_USERS=off): none created"}`),
  )
  .catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
