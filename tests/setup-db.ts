// Each test file runs in its own process with its own data folder and a freshly migrated database:
// SQLite in the data folder, or with TEST_DATABASE_URL (a PostgreSQL server; .ci/run starts one) a new
// database on that server, dropped afterwards.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "rrt-test-"));
process.env.DATA_DIR = dir;

const server = process.env.TEST_DATABASE_URL;
const database = `rrt_test_${randomBytes(6).toString("hex")}`;
const admin = async (statement: string) => {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
};
if (server) {
  await admin(`create database ${database} template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C.UTF-8'`);
  const url = new URL(server);
  url.pathname = `/${database}`;
  process.env.DATABASE_URL = url.href;
}

const { runMigrations, closeDb } = await import("#db/client");
await runMigrations();

afterAll(async () => {
  await closeDb();
  if (server) await admin(`drop database if exists ${database} with (force)`);
  rmSync(dir, { recursive: true, force: true });
});
