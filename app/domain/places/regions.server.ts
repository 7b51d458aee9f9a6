// The region tree (province → prefecture/city → county) and what region admins see of it.
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema, selectRows, first, only } from "#db/client";
import type { Locale, Stage } from "#db/schema";
import { requireActingAs, requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { recordAudit } from "../foundation/audit.server";
import { ForbiddenError, NotFoundError, ValidationError, fieldErrorsOf } from "../foundation/errors.server";
import { randomId } from "../foundation/ids.server";
import { oncePerRequest } from "~/lib/request-scope.server";

export type Region = typeof schema.regions.$inferSelect;

/**
 * The region and all its ancestors, nearest first: one statement, asked once per read-only request.
 * The caller gets its own copy (some reverse it).
 */
export async function regionPath(regionId: string): Promise<Region[]> {
  return [...await oncePerRequest(`region-path:${regionId}`, async () => fetchRegionPath(regionId))];
}

async function fetchRegionPath(regionId: string): Promise<Region[]> {
  const byId = new Map(
    (await db()
            .select()
            .from(schema.regions)
            .where(
              inArray(
                schema.regions.id,
                sql`(with recursive up(id, parent_id) as (
            select id, parent_id from regions where id = ${regionId}
            union
            select r.id, r.parent_id from regions r join up on r.id = up.parent_id
          ) select id from up)`,
              ),
            ))
      .map((r) => [r.id, r]),
  );
  const path: Region[] = [];
  for (let r = byId.get(regionId); r && !path.includes(r); r = r.parentId ? byId.get(r.parentId) : undefined) path.push(r);
  return path;
}

/** Ids of the region and every region below it. */
export async function regionSubtreeIds(regionId: string): Promise<string[]> {
  return (await selectRows<{ id: string }>(sql`
      with recursive down(id) as (
        select id from regions where id = ${regionId}
        union all
        select r.id from regions r join down on r.parent_id = down.id
      ) select id from down`))
    .map((r) => r.id);
}

export async function isWithinRegion(regionId: string, ancestorId: string): Promise<boolean> {
  return (await regionPath(regionId)).some((r) => r.id === ancestorId);
}

/** The nearest ceiling set on the region or above it (null: no ceiling, so up to phase 3). */
export async function effectivePhaseCeiling(regionId: string): Promise<number | null> {
  return (await regionPath(regionId)).find((r) => r.phaseCeiling !== null)?.phaseCeiling ?? null;
}

type SchoolCeilingFields = Pick<typeof schema.schools.$inferSelect, "regionId" | "phaseCeiling">;

/** Where the ceiling over a school comes from: its own (set by an admin above it) or one of its regions. */
export type CeilingSource = { kind: "school" } | { kind: "region"; regionId: string; regionName: string };

/**
 * The ceiling in force over a school: the lowest of its own and its regions' (null: none, up to
 * phase 3), and where it comes from. On a tie the school's own is named, as the narrower reason.
 */
export async function schoolCeiling(school: SchoolCeilingFields, knownPath?: Region[]): Promise<{ ceiling: number | null; source: CeilingSource | null }> {
  const path = knownPath ?? (await regionPath(school.regionId));
  let lowest: Region | undefined;
  for (const r of path) if (r.phaseCeiling !== null && (!lowest || r.phaseCeiling < lowest.phaseCeiling!)) lowest = r;
  if (school.phaseCeiling !== null && (!lowest || school.phaseCeiling <= lowest.phaseCeiling!)) return { ceiling: school.phaseCeiling, source: { kind: "school" } };
  if (lowest) return { ceiling: lowest.phaseCeiling, source: { kind: "region", regionId: lowest.id, regionName: lowest.name } };
  return { ceiling: null, source: null };
}

/**
 * The ceiling over the school the actor administers (a school admin: their own; a region admin or the
 * platform admin: any school of their subtree), for pages that say where it comes from.
 */
export async function schoolCeilingFor(actor: Actor, schoolId?: string): Promise<{ ceiling: number; source: CeilingSource | null }> {
  const signedIn = requireSignedIn(actor);
  let school: typeof schema.schools.$inferSelect | undefined;
  if (signedIn.activeRole === "school_admin") {
    const { grant } = requireActingAs(signedIn, "school_admin");
    if (!grant.schoolId || (schoolId !== undefined && schoolId !== grant.schoolId)) throw new ForbiddenError();
    school = await first(db().select().from(schema.schools).where(eq(schema.schools.id, grant.schoolId)).limit(1));
  } else {
    const scope = requireRegionScope(signedIn);
    school = schoolId ? await first(db().select().from(schema.schools).where(eq(schema.schools.id, schoolId)).limit(1)) : undefined;
    if (school && !await regionInScope(scope, school.regionId)) school = undefined;
  }
  if (!school) throw new NotFoundError();
  const { ceiling, source } = await schoolCeiling(school);
  return { ceiling: ceiling ?? MAX_PHASE, source };
}

export type RegionOverview = {
  region: Region;
  path: Region[];
  schools: { id: string; name: string; stage: string; phase: number; regionName: string; teachers: number; students: number }[];
};

/** What a region admin's home shows: their region and the schools below it. */
export async function regionOverview(actor: Actor): Promise<RegionOverview> {
  const { grant } = requireActingAs(actor, "region_admin");
  const regionId = grant.regionId!;
  const path = await regionPath(regionId);
  const region = path[0]!;
  const ids = await regionSubtreeIds(regionId);
  const schools = await db()
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
      .orderBy(schema.regions.name, schema.schools.name);
  return { region, path, schools };
}

export type RegionRow = Region & { depth: number; schools: number; users: number };

/** What the platform admin's home shows: every region as an indented tree, with school and account counts. */
export async function platformOverview(actor: Actor): Promise<RegionRow[]> {
  requireActingAs(actor, "platform_admin");
  const all = await db()
      .select({
        region: schema.regions,
        // Written out: drizzle leaves a column unqualified when the query has no join.
        schools: sql<number>`(select count(*) from schools s where s.region_id = "regions"."id")`,
        users: sql<number>`(select count(*) from users u join schools s on s.id = u.school_id where s.region_id = "regions"."id")`,
      })
      .from(schema.regions)
      .orderBy(schema.regions.name);
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

// ——— Administration of the region tree (region admins within their subtree; the platform admin everywhere) ———

/**
 * Where a region administrator may act: `rootId` is their own region (null for the platform admin,
 * who reaches the whole tree). Refuses every other role, and anonymous.
 */
export type RegionScope = { actor: SignedInActor; rootId: string | null };

export function requireRegionScope(actor: Actor): RegionScope {
  const signedIn = requireSignedIn(actor);
  if (signedIn.activeRole === "platform_admin") {
    requireActingAs(signedIn, "platform_admin");
    return { actor: signedIn, rootId: null };
  }
  const { grant } = requireActingAs(signedIn, "region_admin");
  if (!grant.regionId) throw new ForbiddenError();
  return { actor: signedIn, rootId: grant.regionId };
}

export async function findRegion(regionId: string): Promise<Region | undefined> {
  return first(db().select().from(schema.regions).where(eq(schema.regions.id, regionId)).limit(1));
}

/** Whether the region lies in the scope (their own region counts). */
export async function regionInScope(scope: RegionScope, regionId: string): Promise<boolean> {
  if (scope.rootId === null) return Boolean(await findRegion(regionId));
  return isWithinRegion(regionId, scope.rootId);
}

/** The region, if it lies in the scope; refuses otherwise without saying whether it exists. */
async function requireRegionInScope(scope: RegionScope, regionId: string): Promise<Region> {
  const region = await findRegion(regionId);
  if (!region || !await regionInScope(scope, regionId)) throw new ForbiddenError();
  return region;
}

/**
 * A region whose name and ceiling the scope may change: strictly below their own, so a county admin
 * cannot lift the cap the prefecture set on them.
 */
async function requireRegionBelowScope(scope: RegionScope, regionId: string): Promise<Region> {
  const region = await requireRegionInScope(scope, regionId);
  if (scope.rootId !== null && region.id === scope.rootId) throw new ForbiddenError();
  return region;
}

/** The highest ceiling the scope may hand out: their own effective ceiling (3 for the platform admin). */
export async function scopeCeilingCap(scope: RegionScope): Promise<number> {
  return scope.rootId === null ? MAX_PHASE : (await effectivePhaseCeiling(scope.rootId) ?? MAX_PHASE);
}

export const MAX_PHASE = 3;
const CHILD_LEVEL: Record<Region["level"], Region["level"] | null> = { province: "prefecture", prefecture: "county", county: null };

export type TreeSchool = {
  id: string;
  name: string;
  stage: Stage;
  defaultLocale: Locale;
  tags: string[];
  loginPrefix: string | null;
  phase: number;
  /** The school's own ceiling (null: only its regions'). */
  ceiling: number | null;
  effectivePhase: number;
};
export type TreeRegion = {
  id: string;
  name: string;
  level: Region["level"];
  parentId: string | null;
  depth: number;
  ceiling: number | null;
  /** The ceiling in force here: its own, else the nearest ancestor's (null: none, up to phase 3). */
  effectiveCeiling: number | null;
  /** Whether the scope may rename it and set its ceiling (strictly below their own region). */
  manageable: boolean;
  /** Whether a sub-region may be created below it (not below a county). */
  canHaveChildren: boolean;
  schools: TreeSchool[];
};

/** The scope's subtree as a depth-first list, each region with its ceilings and its schools. */
export async function regionTree(actor: Actor): Promise<{ scope: RegionScope; path: Region[]; cap: number; regions: TreeRegion[] }> {
  const scope = requireRegionScope(actor);
  const ids = scope.rootId === null ? null : await regionSubtreeIds(scope.rootId);
  const regions = await db()
      .select()
      .from(schema.regions)
      .where(ids ? inArray(schema.regions.id, ids) : undefined)
      .orderBy(schema.regions.name);
  const schools = await db()
      .select()
      .from(schema.schools)
      .where(ids ? inArray(schema.schools.regionId, ids) : undefined)
      .orderBy(schema.schools.name);
  const path = scope.rootId ? await regionPath(scope.rootId) : [];
  const rows: TreeRegion[] = [];
  const walk = (parentId: string | null, depth: number, inherited: number | null) => {
    const children = depth === 0 && scope.rootId ? regions.filter((r) => r.id === scope.rootId) : regions.filter((r) => r.parentId === parentId);
    for (const region of children) {
      const effectiveCeiling = region.phaseCeiling ?? inherited;
      rows.push({
        id: region.id,
        name: region.name,
        level: region.level,
        parentId: region.parentId,
        depth,
        ceiling: region.phaseCeiling,
        effectiveCeiling,
        manageable: scope.rootId === null || region.id !== scope.rootId,
        canHaveChildren: CHILD_LEVEL[region.level] !== null,
        schools: schools
          .filter((s) => s.regionId === region.id)
          .map((s) => ({
            id: s.id,
            name: s.name,
            stage: s.stage,
            defaultLocale: s.defaultLocale,
            tags: s.tags,
            loginPrefix: s.loginPrefix,
            phase: s.phase,
            ceiling: s.phaseCeiling,
            effectivePhase: effectivePhase(s.phase, lowestCeiling(effectiveCeiling, s.phaseCeiling)),
          })),
      });
      walk(region.id, depth + 1, effectiveCeiling);
    }
  };
  // The root's own ceiling may be unset; what is in force there comes from above it.
  const rootInherited = scope.rootId && path[1] ? await effectivePhaseCeiling(path[1].id) : null;
  walk(null, 0, rootInherited);
  return { scope, path, cap: await scopeCeilingCap(scope), regions: rows };
}

/** The lower of two ceilings, where null means none. */
export function lowestCeiling(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

/** A school's phase as it applies: its own, capped by the ceiling in force over it. */
export function effectivePhase(phase: number, ceiling: number | null): number {
  return Math.min(phase, ceiling ?? MAX_PHASE);
}

const regionName = z.string().trim().min(1, "regions:nameRequired").max(60, "regions:nameTooLong");

const regionInput = z.object({ parentId: z.string().min(1, "regions:parentRequired"), name: regionName });
export type RegionInput = z.input<typeof regionInput>;

async function nameTakenUnder(parentId: string, name: string, exceptId?: string): Promise<boolean> {
  const sibling = await first(db()
      .select({ id: schema.regions.id })
      .from(schema.regions)
      .where(and(eq(schema.regions.parentId, parentId), eq(schema.regions.name, name))).limit(1));
  return Boolean(sibling && sibling.id !== exceptId);
}

/** Creates a sub-region one level below its parent (province → prefecture → county). */
export async function createRegion(actor: Actor, raw: RegionInput): Promise<Region> {
  const scope = requireRegionScope(actor);
  const parsed = regionInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const input = parsed.data;
  return db().transaction(
    async (tx) => {
      const parent = await requireRegionInScope(scope, input.parentId);
      const level = CHILD_LEVEL[parent.level];
      if (!level) throw new ValidationError({ parentId: { key: "regions:countyHasNoSubregions" } });
      if (await nameTakenUnder(parent.id, input.name)) throw new ValidationError({ name: { key: "regions:regionNameTaken", params: { name: input.name } } });
      const region = await only(tx.insert(schema.regions).values({ id: randomId(), parentId: parent.id, name: input.name, level }).returning());
      await recordAudit({ actorId: scope.actor.id, action: "region.create", targetType: "region", targetId: region.id, detail: { name: region.name, level, parentId: parent.id } }, tx);
      return region;
    },
    { behavior: "immediate" },
  );
}

/** Renames a region below the scope's own; the name stays unique among its siblings. */
export async function renameRegion(actor: Actor, regionId: string, raw: { name: string }): Promise<Region> {
  const scope = requireRegionScope(actor);
  const parsed = z.object({ name: regionName }).safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const { name } = parsed.data;
  return db().transaction(
    async (tx) => {
      const region = await requireRegionBelowScope(scope, regionId);
      if (region.parentId && await nameTakenUnder(region.parentId, name, region.id)) throw new ValidationError({ name: { key: "regions:regionNameTaken", params: { name } } });
      // The same name again changes nothing, and the audit log records changes only.
      if (region.name === name) return region;
      const renamed = await only(tx.update(schema.regions).set({ name }).where(eq(schema.regions.id, region.id)).returning());
      await recordAudit({ actorId: scope.actor.id, action: "region.rename", targetType: "region", targetId: region.id, detail: { from: region.name, to: name } }, tx);
      return renamed;
    },
    { behavior: "immediate" },
  );
}

const ceilingInput = z.object({
  ceiling: z.preprocess(
    (v) => (v === null || v === undefined || v === "" || v === "none" ? null : typeof v === "string" && /^\d$/.test(v) ? Number(v) : v),
    z.number({ error: "regions:ceilingInvalid" }).int("regions:ceilingInvalid").min(0, "regions:ceilingInvalid").max(MAX_PHASE, "regions:ceilingInvalid").nullable(),
  ),
});

/**
 * Sets (or clears, with null/"none") the phase ceiling of a region strictly below the scope's own,
 * never above the scope's own effective ceiling. Ceilings set further down that now exceed it are
 * lowered with it, so the nearest ceiling (which wins) is never looser than one above it.
 */
export async function setRegionCeiling(actor: Actor, regionId: string, raw: { ceiling: unknown }): Promise<{ region: Region; lowered: string[] }> {
  const scope = requireRegionScope(actor);
  const parsed = ceilingInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const { ceiling } = parsed.data;
  return db().transaction(
    async (tx) => {
      const region = await requireRegionBelowScope(scope, regionId);
      const cap = await scopeCeilingCap(scope);
      if (ceiling !== null && ceiling > cap) throw new ValidationError({ ceiling: { key: "regions:ceilingAboveYours", params: { cap } } });
      const updated = await only(tx.update(schema.regions).set({ phaseCeiling: ceiling }).where(eq(schema.regions.id, region.id)).returning());
      const lowered: string[] = [];
      if (ceiling !== null) {
        const below = (await regionSubtreeIds(region.id)).filter((id) => id !== region.id);
        if (below.length) {
          for (const r of await tx
                      .update(schema.regions)
                      .set({ phaseCeiling: ceiling })
                      .where(and(inArray(schema.regions.id, below), gt(schema.regions.phaseCeiling, ceiling)))
                      .returning({ id: schema.regions.id }))
            lowered.push(r.id);
        }
        // Schools' own ceilings are lowered the same way, so a school never shows a ceiling it cannot have.
        for (const s of await tx
                  .update(schema.schools)
                  .set({ phaseCeiling: ceiling })
                  .where(and(inArray(schema.schools.regionId, await regionSubtreeIds(region.id)), gt(schema.schools.phaseCeiling, ceiling)))
                  .returning({ id: schema.schools.id }))
          lowered.push(s.id);
      }
      if (region.phaseCeiling !== ceiling || lowered.length) await recordAudit({ actorId: scope.actor.id, action: "region.ceiling", targetType: "region", targetId: region.id, detail: { from: region.phaseCeiling, to: ceiling, lowered } }, tx);
      return { region: updated, lowered };
    },
    { behavior: "immediate" },
  );
}


/**
 * Sets (or clears) the phase ceiling of one school of the scope's subtree (schools in the scope's own
 * region too: a ceiling there only narrows), never above the scope's own ceiling. As with a region's
 * ceiling, the school keeps its phase; its spaces follow the lower of the two until the ceiling rises.
 * A school outside the subtree answers as unknown.
 */
export async function setSchoolCeiling(actor: Actor, schoolId: string, raw: { ceiling: unknown }): Promise<{ from: number | null; to: number | null }> {
  const scope = requireRegionScope(actor);
  const parsed = ceilingInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const { ceiling } = parsed.data;
  return db().transaction(
    async (tx) => {
      const school = await first(tx.select().from(schema.schools).where(eq(schema.schools.id, schoolId)).limit(1));
      if (!school || !await regionInScope(scope, school.regionId)) throw new NotFoundError();
      const cap = await scopeCeilingCap(scope);
      if (ceiling !== null && ceiling > cap) throw new ValidationError({ ceiling: { key: "regions:ceilingAboveYours", params: { cap } } });
      const from = school.phaseCeiling;
      if (from === ceiling) return { from, to: ceiling };
      await tx.update(schema.schools).set({ phaseCeiling: ceiling }).where(eq(schema.schools.id, school.id));
      await recordAudit({ actorId: scope.actor.id, action: "school.ceiling", targetType: "school", targetId: school.id, schoolId: school.id, detail: { from, to: ceiling } }, tx);
      return { from, to: ceiling };
    },
    { behavior: "immediate" },
  );
}
