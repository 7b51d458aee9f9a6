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
    instance = { sqlite, db: drizzle(withStatementCache(sqlite), { schema }) };
  }
  return instance;
}

/** How many prepared statements a process keeps (a page runs 10–20 distinct ones; lists vary in length). */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * drizzle asks better-sqlite3 to prepare (compile) every query each time it runs: a quarter of a page's
 * time went there. drizzle is handed the connection with `prepare` answered from a cache keyed by the
 * SQL text (least recently used dropped). A kept statement is shared by every query with that text, so
 * each use sets the row shape it wants (drizzle reads arrays through `raw()`, objects otherwise). SQLite
 * compiles a kept statement again by itself when the schema changes.
 */
function withStatementCache(sqlite: Database.Database): Database.Database {
  const kept = new Map<string, Database.Statement>();
  const statement = (source: string) => {
    let stmt = kept.get(source);
    if (stmt) kept.delete(source);
    else stmt = sqlite.prepare(source);
    kept.set(source, stmt);
    if (kept.size > STATEMENT_CACHE_SIZE) kept.delete(kept.keys().next().value!);
    return stmt;
  };
  const prepare = (source: string) => {
    const stmt = statement(source);
    const shaped = (raw: boolean) => (stmt.reader ? stmt.raw(raw) : stmt);
    return {
      source: stmt.source,
      reader: stmt.reader,
      run: (...params: unknown[]) => stmt.run(...params),
      get: (...params: unknown[]) => shaped(false).get(...params),
      all: (...params: unknown[]) => shaped(false).all(...params),
      iterate: (...params: unknown[]) => shaped(false).iterate(...params),
      raw: (toggle = true) => {
        const rows = shaped(toggle);
        return { get: (...params: unknown[]) => rows.get(...params), all: (...params: unknown[]) => rows.all(...params), iterate: (...params: unknown[]) => rows.iterate(...params) };
      },
    };
  };
  return new Proxy(sqlite, {
    get(target, property) {
      if (property === "prepare") return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
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
