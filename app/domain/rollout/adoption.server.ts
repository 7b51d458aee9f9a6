// Adoption: how many accounts were provisioned, activated, and seen in the last 7 days, by role, by
// school and by sub-region. Counted in SQL with GROUP BY: a province holds hundreds of thousands of
// accounts, so nothing here loads people one by one.
import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { db, schema, selectRows, first } from "#db/client";
import type { Stage } from "#db/schema";
import { requireActingAs, requireSignedIn, type Actor } from "../foundation/actor.server";
import { ForbiddenError, NotFoundError } from "../foundation/errors.server";
import { effectivePhase, effectivePhaseCeiling, findRegion, lowestCeiling, schoolCeiling, regionInScope, regionPath, requireRegionScope, type Region } from "../places/regions.server";
import { canManageSchool, findSchool } from "../places/schools.server";
import { mapInOrder } from "~/lib/in-order";

export const ADOPTION_ROLES = ["teacher", "student", "parent"] as const;
export type AdoptionRole = (typeof ADOPTION_ROLES)[number];
export type AdoptionCounts = { provisioned: number; activated: number; active7: number };
/** Per role, and `all`: each person once however many roles they hold. */
export type ByRole = Record<AdoptionRole | "all", AdoptionCounts>;

export const ACTIVE_WINDOW_MS = 7 * 86_400_000;

export type SchoolAdoptionRow = {
  id: string;
  name: string;
  regionId: string;
  regionName: string;
  stage: Stage;
  phase: number;
  ceiling: number | null;
  effectivePhase: number;
  counts: ByRole;
};
export type SubRegionRow = { id: string; name: string; level: Region["level"]; counts: ByRole };

export type RegionAdoption = {
  /** The region looked at (null: the platform admin's whole tree). */
  focus: { id: string; name: string; level: Region["level"]; parentId: string | null } | null;
  /** Names from the top down to the focus. */
  path: { id: string; name: string }[];
  /** Whether the reader may go up from the focus (still inside their own subtree). */
  upId: string | null;
  totals: ByRole;
  subRegions: SubRegionRow[];
  /** Accounts of schools placed directly in the focus region (not in a sub-region). */
  direct: ByRole | null;
  schools: SchoolAdoptionRow[];
  at: Date;
};

export type SchoolAdoption = { school: SchoolAdoptionRow; regionPath: string[]; at: Date };

const zero = (): AdoptionCounts => ({ provisioned: 0, activated: 0, active7: 0 });
const zeroByRole = (): ByRole => ({ teacher: zero(), student: zero(), parent: zero(), all: zero() });

type Row = { level: "school" | "sub" | "total"; k: string | null; role: AdoptionRole | "all"; provisioned: number; activated: number; active7: number };

/**
 * The counts for the schools that `scopedSchools` selects (columns id, top: the sub-region a school
 * falls under, or null). Teachers and students count at the school their role names; parents at
 * their children's schools (through guardian links), once per school however many children they have
 * there. Disabled accounts are left out.
 */
