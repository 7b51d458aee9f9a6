// The process's database, behind drizzle's asynchronous query interface. The domain awaits every query
// and opens transactions with `await db().transaction(async (tx) => …)`; it never sees the driver.
//
// Two engines, one domain: without DATABASE_URL, SQLite in DATA_DIR (db/engines/sqlite.ts, the embedded
// default); with DATABASE_URL=postgres://…, PostgreSQL (db/engines/postgres.ts). What SQL the engines
// spell differently lives in db/engines/*-sql.ts, reached through `spell`.
import type { SQL } from "drizzle-orm";
import type { DB, Engine } from "./engines/engine";
import { postgresEngine } from "./engines/postgres";
import { postgresSpelling } from "./engines/postgres-sql";
import { sqliteEngine } from "./engines/sqlite";
import { sqliteSpelling } from "./engines/sqlite-sql";
import { statementWatchers } from "./engines/statements";
import * as liteSchema from "./schema";
import * as pgSchema from "./schema.pg";

export type { DB, Tx } from "./engines/engine";

/** The PostgreSQL server's address, if the app runs on one (read when this module is first imported: set it before). */
export const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error(`DATABASE_URL must be a postgres:// address (it is "${databaseUrl.replace(/:[^:@/]*@/, ":***@")}")`);

let engine: Engine | undefined;
const current = () => (engine ??= databaseUrl ? postgresEngine(databaseUrl) : sqliteEngine());

/** Which engine this process runs on. */
export const engineName: Engine["name"] = databaseUrl ? "postgres" : "sqlite";

/** The tables, as the engine in use describes them (PostgreSQL's are derived from SQLite's: db/schema.pg.ts). */
export const schema = (databaseUrl ? { ...liteSchema, ...pgSchema } : liteSchema) as typeof liteSchema;

/** SQL the engines spell differently (substring search, JSON, text aggregation). */
export const spell = databaseUrl ? postgresSpelling : sqliteSpelling;

/** The process's database (inside a transaction: that transaction). Opened on first use, so DATA_DIR can be set before. */
export function db(): DB {
  return current().db();
}

/** Calls `watch` with each statement run until the returned function is called (tests, benchmarks). */
export function watchStatements(watch: (source: string) => void): () => void {
  statementWatchers.add(watch);
  return () => statementWatchers.delete(watch);
}

/** The open database, as an identity: what a process keeps in memory for it (keys) follows it. */
export function openedDatabase(): object {
  return current();
}

/** Rows of a hand-written statement, as objects keyed by column name. */
export function selectRows<T>(query: SQL): Promise<T[]> {
  return current().selectRows<T>(query);
}

/** The first row of a hand-written statement, if any. */
export async function firstRow<T>(query: SQL): Promise<T | undefined> {
  return (await selectRows<T>(query))[0];
}

/** A hand-written statement whose rows are not wanted. */
export function execute(query: SQL): Promise<void> {
  return current().execute(query);
}

/** The first row a query yields, if any (give selects a `.limit(1)`). */
export async function first<T>(rows: PromiseLike<T[]>): Promise<T | undefined> {
  return (await rows)[0];
}

/** The one row a write's `.returning()` yields. */
export async function only<T>(rows: PromiseLike<T[]>): Promise<T> {
  const [row] = await rows;
  if (row === undefined) throw new Error("the write returned no row");
  return row;
}

/** How many rows a write changed. */
export async function changedRows(write: PromiseLike<unknown>): Promise<number> {
  return current().changes(await write);
}

/**
 * Runs `work` as if no transaction of the caller's were open: it runs once that transaction has ended and
 * sees only what it committed (work scheduled for after a commit, such as removing files' bytes).
 */
export function outsideTransaction<T>(work: () => Promise<T>): Promise<T> {
  return current().outsideTransaction(work);
}

/** The SQLite connection itself, for what only SQLite has (the scale seed, backups). */
export function sqlite() {
  const { sqlite } = current();
  if (!sqlite) throw new Error("this needs the SQLite engine (DATABASE_URL is set)");
  return sqlite();
}

/** The schema migrations for the engine in use, then the data migrations that SQL cannot express. */
export function runMigrations(): Promise<void> {
  return current().runMigrations();
}

export async function closeDb(): Promise<void> {
  const open = engine;
  engine = undefined;
  await open?.close();
}
