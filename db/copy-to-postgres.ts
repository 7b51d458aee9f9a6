// Moving a county onto the province server (issue 18): copies a SQLite data folder's database into an
// empty PostgreSQL database, every table and every row with its id, then checks each table's row count
// and a checksum of its rows read back from PostgreSQL against the same from SQLite.
//
//   DATABASE_URL=postgres://… npm run db:copy-to-postgres -- [--from DATA_DIR]
//
// Refused, with what to do: a SQLite database of a newer schema than this code (update the app first),
// one of an older schema (start the app on it once, so it is migrated), a PostgreSQL database that
// already holds rows. The files (uploads) are not in the database: move them to UploadThing or copy the
// data folder's uploads to every app server (README: Deployment).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Column, is, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Engine } from "./engines/engine";
import { postgresEngine } from "./engines/postgres";
import { migrationsFolder } from "./paths.mjs";
import * as lite from "./schema";
import * as pgSchema from "./schema.pg";

export class CopyRefused extends Error {}

type Row = Record<string, unknown>;
type Table = { key: string; name: string; table: SQLiteTable; primaryKey: string[]; references: string[]; selfReference?: { column: string; parent: string } };
export type CopiedTable = { table: string; rows: number; checksum: string; same: boolean };

/** The tables in an order where every row's references are copied before it. */
export function tablesInOrder(): Table[] {
  const tables = Object.entries(lite)
    .filter(([, t]) => is(t, SQLiteTable))
    .map(([key, t]) => {
      const config = getTableConfig(t as SQLiteTable);
      const keyOf = (name: string) => Object.entries(t as object).find(([, c]) => (c as { name?: string }).name === name)![0];
      const primaryKey = config.primaryKeys.length ? config.primaryKeys[0]!.columns.map((c) => keyOf(c.name)) : config.columns.filter((c) => c.primary).map((c) => keyOf(c.name));
      const refs = config.foreignKeys.map((fk) => fk.reference());
      const own = refs.find((r) => getTableConfig(r.foreignTable).name === config.name);
      return {
        key,
        name: config.name,
        table: t as SQLiteTable,
        primaryKey,
        references: [...new Set(refs.map((r) => getTableConfig(r.foreignTable).name).filter((n) => n !== config.name))],
        selfReference: own ? { column: keyOf(own.columns[0]!.name), parent: keyOf(own.foreignColumns[0]!.name) } : undefined,
      };
    });
  const ordered: Table[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t.name) && t.references.every((r) => placed.has(r)));
    if (!ready.length) throw new Error("the tables' references go round in a circle");
    for (const t of ready) {
      ordered.push(t);
      placed.add(t.name);
    }
  }
  return ordered;
}

/** The schema migrations the code knows, oldest first (their `when` is what drizzle records as applied). */
function knownMigrations(): number[] {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { when: number }[] };
  return journal.entries.map((e) => e.when);
}

function checkSchemaOf(sqlite: Database.Database): void {
  const applied = (sqlite.prepare("select created_at as at from __drizzle_migrations order by created_at").all() as { at: number }[]).map((r) => Number(r.at));
  const known = knownMigrations();
  const newest = known[known.length - 1]!;
  if (applied.some((at) => at > newest) || applied.length > known.length)
    throw new CopyRefused(`the SQLite database has a newer schema than this code (${applied.length} migrations applied, this code knows ${known.length}): update this copy of the app to the version that wrote it, then copy again`);
  if (applied.length < known.length)
    throw new CopyRefused(`the SQLite database has an older schema (${applied.length} of ${known.length} migrations applied): start this version of the app on that data folder once (npm start), so that it is migrated, then copy again`);
}

/** A value in one spelling for both engines: times as milliseconds, JSON with its keys sorted, no U+0000. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Row)[k])]));
  if (typeof value === "string") return value.replaceAll("\u0000", "");
  return value;
}

/** Rows sorted by their canonical text, and the SHA-256 of them all. */
function checksum(rows: Row[], columns: string[]): string {
  const lines = rows.map((r) => JSON.stringify(columns.map((c) => canonical(r[c])))).sort();
  const hash = createHash("sha256");
  for (const line of lines) hash.update(line).update("\n");
  return hash.digest("hex");
}

/** PostgreSQL's text cannot hold U+0000 (SQLite's can): it is dropped, as the app now drops it on input. */
function withoutNul(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === "string" ? v.replaceAll("\u0000", "") : v && typeof v === "object" && !(v instanceof Date) ? canonical(v) : v;
  return out;
}

/** Parents before children in a table that references itself (regions). */
function parentsFirst(rows: Row[], self: { column: string; parent: string }): Row[] {
  const out: Row[] = [];
  const placed = new Set<unknown>();
  let left = rows;
  while (left.length) {
    const ready = left.filter((r) => r[self.column] == null || placed.has(r[self.column]));
    if (!ready.length) throw new Error("rows reference each other in a circle");
    for (const r of ready) placed.add(r[self.parent]);
    out.push(...ready);
    left = left.filter((r) => !ready.includes(r));
  }
  return out;
}

export async function copyToPostgres(options: { sqliteFile: string; databaseUrl: string; log?: (line: string) => void }): Promise<CopiedTable[]> {
  const log = options.log ?? (() => {});
  if (!existsSync(options.sqliteFile)) throw new CopyRefused(`no SQLite database at ${options.sqliteFile}`);
  const sqlite = new Database(options.sqliteFile, { readonly: true, fileMustExist: true });
  const source = drizzle(sqlite, { schema: lite });
  const engine: Engine = postgresEngine(options.databaseUrl);
  try {
    checkSchemaOf(sqlite);
    await engine.runMigrations();
    const target = engine.db();
    const tables = tablesInOrder();
    for (const t of tables) {
      const [{ n } = { n: 0 }] = await engine.selectRows<{ n: number }>(sql`select count(*) as n from ${sql.identifier(t.name)}`);
      if (n > 0) throw new CopyRefused(`the PostgreSQL database already holds rows (${t.name}: ${n}); copy into an empty database`);
    }
    const copied: CopiedTable[] = [];
    await target.transaction(async (tx) => {
      for (const t of tables) {
        const twin = (pgSchema as Record<string, unknown>)[t.key] as SQLiteTable;
        let rows = (await source.select().from(t.table)) as Row[];
        if (t.selfReference) rows = parentsFirst(rows, t.selfReference);
        const columns = Object.entries(t.table).filter(([, c]) => is(c, Column)).map(([k]) => k);
        const batch = Math.max(1, Math.floor(20_000 / Math.max(1, columns.length)));
        for (let i = 0; i < rows.length; i += batch) await tx.insert(twin).values(rows.slice(i, i + batch).map(withoutNul) as never);
        const back = (await tx.select().from(twin)) as Row[];
        const wanted = checksum(rows, columns);
        const got = checksum(back, columns);
        copied.push({ table: t.name, rows: back.length, checksum: got.slice(0, 16), same: back.length === rows.length && wanted === got });
        log(`${t.name.padEnd(32)} ${String(rows.length).padStart(9)} → ${String(back.length).padStart(9)}  ${got.slice(0, 16)}  ${wanted === got && back.length === rows.length ? "same" : "DIFFERENT"}`);
      }
      if (copied.some((c) => !c.same)) throw new CopyRefused(`the copy differs from the SQLite database in ${copied.filter((c) => !c.same).map((c) => c.table).join(", ")}; nothing was kept`);
    });
    return copied;
  } finally {
    sqlite.close();
    await engine.close();
  }
}
