// What each database engine gives db/client: the domain sees only this, never a driver.
import type Database from "better-sqlite3";
import type { SQL } from "drizzle-orm";
import type { SqliteRemoteDatabase } from "drizzle-orm/sqlite-proxy";
import type * as schema from "../schema";

/**
 * The query interface the domain is written against. It is drizzle's asynchronous SQLite database type:
 * on PostgreSQL the handle is drizzle's node-postgres database with db/schema.pg.ts's tables, which takes
 * the same builder calls (select, insert … onConflictDoUpdate … returning, update, delete, transaction).
 */
export type DB = SqliteRemoteDatabase<typeof schema>;
/** A transaction's handle (or the database itself, for work that may run inside or outside one). */
export type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0];

export interface Engine {
  name: "sqlite" | "postgres";
  /** The database, or inside a transaction (same async context) that transaction. */
  db(): DB;
  /** Rows of a hand-written statement, as objects keyed by column name. */
  selectRows<T>(query: SQL): Promise<T[]>;
  /** A hand-written statement whose rows are not wanted. */
  execute(query: SQL): Promise<void>;
  /** How many rows an awaited write changed, from what the write answered. */
  changes(result: unknown): number;
  /** Runs `work` once the caller's transaction (if any) has ended, seeing only what it committed. */
  outsideTransaction<T>(work: () => Promise<T>): Promise<T>;
  /** Applies the pending schema migrations (and data migrations) for this engine. */
  runMigrations(): Promise<void>;
  close(): Promise<void>;
  /** SQLite only: the connection itself (the scale seed, backups). */
  sqlite?(): Database.Database;
}
