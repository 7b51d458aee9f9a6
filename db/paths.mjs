// Where everything lives: one data folder holds the SQLite file and uploads (back it up and you have
// everything). Plain JS so that server.mjs and the TypeScript code share it.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export function dataDir() {
  const dir = resolve(process.env.DATA_DIR ?? "./data");
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function databaseFile() {
  return join(dataDir(), "app.sqlite");
}

export const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));
/** PostgreSQL's migrations (drizzle.pg.config.ts). */
export const pgMigrationsFolder = fileURLToPath(new URL("./migrations-pg", import.meta.url));

/** Opens the database with the settings every connection must have (see DESIGN.md §4). */
export function configure(sqlite) {
  sqlite.pragma("journal_mode = WAL");
  // A submission, a grade or a consent must survive a power cut.
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}
