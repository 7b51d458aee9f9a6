// Where schools stand, as rollout and flags both need it: each school's phase and ceilings (its own and
// the lowest of its regions'), its stage and tags, its region path (nearest first) and the flags cache
// version — one statement for any number of schools, each school read at most once per request
// (rollout's phases and the flags' contexts of a page ask about the same schools).
import { sql } from "drizzle-orm";
import { selectRows, spell } from "#db/client";
import { manyPerRequest } from "~/lib/request-scope.server";

export type SchoolPlace = {
  phase: number;
  /** The school's own ceiling (null: none). */
  ceiling: number | null;
  /** The lowest ceiling among its regions (null: none). */
  regionCeiling: number | null;
  stage: string | null;
  /** JSON array of tags, as stored. */
  tags: string | null;
  /** JSON array of region ids, nearest first. */
  path: string | null;
  /** The flags cache version when read. */
  flagsVersion: number | null;
};

/** The place of each school found among `schoolIds` (the others are left out). */
export async function schoolPlaces(schoolIds: Iterable<string>): Promise<Map<string, SchoolPlace>> {
  return manyPerRequest("school-place", schoolIds, fetchPlaces);
}

async function fetchPlaces(ids: string[]): Promise<Map<string, SchoolPlace>> {
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const rows = await selectRows<{ id: string; phase: number; ceiling: number | null; region_ceiling: number | null; stage: string | null; tags: string | null; path: string | null; version: number | null }>(sql`
    with recursive up(start, id, parent_id, ceiling, depth) as (
      select s.id, r.id, r.parent_id, r.phase_ceiling, 0 from schools s join regions r on r.id = s.region_id where s.id in (${list})
      union all
      select up.start, r.id, r.parent_id, r.phase_ceiling, up.depth + 1 from regions r join up on r.id = up.parent_id
    )
    select s.id, s.phase, s.phase_ceiling as ceiling, s.stage, s.tags,
           (select min(up.ceiling) from up where up.start = s.id) as region_ceiling,
           (select ${spell.jsonGroupArray(sql`id`)} from (select id from up where up.start = s.id order by depth) ordered) as path,
           (select version from cache_versions where name = 'flags') as version
      from schools s where s.id in (${list})`);
  return new Map(
    rows.map((r) => [r.id, { phase: r.phase, ceiling: r.ceiling, regionCeiling: r.region_ceiling, stage: r.stage, tags: r.tags, path: r.path, flagsVersion: r.version }]),
  );
}
