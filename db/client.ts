// One connection per process (better-sqlite3 is synchronous; SQLite serialises writers anyway).
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { runDataMigrations } from "./data-migrations.mjs";
import { configure, databaseFile, migrationsFolder } from "./paths.mjs";
import * as schema from "./schema";

export type DB = BetterSQLite3Database<typeof schema>;

let instance: { db: DB; sqlite: Database.Database } | undefined;

function open() {
  if (!instance) {
    const sqlite = configure(new Database(databaseFile()));
    instance = { sqlite, db: drizzle(sqlite, { schema }) };
  }
  return instance;
}

/** The process's drizzle handle. Opened on first use so that DATA_DIR can be set before. */
export function db(): DB {
  return open().db;
}

export function sqlite(): Database.Database {
  return open().sqlite;
}

/** The schema migrations, then the data migrations that SQL cannot express. */
export function runMigrations() {
  migrate(db(), { migrationsFolder });
  runDataMigrations(sqlite());
}

export function closeDb() {
  instance?.sqlite.close();
  instance = undefined;
}

export { schema };
