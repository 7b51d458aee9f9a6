// Schools: who may manage one, what a school admin's home shows of theirs, and how region admins
// create and edit them.
import { and, eq, isNull, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema, type DB, first, only } from "#db/client";
import { LOCALES, STAGES } from "#db/schema";
import { requireActingAs, type Actor, type SignedInActor } from "../foundation/actor.server";
import { recordAudit } from "../foundation/audit.server";
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors, fieldErrorsOf } from "../foundation/errors.server";
import { randomId } from "../foundation/ids.server";
import {
  effectivePhase,
  schoolCeiling,
  type CeilingSource,
  findRegion,
  isWithinRegion,
  regionInScope,
  regionPath,
  requireRegionScope,
  type RegionScope,
} from "./regions.server";
import { oncePerRequest } from "~/lib/request-scope.server";

export type School = typeof schema.schools.$inferSelect;

/** A school by id (looked up once per read-only request). */
export async function findSchool(schoolId: string): Promise<School | undefined> {
  return oncePerRequest(`school:${schoolId}`, async () => first(db().select().from(schema.schools).where(eq(schema.schools.id, schoolId)).limit(1)));
}

/**
 * Whether students' posts and comments at this school wait for a teacher's approval: the school's own
 * setting, or by default on for primary (and preschool) schools, where the pupils are youngest.
 */
export function studentContentApprovalOf(school: Pick<School, "stage" | "studentContentApproval">): { required: boolean; stageDefault: boolean; setting: "default" | "on" | "off" } {
  const stageDefault = school.stage === "primary" || school.stage === "preschool";
  const setting = school.studentContentApproval === null ? "default" : school.studentContentApproval ? "on" : "off";
  return { required: school.studentContentApproval ?? stageDefault, stageDefault, setting };
}

/**
 * Whether the actor, in the role they act in now, administers the school: its school admin, a region
 * admin of a region above it, or the platform admin.
 */
export async function canManageSchool(actor: SignedInActor, schoolId: string): Promise<boolean> {
  const grant = actor.roles.find((g) => g.role === actor.activeRole);
  if (!grant) return false;
  switch (grant.role) {
    case "platform_admin":
      return true;
    case "school_admin":
      return grant.schoolId === schoolId;
    case "region_admin": {
      const school = await findSchool(schoolId);
      return Boolean(school && grant.regionId && await isWithinRegion(school.regionId, grant.regionId));
    }
    default:
      return false;
  }
}

export type SchoolOverview = {
  school: School;
  phaseCeiling: number | null;
  teachers: number;
  students: number;
  parents: number;
  activated: number;
  provisioned: number;
  classes: number;
};

/** What a school admin's home shows: their school, its phase and how many have activated. */
export async function schoolOverview(actor: Actor): Promise<SchoolOverview> {
  const { grant } = requireActingAs(actor, "school_admin");
  const school = grant.schoolId ? await findSchool(grant.schoolId) : undefined;
  if (!school) throw new NotFoundError();
  const count = async (role: "teacher" | "student") =>
    (await first(db()
            .select({ n: sql<number>`count(*)` })
            .from(schema.userRoles)
            .where(and(eq(schema.userRoles.schoolId, school.id), eq(schema.userRoles.role, role))).limit(1)))!.n;
  const statuses = await db()
      .select({ status: schema.users.status, n: sql<number>`count(*)` })
      .from(schema.users)
      .where(eq(schema.users.schoolId, school.id))
      .groupBy(schema.users.status);
  const parents = (await first(db()
      .select({ n: sql<number>`count(distinct ${schema.guardianLinks.guardianId})` })
      .from(schema.guardianLinks)
      .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.studentId))
      .where(eq(schema.users.schoolId, school.id)).limit(1)))!.n;
  const classes = (await first(db()
      .select({ n: sql<number>`count(*)` })
      .from(schema.classes)
      .where(and(eq(schema.classes.schoolId, school.id), isNull(schema.classes.archivedAt))).limit(1)))!.n;
  return {
    school,
    phaseCeiling: (await schoolCeiling(school)).ceiling,
    teachers: await count("teacher"),
    students: await count("student"),
    parents,
    activated: statuses.find((s) => s.status === "active")?.n ?? 0,
    provisioned: statuses.find((s) => s.status === "provisioned")?.n ?? 0,
    classes,
  };
}

// ——— Creating and editing schools (region admins within their subtree; the platform admin everywhere) ———

/** Tags the platform knows by name (rules and flags target them); others may be added freely. */
export const KNOWN_SCHOOL_TAGS = ["ethnic-area", "remote", "vocational-pilot", "boarding", "rural"] as const;

const TAG = /^[a-z0-9][a-z0-9-]{1,31}$/;
const schoolInput = z.object({
  name: z.string().trim().min(1, "regions:schoolNameRequired").max(80, "regions:nameTooLong"),
  stage: z.enum(STAGES, { error: "regions:stageInvalid" }),
  defaultLocale: z.enum(LOCALES, { error: "regions:localeInvalid" }),
  tags: z
    .array(z.string().trim().toLowerCase())
    .max(12, "regions:tooManyTags")
    .transform((tags) => [...new Set(tags.filter(Boolean))])
    .refine((tags) => tags.every((t) => TAG.test(t)), "regions:tagInvalid"),
  loginPrefix: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]{2,24}$/, "regions:prefixInvalid"),
});
/** The school form as it arrives: plain strings, checked by the schema above. */
export type SchoolInput = { name: string; stage: string; defaultLocale: string; tags: string[]; loginPrefix: string };

