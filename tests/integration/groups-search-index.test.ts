// Issue 18: on PostgreSQL the groups directory's substring search (Chinese, Tibetan, Yi) is answered from
// a trigram index (pg_trgm, groups_search_trgm_idx), in the very shape the domain writes it (spell.contains).
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, engineName, execute, schema, selectRows, spell } from "#db/client";

describe.skipIf(engineName !== "postgres")("the groups directory's search on PostgreSQL", () => {
  it.each(["数学兴趣", "ཚན་རིག", "ꆈꌠꉙ"])("finds groups by %s through the trigram index", async (words) => {
    const plan = await db().transaction(async () => {
      // A small table is read whole by choice; forbid that to see whether the index answers the search.
      await execute(sql`set local enable_seqscan = off`);
      return selectRows<{ "QUERY PLAN": string }>(sql`explain select id from groups where ${spell.contains(schema.groups.searchText, words)}`);
    });
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain("groups_search_trgm_idx");
  });

  it("takes a search's % and _ as the characters themselves", async () => {
    const [row] = await selectRows<{ hit: boolean }>(sql`select ${spell.contains(sql`'100%_ok'`, "0%_")} as hit, ${spell.contains(sql`'1000'`, "0%_")} as miss`);
    expect(row).toMatchObject({ hit: true, miss: false });
  });
});