async function aggregate(scopedSchools: SQL, now: number): Promise<Row[]> {
  const since = now - ACTIVE_WINDOW_MS;
  // Rows of f are unique per (user, role, school): a teacher or student role names one school (the
  // role is the key of user_roles) and parents are made distinct per school in their own branch. So
  // school × role is a plain count; coarser groupings first collapse each person to one row.
  const tally = sql`count(*) as provisioned, coalesce(sum(a), 0) as activated, coalesce(sum(r), 0) as active7`;
  return selectRows<Row>(sql`
    with recursive scoped(id, top) as (${scopedSchools}),
    f(user_id, role, school_id, top, a, r) as materialized (
      select ur.user_id, ur.role, ur.school_id, sc.top, case when u.status = 'active' then 1 else 0 end, case when u.status = 'active' and u.last_seen_at >= ${since} then 1 else 0 end
        from scoped sc
        join user_roles ur on ur.school_id = sc.id and ur.role in ('teacher', 'student')
        join users u on u.id = ur.user_id
        where u.status <> 'disabled'
      union all
      select p.guardian_id, 'parent', p.school_id, p.top, case when u.status = 'active' then 1 else 0 end, case when u.status = 'active' and u.last_seen_at >= ${since} then 1 else 0 end
        from (select distinct gl.guardian_id, child.school_id, sc.top
                from scoped sc
                join users child on child.school_id = sc.id
                join guardian_links gl on gl.student_id = child.id) p
        join users u on u.id = p.guardian_id
        where u.status <> 'disabled'
    )
    select 'school' as level, school_id as k, role, ${tally} from f group by school_id, role
    union all select 'school', school_id, 'all', ${tally}
      from (select school_id, user_id, max(a) a, max(r) r from f group by school_id, user_id) per group by school_id
    union all select 'sub', top, role, ${tally}
      from (select top, role, user_id, max(a) a, max(r) r from f group by top, role, user_id) per group by top, role
    union all select 'sub', top, 'all', ${tally}
      from (select top, user_id, max(a) a, max(r) r from f group by top, user_id) per group by top
    union all select 'total', null, role, ${tally}
      from (select role, user_id, max(a) a, max(r) r from f group by role, user_id) per group by role
    union all select 'total', null, 'all', ${tally}
      from (select user_id, max(a) a, max(r) r from f group by user_id) per`);
}

function put(target: ByRole, row: Row) {
  target[row.role] = { provisioned: row.provisioned, activated: row.activated, active7: row.active7 };
}

type SchoolMeta = { id: string; name: string; region_id: string; region_name: string; stage: Stage; phase: number; phase_ceiling: number | null };

/** The schools of the region subtree (or all, for null) with each one's sub-region below `focusId`. */
function scopedSchoolsSql(focusId: string | null): { scoped: SQL; down: SQL } {
  const down = focusId
    ? sql`select id, cast(null as text) from regions where id = ${focusId}
          union all select r.id, coalesce(down.top, r.id) from regions r join down on r.parent_id = down.id`
    : sql`select id, id from regions where parent_id is null
          union all select r.id, down.top from regions r join down on r.parent_id = down.id`;
  return { down, scoped: sql`select s.id, down.top from schools s join down on down.id = s.region_id` };
}

function withDown(down: SQL, body: SQL): SQL {
  return sql`select * from (with recursive down(id, top) as (${down}) ${body}) counted`;
}

/**
 * Adoption in a region admin's subtree (or, for the platform admin, anywhere): by sub-region, by
 * school and by role. `regionId` looks at a region further down; it must lie in the reader's subtree.
 */
export async function regionAdoption(actor: Actor, opts: { regionId?: string | null; now?: number } = {}): Promise<RegionAdoption> {
  const scope = requireRegionScope(actor);
  const focusId = opts.regionId || scope.rootId;
  if (focusId && (!await findRegion(focusId) || !await regionInScope(scope, focusId))) throw new ForbiddenError();
  // A chosen moment (tests, reports of a past day) is always counted afresh; "now" may come from a snapshot.
  return opts.now === undefined ? keptAdoption(scope.rootId, focusId) : countRegionAdoption(scope.rootId, focusId, opts.now);
}

// ---- snapshots: a province's figures take seconds to count, so a slow count is kept for a while ----

/**
 * A count that took at least this long is kept; quicker ones (a county, the demo) are always live.
 * ADOPTION_KEEP_AFTER_MS changes it (0: keep every count).
 */
export const SLOW_COUNT_MS = 50;
const slowCountMs = () => Number(process.env.ADOPTION_KEEP_AFTER_MS ?? SLOW_COUNT_MS);
/** How long a kept count is shown (with its time) before the next reader counts again. */
export const KEEP_COUNT_MS = 10 * 60_000;

const snapshotKey = (rootId: string | null, focusId: string | null) => `${rootId ?? ""}|${focusId ?? ""}`;

