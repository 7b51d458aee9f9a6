// Issue 18: one schema, two dialects. db/schema.pg.ts derives PostgreSQL's tables from db/schema.ts;
// this proves the two agree table for table, column for column, key for key, index for index, and that
// PostgreSQL's migrations (db/migrations-pg) are generated from the current schema.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { is, SQL } from "drizzle-orm";
import { getTableConfig as pgConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as liteConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as lite from "#db/schema";
import * as pgSchema from "#db/schema.pg";

const liteTables = Object.entries(lite).filter(([, t]) => is(t, SQLiteTable)) as [string, SQLiteTable][];
const pgTables = Object.entries(pgSchema).filter(([, t]) => is(t, PgTable)) as unknown as [string, PgTable][];

const PG_TYPE: Record<string, string> = { SQLiteText: "PgText", SQLiteTextJson: "PgJsonb", SQLiteInteger: "PgBigInt53", SQLiteBoolean: "PgBoolean", SQLiteTimestamp: "PgCustomColumn", SQLiteReal: "PgDoublePrecision" };

function shape(config: ReturnType<typeof liteConfig> | ReturnType<typeof pgConfig>, types?: Record<string, string>) {
  return {
    name: config.name,
    columns: config.columns.map((c) => ({ name: c.name, type: types ? types[c.columnType] : c.columnType, notNull: c.notNull, primary: c.primary, hasDefault: c.hasDefault, enum: c.enumValues ?? [] })),
    primaryKeys: config.primaryKeys.map((k) => k.columns.map((c) => c.name)),
    foreignKeys: config.foreignKeys.map((fk) => ({ name: fk.getName(), columns: fk.reference().columns.map((c) => c.name), to: fk.reference().foreignColumns.map((c) => `${getName(c.table)}.${c.name}`), onDelete: fk.onDelete ?? "no action" })),
    indexes: config.indexes
      .filter((ix) => !ix.config.name?.endsWith("_trgm_idx"))
      .map((ix) => ({ name: ix.config.name, unique: ix.config.unique, columns: ix.config.columns.map((c) => (is(c, SQL) ? "sql" : (c as { name: string }).name)) })),
    checks: config.checks.map((c) => c.name),
  };
}
const getName = (table: unknown) => (table as Record<symbol, string>)[Symbol.for("drizzle:Name")];

describe("the PostgreSQL schema", () => {
  it("has every SQLite table under the same export name, and no other", () => {
    expect(pgTables.map(([k]) => k).sort()).toEqual(liteTables.map(([k]) => k).sort());
  });

  it.each(liteTables.map(([k]) => k))("%s agrees column for column, key for key, index for index", (key) => {
    const sqliteTable = liteTables.find(([k]) => k === key)![1];
    const pgTable = pgTables.find(([k]) => k === key)![1];
    expect(shape(pgConfig(pgTable))).toEqual(shape(liteConfig(sqliteTable), PG_TYPE));
  });

  it("has a trigram index for the groups directory's substring search", () => {
    const groups = pgConfig(pgTables.find(([k]) => k === "groups")![1]);
    expect(groups.indexes.find((ix) => ix.config.name === "groups_search_trgm_idx")?.config.method).toBe("gin");
  });

  it("has a trigram index for the region library's title search", () => {
    const versions = pgConfig(pgTables.find(([k]) => k === "libraryVersions")![1]);
    expect(versions.indexes.find((ix) => ix.config.name === "library_versions_search_trgm_idx")?.config.method).toBe("gin");
  });

  it("has its migrations generated from the current schema (npm run db:generate)", () => {
    const dir = mkdtempSync(join(tmpdir(), "rrt-pg-migrations-"));
    try {
      cpSync("db/migrations-pg", join(dir, "out"), { recursive: true });
      const config = join(dir, "drizzle.config.ts");
      writeFileSync(config, `export default { dialect: "postgresql", schema: ${JSON.stringify(join(process.cwd(), "db/schema.pg.ts"))}, out: ${JSON.stringify(join(dir, "out"))} };\n`);
      const before = readdirSync(join(dir, "out")).length;
      const said = execFileSync("npx", ["drizzle-kit", "generate", "--config", config], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      expect(readdirSync(join(dir, "out")).length, said).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
