// The region tree (province → prefecture/city → county) and what region admins see of it.
import { eq, inArray, sql } from "drizzle-orm";
import { db, schema } from "#db/client";
import { requireActingAs, type Actor } from "./actor.server";

export type Region = typeof schema.regions.$inferSelect;

/** The region and all its ancestors, nearest first. */
export function regionPath(regionId: string): Region[] {
  const rows = db().all<{ id: string }>(sql`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from regions where id = ${regionId}
      union all
      select r.id, r.parent_id, up.depth + 1 from regions r join up on r.id = up.parent_id
    ) select id from up order by depth`);
  const byId = new Map(
    db()
      .select()
      .from(schema.regions)
      .where(inArray(schema.regions.id, rows.map((r) => r.id)))
      .all()
      .map((r) => [r.id, r]),
  );
  return rows.map((r) => byId.get(r.id)).filter((r): r is Region => Boolean(r));
}

/** Ids of the region and every region below it. */
export function regionSubtreeIds(regionId: string): string[] {
  return db()
    .all<{ id: string }>(sql`
      with recursive down(id) as (
        select id from regions where id = ${regionId}
        union all
        select r.id from regions r join down on r.parent_id = down.id
      ) select id from down`)
    .map((r) => r.id);
}

export function isWithinRegion(regionId: string, ancestorId: string): boolean {
  return regionPath(regionId).some((r) => r.id === ancestorId);
}

/** The nearest ceiling set on the region or above it (null: no ceiling, so up to phase 3). */
export function effectivePhaseCeiling(regionId: string): number | null {
  return regionPath(regionId).find((r) => r.phaseCeiling !== null)?.phaseCeiling ?? null;
}

export type RegionOverview = {
  region: Region;
  path: Region[];
  schools: { id: string; name: string; stage: string; phase: number; regionName: string; teachers: number; students: number }[];
};

/** What a region admin's home shows: their region and the schools below it. */
export function regionOverview(actor: Actor): RegionOverview {
  const { grant } = requireActingAs(actor, "region_admin");
  const regionId = grant.regionId!;
  const path = regionPath(regionId);
  const region = path[0]!;
  const ids = regionSubtreeIds(regionId);
  const schools = db()
    .select({
      id: schema.schools.id,
      name: schema.schools.name,
      stage: schema.schools.stage,
      phase: schema.schools.phase,
      regionName: schema.regions.name,
      teachers: sql<number>`(select count(*) from user_roles ur where ur.school_id = ${schema.schools.id} and ur.role = 'teacher')`,
      students: sql<number>`(select count(*) from user_roles ur where ur.school_id = ${schema.schools.id} and ur.role = 'student')`,
    })
    .from(schema.schools)
    .innerJoin(schema.regions, eq(schema.regions.id, schema.schools.regionId))
    .where(inArray(schema.schools.regionId, ids))
    .orderBy(schema.regions.name, schema.schools.name)
    .all();
  return { region, path, schools };
}

export type RegionRow = Region & { depth: number; schools: number; users: number };

/** What the platform admin's home shows: every region as an indented tree, with school and account counts. */
export function platformOverview(actor: Actor): RegionRow[] {
  requireActingAs(actor, "platform_admin");
  const all = db()
    .select({
      region: schema.regions,
      // Written out: drizzle leaves a column unqualified when the query has no join.
      schools: sql<number>`(select count(*) from schools s where s.region_id = "regions"."id")`,
      users: sql<number>`(select count(*) from users u join schools s on s.id = u.school_id where s.region_id = "regions"."id")`,
    })
    .from(schema.regions)
    .orderBy(schema.regions.name)
    .all();
  const rows: RegionRow[] = [];
  const walk = (parentId: string | null, depth: number) => {
    for (const r of all.filter((x) => x.region.parentId === parentId)) {
      rows.push({ ...r.region, depth, schools: r.schools, users: r.users });
      walk(r.region.id, depth + 1);
    }
  };
  walk(null, 0);
  return rows;
}
