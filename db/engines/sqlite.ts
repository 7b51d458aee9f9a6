// The embedded engine: SQLite, one better-sqlite3 connection per process, behind drizzle's asynchronous
// interface (drizzle-orm/sqlite-proxy). Its statements run synchronously, but a transaction spans awaits,
// so other requests' queries could land inside it. They are held back instead: while a transaction is
// open, only queries from the transaction's own async context run; the others wait for its end (see
// `gate`). Transactions take turns the same way.
import { AsyncLocalStorage } from "node:async_hooks";
import Database from "better-sqlite3";
import { sql, type SQL } from "drizzle-orm";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzleSync } from "drizzle-orm/better-sqlite3";
import { drizzle } from "drizzle-orm/sqlite-proxy";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { runDataMigrations } from "../data-migrations.mjs";
import { configure, databaseFile, migrationsFolder } from "../paths.mjs";
import * as schema from "../schema";
import type { DB, Engine, Tx } from "./engine";
import { noteStatement, statementWatchers } from "./statements";

type Method = "run" | "all" | "values" | "get";
// drizzle reads `rows` as the row (get) or the rows (all, values), each an array of column values.
type Answer = { rows: any[]; changes?: number };

let instance: { db: DB; sqlite: Database.Database; statement: (source: string) => Database.Statement } | undefined;

function open() {
  if (!instance) {
    const sqlite = configure(new Database(databaseFile()));
    const statement = statementCache(sqlite);
    instance = { sqlite, statement, db: withTurns(drizzle(executor(statement), { schema })) };
  }
  return instance;
}

/** How many prepared statements a process keeps (a page runs 10–20 distinct ones; lists vary in length). */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * Statements are kept prepared, keyed by their SQL text (least recently used dropped): compiling them
 * again was a quarter of a page's time. SQLite compiles a kept statement again when the schema changes.
 */
function statementCache(sqlite: Database.Database) {
  const kept = new Map<string, Database.Statement>();
  return (source: string) => {
    let stmt = kept.get(source);
    if (stmt) kept.delete(source);
    else stmt = sqlite.prepare(source);
    kept.set(source, stmt);
    if (kept.size > STATEMENT_CACHE_SIZE) kept.delete(kept.keys().next().value!);
    return stmt;
  };
}

/** Runs drizzle's queries on the connection, each after its turn (gate). drizzle reads rows as arrays. */
function executor(statement: (source: string) => Database.Statement) {
  return async (source: string, params: unknown[], method: Method): Promise<Answer> => {
    await gate();
    const stmt = statement(source);
    if (statementWatchers.size) noteStatement(source);
    if (method === "run") {
      if (!stmt.reader) return { rows: [], changes: stmt.run(...params).changes };
      const rows = stmt.raw(true).all(...params) as any[];
      return { rows, changes: rows.length };
    }
    if (method === "get") return { rows: stmt.raw(true).get(...params) as any[] };
    return { rows: stmt.raw(true).all(...params) as any[] };
  };
}

// ---- taking turns around transactions ----

const turnOf = new AsyncLocalStorage<symbol>();
let holder: symbol | null = null;
let waiting: (() => void)[] = [];

const nextRelease = () => new Promise<void>((resolve) => waiting.push(resolve));

/** Waits while a transaction that is not this context's is open. */
async function gate(): Promise<void> {
  while (holder && turnOf.getStore() !== holder) await nextRelease();
}

/**
 * Runs `work` as if no transaction of the caller's were open: its queries wait for that transaction to end
 * and see only what it committed (work scheduled for after a commit, such as removing files' bytes).
 */
function outsideTransaction<T>(work: () => Promise<T>): Promise<T> {
  return turnOf.exit(work);
}

let savepoints = 0;

/**
 * Transactions take turns: one is open at a time on the connection, and queries from elsewhere wait for
 * it (gate). A transaction opened inside one (by a function that also runs on its own) is a savepoint.
 */
function withTurns(database: DB): DB {
  const begin = database.transaction.bind(database);
  const transaction = async <T>(work: (tx: Tx) => Promise<T>, config?: Parameters<DB["transaction"]>[1]): Promise<T> => {
    if (holder && turnOf.getStore() === holder) {
      const name = `sp${++savepoints}`;
      await database.run(sql.raw(`savepoint ${name}`));
      try {
        const result = await work(database as unknown as Tx);
        await database.run(sql.raw(`release ${name}`));
        return result;
      } catch (error) {
        await database.run(sql.raw(`rollback to ${name}`));
        await database.run(sql.raw(`release ${name}`));
        throw error;
      }
    }
    while (holder) await nextRelease();
    const turn = Symbol("transaction");
    holder = turn;
    try {
      return await turnOf.run(turn, async () => begin(work, config));
    } finally {
      holder = null;
      const woken = waiting;
      waiting = [];
      for (const wake of woken) wake();
    }
  };
  database.transaction = transaction as DB["transaction"];
  return database;
}

/** The process's database. Opened on first use so that DATA_DIR can be set before. */
function db(): DB {
  return open().db;
}

/** Rows of a hand-written statement, as objects keyed by column name. */
async function selectRows<T>(query: SQL): Promise<T[]> {
  const { sql: source, params } = dialect.sqlToQuery(query);
  await gate();
  const stmt = open().statement(source);
  if (statementWatchers.size) noteStatement(source);
  return stmt.raw(false).all(...params) as T[];
}

const dialect = new SQLiteAsyncDialect();

/** The SQLite connection itself, for what only SQLite has: the scale seed, data migrations, backups. */
function sqlite(): Database.Database {
  return open().sqlite;
}

/** The schema migrations, then the data migrations that SQL cannot express. */
async function runMigrations(): Promise<void> {
  migrate(drizzleSync(sqlite()), { migrationsFolder });
  runDataMigrations(sqlite());
}

async function close(): Promise<void> {
  instance?.sqlite.close();
  instance = undefined;
}

/** A hand-written statement whose rows are not wanted. */
async function execute(query: SQL): Promise<void> {
  await db().run(query);
}

/** How many rows an awaited write changed. */
function changes(result: unknown): number {
  return (result as Answer | undefined)?.changes ?? 0;
}

/** The engine (one per opening: the same connection until closed). */
export function sqliteEngine(): Engine {
  return { name: "sqlite", db, selectRows, execute, changes, outsideTransaction, runMigrations, close, sqlite };
}

