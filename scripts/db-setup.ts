import { parseConfig } from "../lib/config";
import { prepareDatabase } from "./lib/database";
import { fail, step } from "./lib/log";

// `npm run db:setup`: migrate and seed DATABASE_URL without starting anything.
const { databasePath } = parseConfig(process.env);
prepareDatabase(databasePath)
  .then((created) => step(`${databasePath}: migrated; demo users created: ${created.join(", ") || "none (already there)"}`))
  .catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
