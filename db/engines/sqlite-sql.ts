// SQL that SQLite spells its own way (PostgreSQL's spelling: postgres-sql.ts, same names). The domain
// reaches these through `spell` from db/client and never writes an engine's dialect itself.
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

export const sqliteSpelling = {
  /** `haystack` contains `needle` (case as given; callers fold case first). */
  contains: (haystack: SQLWrapper, needle: string | SQLWrapper): SQL => sql`instr(${haystack}, ${needle}) > 0`,
  /** A JSON array of the values, as text. */
  jsonArray: (...items: SQLWrapper[]): SQL => sql`json_array(${sql.join(items, sql`, `)})`,
  /** The values of `item` over the rows, as a JSON array in text ("[]" for none). */
  jsonGroupArray: (item: SQLWrapper): SQL => sql`json_group_array(${item})`,
  /** The text of a key of a JSON column. */
  jsonText: (column: SQLWrapper, key: string): SQL => sql`json_extract(${column}, ${sql.raw(`'$.${key}'`)})`,
  /** Whether a text column holds a date written YYYY-MM-DD. */
  isIsoDate: (column: SQLWrapper): SQL => sql`${column} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`,
  /** The order rows were inserted in (a tie-break), for a table or its alias. */
  insertionOrder: (alias?: string): SQL => sql.raw(alias ? `${alias}.rowid` : "rowid"),
};

export type Spelling = typeof sqliteSpelling;
