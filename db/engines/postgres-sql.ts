// SQL that PostgreSQL spells its own way (SQLite's spelling: sqlite-sql.ts, same names).
import { sql } from "drizzle-orm";
import type { Spelling } from "./sqlite-sql";

/** `like` pattern for text containing `needle`, its wildcards taken literally. */
const containing = (needle: string) => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const postgresSpelling: Spelling = {
  // A constant pattern lets the planner answer from a trigram index (pg_trgm: groups_search_trgm_idx).
  contains: (haystack, needle) => (typeof needle === "string" ? sql`${haystack} like ${containing(needle)}` : sql`strpos(${haystack}, ${needle}) > 0`),
  jsonArray: (...items) => sql`json_build_array(${sql.join(items, sql`, `)})`,
  jsonGroupArray: (item) => sql`coalesce(json_agg(${item}), '[]')::text`,
  jsonText: (column, key) => sql`(${column} ->> ${sql.raw(`'${key}'`)})`,
  isIsoDate: (column) => sql`${column} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`,
  // A tie-break among rows with the same time; ctid follows insertion for rows never updated.
  insertionOrder: (alias) => sql.raw(alias ? `${alias}.ctid` : "ctid"),
};
