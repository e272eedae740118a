import type { TestProject } from "vitest/node";
import { startPostgresServer } from "../../scripts/lib/postgres-server";
import { findFreePort } from "../../scripts/lib/redis-server";

// One real PostgreSQL server for the whole Vitest run (initdb in a temporary
// folder, pg_ctl on a free loopback port; or TEST_DATABASE_URL's server), stopped
// by PID when the run ends. Each test works in a database of its own (users-databases.ts).

declare module "vitest" {
  export interface ProvidedContext {
    /** postgres://…/postgres of the run's server: to create and drop the tests' databases. */
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer({ port: await findFreePort() });
  project.provide("postgresAdminUrl", server.urlOf("postgres"));
  return () => server.destroy();
}
