import pg from "pg";
import { postgresAdminUrl } from "./env";

// The run's PostgreSQL server (e2e/support/global-setup.ts), for specs that make, drop or
// point an app at databases of their own.

/** Runs one statement in the server's `postgres` database (create database …, drop database …). */
export async function onPostgres(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The URL of a database on the run's server. */
export function postgresDatabaseUrl(name: string): string {
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