function parseSchool(raw: SchoolInput) {
  const parsed = schoolInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  return parsed.data;
}

/** The school if it lies in the scope; refuses otherwise without saying whether it exists. */
async function requireSchoolInScope(scope: RegionScope, schoolId: string): Promise<School> {
  const school = await findSchool(schoolId);
  if (!school || !await regionInScope(scope, school.regionId)) throw new ForbiddenError();
  return school;
}

async function checkUnique(input: { name: string; loginPrefix: string }, regionId: string, exceptId?: string) {
  const fields: FieldErrors = {};
  const sameName = await first(db()
      .select({ id: schema.schools.id })
      .from(schema.schools)
      .where(and(eq(schema.schools.regionId, regionId), eq(schema.schools.name, input.name))).limit(1));
  if (sameName && sameName.id !== exceptId) fields.name = { key: "regions:schoolNameTaken", params: { name: input.name } };
  const samePrefix = await first(db().select({ id: schema.schools.id }).from(schema.schools).where(eq(schema.schools.loginPrefix, input.loginPrefix)).limit(1));
  if (samePrefix && samePrefix.id !== exceptId) fields.loginPrefix = { key: "regions:prefixTaken", params: { prefix: input.loginPrefix } };
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

/** Creates a school in a region of the scope's subtree. New schools start closed (phase 0). */
export async function createSchool(actor: Actor, regionId: string, raw: SchoolInput): Promise<School> {
  const scope = requireRegionScope(actor);
  const input = parseSchool(raw);
  return db().transaction(
    async (tx) => {
      if (!regionId || !await findRegion(regionId)) throw new ValidationError({ regionId: { key: "regions:parentRequired" } });
      if (!await regionInScope(scope, regionId)) throw new ForbiddenError();
      await checkUnique(input, regionId);
      const school = await only(tx
              .insert(schema.schools)
              .values({ id: randomId(), regionId, name: input.name, stage: input.stage, defaultLocale: input.defaultLocale, tags: input.tags, loginPrefix: input.loginPrefix, phase: 0 })
              .returning());
      await recordAudit({ actorId: scope.actor.id, action: "school.create", targetType: "school", targetId: school.id, schoolId: school.id, detail: { regionId, ...input } }, tx);
      return school;
    },
    { behavior: "immediate" },
  );
}

/** Edits a school of the scope's subtree: name, stage, default locale, tags, login prefix. */
export async function updateSchool(actor: Actor, schoolId: string, raw: SchoolInput): Promise<School> {
  const scope = requireRegionScope(actor);
  const input = parseSchool(raw);
  return db().transaction(
    async (tx) => {
      const before = await requireSchoolInScope(scope, schoolId);
      await checkUnique(input, before.regionId, before.id);
      const after = await only(tx
              .update(schema.schools)
              .set({ name: input.name, stage: input.stage, defaultLocale: input.defaultLocale, tags: input.tags, loginPrefix: input.loginPrefix })
              .where(eq(schema.schools.id, before.id))
              .returning());
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of ["name", "stage", "defaultLocale", "tags", "loginPrefix"] as const) {
        if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { from: before[key], to: after[key] };
      }
      if (Object.keys(changes).length) await recordAudit({ actorId: scope.actor.id, action: "school.update", targetType: "school", targetId: before.id, schoolId: before.id, detail: changes }, tx);
      return after;
    },
    { behavior: "immediate" },
  );
}

export type SchoolForEdit = {
  school: School;
  regionPath: string[];
  /** The ceiling in force over the school (the lowest of its own and its regions') and where it comes from. */
  ceiling: number | null;
  ceilingSource: CeilingSource | null;
  effectivePhase: number;
};

/** A school of the scope's subtree as its edit page shows it. */
export async function schoolForEdit(actor: Actor, schoolId: string): Promise<SchoolForEdit> {
  const scope = requireRegionScope(actor);
  const school = await requireSchoolInScope(scope, schoolId);
  const { ceiling, source: ceilingSource } = await schoolCeiling(school);
  return { school, ceilingSource, regionPath: (await regionPath(school.regionId)).map((r) => r.name).reverse(), ceiling, effectivePhase: effectivePhase(school.phase, ceiling) };
}

/**
 * A current (not disabled) student of the school, found by what an admin types: login name, the
 * school's student number, or id. Students of other schools are not found, so an admin learns nothing
 * about them.
 */
export async function studentOfSchool(tx: Pick<DB, "select">, schoolId: string, ref: string): Promise<{ id: string; realName: string } | undefined> {
  const typed = ref.trim();
  return first(tx
      .select({ id: schema.users.id, realName: schema.users.realName })
      .from(schema.userRoles)
      .innerJoin(schema.users, eq(schema.users.id, schema.userRoles.userId))
      .where(
        and(
          eq(schema.userRoles.role, "student"),
          eq(schema.userRoles.schoolId, schoolId),
          ne(schema.users.status, "disabled"),
          or(eq(schema.users.id, typed), eq(schema.users.loginName, typed.normalize("NFKC").toLowerCase()), eq(schema.users.studentNumber, typed)),
        ),
      ).limit(1));
}