async function keptAdoption(rootId: string | null, focusId: string | null): Promise<RegionAdoption> {
  const key = snapshotKey(rootId, focusId);
  const now = Date.now();
  const kept = await first(db().select().from(schema.adoptionSnapshots).where(eq(schema.adoptionSnapshots.key, key)).limit(1));
  if (kept && now - kept.computedAt.getTime() < KEEP_COUNT_MS) {
    // Read marks let the refresher skip dashboards nobody opens; once every few minutes is enough.
    if (now - kept.readAt.getTime() > KEEP_COUNT_MS / 2) await db().update(schema.adoptionSnapshots).set({ readAt: new Date(now) }).where(eq(schema.adoptionSnapshots.key, key));
    const view = JSON.parse(kept.data) as RegionAdoption;
    return { ...view, at: new Date(view.at) };
  }
  return countAndKeep(rootId, focusId, now, now, Boolean(kept));
}

/**
 * Counts now; keeps the result when counting was slow (and drops a kept one, if there is one, that is
 * no longer needed). readAt: when a reader asked (null for the refresher, which leaves the read mark as
 * it is).
 */
async function countAndKeep(rootId: string | null, focusId: string | null, now: number, readAt: number | null, wasKept = true): Promise<RegionAdoption> {
  const key = snapshotKey(rootId, focusId);
  const started = performance.now();
  const view = await countRegionAdoption(rootId, focusId, now);
  const computeMs = Math.round(performance.now() - started);
  if (computeMs >= slowCountMs()) {
    const counted = { data: JSON.stringify(view), computedAt: view.at, computeMs };
    const read = readAt === null ? {} : { readAt: new Date(readAt) };
    await db()
          .insert(schema.adoptionSnapshots)
          .values({ key, ...counted, readAt: new Date(readAt ?? now) })
          .onConflictDoUpdate({ target: schema.adoptionSnapshots.key, set: { ...counted, ...read } });
  } else if (wasKept) {
    await db().delete(schema.adoptionSnapshots).where(eq(schema.adoptionSnapshots.key, key));
  }
  return view;
}

/**
 * Counts again the kept figures that were read in the last hour and are older than half their life,
 * so readers seldom wait for a count (the server's primary calls it every few minutes; it serves no
 * pages). Forgets those nobody read for a day. Returns how many were counted.
 */
export async function refreshAdoptionSnapshots(now = Date.now()): Promise<number> {
  await db()
      .delete(schema.adoptionSnapshots)
      .where(lt(schema.adoptionSnapshots.readAt, new Date(now - 86_400_000)));
  const due = await db()
      .select({ key: schema.adoptionSnapshots.key })
      .from(schema.adoptionSnapshots)
      .where(and(gte(schema.adoptionSnapshots.readAt, new Date(now - 3_600_000)), lt(schema.adoptionSnapshots.computedAt, new Date(now - KEEP_COUNT_MS / 2))));
  for (const { key } of due) {
    const [rootId, focusId] = key.split("|").map((id) => id || null) as [string | null, string | null];
    if (focusId && !await findRegion(focusId)) continue;
    await countAndKeep(rootId, focusId, Date.now(), null);
  }
  return due.length;
}

