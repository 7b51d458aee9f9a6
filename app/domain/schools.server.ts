// Schools: who may manage one, and what a school admin's home shows of theirs.
import { and, eq, isNull, sql } from "drizzle-orm";
import { db, schema } from "#db/client";
import { requireActingAs, type Actor, type SignedInActor } from "./actor.server";
import { NotFoundError } from "./errors.server";
import { effectivePhaseCeiling, isWithinRegion } from "./regions.server";

export type School = typeof schema.schools.$inferSelect;

export function findSchool(schoolId: string): School | undefined {
  return db().select().from(schema.schools).where(eq(schema.schools.id, schoolId)).get();
}

/**
 * Whether the actor, in the role they act in now, administers the school: its school admin, a region
 * admin of a region above it, or the platform admin.
 */
export function canManageSchool(actor: SignedInActor, schoolId: string): boolean {
  const grant = actor.roles.find((g) => g.role === actor.activeRole);
  if (!grant) return false;
  switch (grant.role) {
    case "platform_admin":
      return true;
    case "school_admin":
      return grant.schoolId === schoolId;
    case "region_admin": {
      const school = findSchool(schoolId);
      return Boolean(school && grant.regionId && isWithinRegion(school.regionId, grant.regionId));
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
export function schoolOverview(actor: Actor): SchoolOverview {
  const { grant } = requireActingAs(actor, "school_admin");
  const school = grant.schoolId ? findSchool(grant.schoolId) : undefined;
  if (!school) throw new NotFoundError();
  const count = (role: "teacher" | "student") =>
    db()
      .select({ n: sql<number>`count(*)` })
      .from(schema.userRoles)
      .where(and(eq(schema.userRoles.schoolId, school.id), eq(schema.userRoles.role, role)))
      .get()!.n;
  const statuses = db()
    .select({ status: schema.users.status, n: sql<number>`count(*)` })
    .from(schema.users)
    .where(eq(schema.users.schoolId, school.id))
    .groupBy(schema.users.status)
    .all();
  const parents = db()
    .select({ n: sql<number>`count(distinct ${schema.guardianLinks.guardianId})` })
    .from(schema.guardianLinks)
    .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.studentId))
    .where(eq(schema.users.schoolId, school.id))
    .get()!.n;
  const classes = db()
    .select({ n: sql<number>`count(*)` })
    .from(schema.classes)
    .where(and(eq(schema.classes.schoolId, school.id), isNull(schema.classes.archivedAt)))
    .get()!.n;
  return {
    school,
    phaseCeiling: effectivePhaseCeiling(school.regionId),
    teachers: count("teacher"),
    students: count("student"),
    parents,
    activated: statuses.find((s) => s.status === "active")?.n ?? 0,
    provisioned: statuses.find((s) => s.status === "provisioned")?.n ?? 0,
    classes,
  };
}
