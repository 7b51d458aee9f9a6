// The server engine: PostgreSQL through node-postgres, a pool of connections per process, for a
// province's many app servers on one database (README: Deployment).
//
// - Pool: DATABASE_POOL_SIZE connections per process (default 5: a process runs one request's code at a
//   time, and more connections are more to warm). Keep processes × pool below the server's
//   max_connections (100 by default) or put PgBouncer in front.
// - Transactions run SERIALIZABLE: a read-then-write (a hand-in's version number, a counter, "is this
//   name taken?") cannot lose an update to another app server. A transaction PostgreSQL aborts as a
//   serialization failure or deadlock is run again (see ATTEMPTS).
// - Inside a transaction, db() is that transaction (same async context), as on SQLite, so a function
//   that queries through db() joins its caller's transaction; a transaction opened inside one is a
//   savepoint.
// - Statements are kept prepared per connection (keepStatementsPrepared).
// - int8 and numeric come back as numbers (counts, sums, millisecond times stay below 2^53); json as text.
import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import type { SQL } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { pgMigrationsFolder } from "../paths.mjs";
import * as schema from "../schema.pg";
import type { DB, Engine, Tx } from "./engine";
import { noteStatement, statementWatchers } from "./statements";

pg.types.setTypeParser(20, (value) => Number(value));
pg.types.setTypeParser(1700, (value) => Number(value));
// json and jsonb come back as text, as SQLite gives them: hand-written SQL parses them itself, and
// drizzle's jsonb columns parse text.
pg.types.setTypeParser(114, (value) => value);
pg.types.setTypeParser(3802, (value) => value);

/** Serialization failure and deadlock: the transaction is safe to run again. */
const RETRYABLE = new Set(["40001", "40P01"]);
/**
 * A class handing in at the deadline is 40 transactions at once on the same rows: a retried one waits a
 * random time below a ceiling that grows 1.5× per attempt (from 5 ms, at most 250 ms), up to 30 attempts.
 */
const ATTEMPTS = 30;
const waitBefore = (attempt: number) => Math.random() * Math.min(250, 5 * 1.5 ** attempt);

type Pg = NodePgDatabase<typeof schema>;
type Open = { tx: Pg; after: (() => void)[] };

export function postgresEngine(url: string): Engine {
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 5),
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
  });
  // A connection that breaks while idle (the server restarted) is dropped from the pool; the next query
  // opens a new one. Without a listener, node would end the process.
  pool.on("error", (error) => console.warn(`database: an idle connection failed (${error.message}); it will be replaced`));
  pool.on("connect", (client) => {
    // A connection the server ends while a request holds it (a restart mid-transaction): that request's
    // query fails, and the pool drops the connection when it comes back. Without a listener the
    // connection's "error" event would end the process.
    client.on("error", (error) => console.warn(`database: a connection in use failed (${error.message})`));
    keepStatementsPrepared(client);
  });
  const root: Pg = drizzle(pool, { schema, logger: { logQuery: (source) => statementWatchers.size && noteStatement(source) } });
  const current = new AsyncLocalStorage<Open>();
  const begin = root.transaction.bind(root);

  async function transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const open = current.getStore();
    if (open) return open.tx.transaction(async (tx) => current.run({ tx, after: open.after }, () => work(tx as unknown as Tx)));
    for (let attempt = 1; ; attempt++) {
      const after: (() => void)[] = [];
      try {
        const result = await begin(async (tx) => current.run({ tx, after }, () => work(tx as unknown as Tx)), { isolationLevel: "serializable" });
        for (const run of after) run();
        return result;
      } catch (error) {
        // What waited for this attempt's end runs now (it sees the attempt rolled back), retried or not.
        for (const run of after) run();
        if (attempt < ATTEMPTS && RETRYABLE.has(codeOf(error) ?? "")) {
          await sleep(waitBefore(attempt));
          continue;
        }
        throw error;
      }
    }
  }
  (root as unknown as { transaction: unknown }).transaction = transaction;

  const db = (): DB => (current.getStore()?.tx ?? root) as unknown as DB;

  return {
    name: "postgres",
    db,
    async selectRows<T>(query: SQL) {
      return (await (db() as unknown as Pg).execute(query)).rows as T[];
    },
    async execute(query: SQL) {
      await (db() as unknown as Pg).execute(query);
    },
    changes: (result) => (result as pg.QueryResult | undefined)?.rowCount ?? 0,
    outsideTransaction<T>(work: () => Promise<T>): Promise<T> {
      const open = current.getStore();
      if (!open) return work();
      return new Promise<T>((resolve, reject) => open.after.push(() => void current.exit(work).then(resolve, reject)));
    },
    async runMigrations() {
      await migrate(root, { migrationsFolder: pgMigrationsFolder });
    },
    async close() {
      await pool.end();
    },
  };
}

/** How many statements a connection keeps prepared (a page runs 10–20 distinct ones; lists vary in length). */
const PREPARED_PER_CONNECTION = 500;

/**
 * Each connection keeps its statements prepared, named by their text: PostgreSQL parses a statement once
 * per connection and may keep its plan, where an unnamed statement is parsed and planned on every run
 * (planning was most of a page's time in the database). Beyond PREPARED_PER_CONNECTION texts, unnamed.
 */
function keepStatementsPrepared(client: pg.PoolClient): void {
  const names = new Map<string, string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: unknown }).query = (config: unknown, ...rest: unknown[]) => {
    if (config && typeof config === "object" && "text" in config && !(config as { name?: string }).name) {
      const text = (config as { text: string }).text;
      let name = names.get(text);
      if (!name && names.size < PREPARED_PER_CONNECTION) names.set(text, (name = `s${names.size}`));
      if (name) config = { ...config, name };
    }
    return query(config, ...rest);
  };
}

/** PostgreSQL's error code, through drizzle's wrapping. */
export function codeOf(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string") return e.code;
  }
  return undefined;
}