/** The figures of the focus region (null: everywhere), as an admin whose scope starts at rootId sees them. */
async function countRegionAdoption(rootId: string | null, focusId: string | null, now: number): Promise<RegionAdoption> {
  const focus = focusId ? (await findRegion(focusId))! : null;

  const { down, scoped } = scopedSchoolsSql(focusId);
  const rows = await aggregate(withDown(down, scoped), now);
  const schoolsMeta = await selectRows<SchoolMeta>(
    withDown(
      down,
      sql`select s.id, s.name, s.region_id, r.name as region_name, s.stage, s.phase, s.phase_ceiling
          from schools s join down on down.id = s.region_id join regions r on r.id = s.region_id
          order by r.name, s.name`,
    ),
  );
  const children = await selectRows<{ id: string; name: string; level: Region["level"] }>(
    focusId ? sql`select id, name, level from regions where parent_id = ${focusId} order by name` : sql`select id, name, level from regions where parent_id is null order by name`,
  );

  // Ceilings per region, not per person: a handful of look-ups however many accounts there are.
  const ceilings = new Map<string, number | null>();
  const ceilingOf = async (regionId: string) => {
    if (!ceilings.has(regionId)) ceilings.set(regionId, await effectivePhaseCeiling(regionId));
    return ceilings.get(regionId)!;
  };
  const bySchool = new Map<string, ByRole>();
  const bySub = new Map<string | null, ByRole>();
  const totals = zeroByRole();
  for (const row of rows) {
    if (row.level === "school") put(bySchool.get(row.k!) ?? bySchool.set(row.k!, zeroByRole()).get(row.k!)!, row);
    else if (row.level === "sub") put(bySub.get(row.k) ?? bySub.set(row.k, zeroByRole()).get(row.k)!, row);
    else put(totals, row);
  }
  const hasDirect = schoolsMeta.some((s) => s.region_id === focusId);
  const path = focusId ? (await regionPath(focusId)).reverse() : [];
  const reachable = rootId === null ? path : path.slice(path.findIndex((r) => r.id === rootId));
  return {
    focus: focus && { id: focus.id, name: focus.name, level: focus.level, parentId: focus.parentId },
    path: reachable.map((r) => ({ id: r.id, name: r.name })),
    upId: focus && focus.id !== rootId ? (focus.parentId ?? null) : null,
    totals,
    subRegions: children.map((c) => ({ ...c, counts: bySub.get(c.id) ?? zeroByRole() })),
    direct: hasDirect ? (bySub.get(null) ?? zeroByRole()) : null,
    schools: (await mapInOrder(schoolsMeta, async (s) => {
          const ceiling = lowestCeiling(await ceilingOf(s.region_id), s.phase_ceiling);
          return {
            id: s.id,
            name: s.name,
            regionId: s.region_id,
            regionName: s.region_name,
            stage: s.stage,
            phase: s.phase,
            ceiling,
            effectivePhase: effectivePhase(s.phase, ceiling),
            counts: bySchool.get(s.id) ?? zeroByRole(),
          };
        })),
    at: new Date(now),
  };
}

/**
 * Adoption of one school by role: a school admin sees their own school; a region admin (or the
 * platform admin) may look at any school of their subtree by naming it.
 */
export async function schoolAdoption(actor: Actor, opts: { schoolId?: string | null; now?: number } = {}): Promise<SchoolAdoption> {
  const signedIn = requireSignedIn(actor);
  const now = opts.now ?? Date.now();
  let schoolId: string;
  if (signedIn.activeRole === "school_admin") {
    const { grant } = requireActingAs(signedIn, "school_admin");
    if (!grant.schoolId || (opts.schoolId && opts.schoolId !== grant.schoolId)) throw new ForbiddenError();
    schoolId = grant.schoolId;
  } else {
    requireRegionScope(signedIn);
    if (!opts.schoolId || !await canManageSchool(signedIn, opts.schoolId)) throw new ForbiddenError();
    schoolId = opts.schoolId;
  }
  const school = await findSchool(schoolId);
  if (!school) throw new NotFoundError();
  const counts = zeroByRole();
  for (const row of await aggregate(sql`select id, cast(null as text) from schools where id = ${schoolId}`, now)) if (row.level === "total") put(counts, row);
  const path = await regionPath(school.regionId);
  const { ceiling } = await schoolCeiling(school, path);
  return {
    school: {
      id: school.id,
      name: school.name,
      regionId: school.regionId,
      regionName: path[0]?.name ?? "",
      stage: school.stage,
      phase: school.phase,
      ceiling,
      effectivePhase: effectivePhase(school.phase, ceiling),
      counts,
    },
    regionPath: path.map((r) => r.name).reverse(),
    at: new Date(now),
  };
}
