// Phased rollout (DESIGN.md §5): a school's phase, capped by the nearest region ceiling, decides whose
// spaces are open — teachers from phase 1, students from 2, parents from 3 — and a student under 14
// also needs guardian consent on record (PIPL art. 31). Moving a phase down only closes spaces:
// nothing is deleted, so moving it up again reopens them as they were.
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import { filterInOrder, someInOrder } from "~/lib/in-order";
import { z } from "zod";
import { db, schema, first, spell } from "#db/client";
import type { Role } from "#db/schema";
import { requireActingAs, requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { recordAudit } from "../foundation/audit.server";
import { CONSENT_KIND, consentColumns, hasConsent, isUnderConsentAge } from "../people/consent-state.server";
import { shanghaiToday } from "../foundation/beijing-time.server";
import { DomainError, ForbiddenError, NotFoundError, ValidationError, fieldErrorsOf } from "../foundation/errors.server";
import { randomId } from "../foundation/ids.server";
import { schoolCeiling } from "../places/regions.server";
import { PUPIL_PAGE_SIZE, pupilPageOf, type PupilPage, type PupilQuery, type PupilRow } from "../people/pupils.server";
import { canManageSchool, findSchool, studentContentApprovalOf, studentOfSchool, type School } from "../places/schools.server";
import { manyPerRequest } from "~/lib/request-scope.server";
import { schoolPlaces } from "../places/school-places.server";
import { rolesHeldBy, standingsOf } from "../people/people.server";

export const MAX_PHASE = 3;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // China has no daylight saving time

export type SpaceRole = "teacher" | "student" | "parent";
export type ClosedReason = "phase" | "consent" | "disabled";
export type SpaceStatus = { open: true } | { open: false; reason: ClosedReason };

/** The phase from which each role's spaces open. */
export const OPENS_AT: Record<SpaceRole, number> = { teacher: 1, student: 2, parent: 3 };

/** The ceiling over the school: the lowest of its own and its regions' (none = 3). */
export async function phaseCeilingOf(school: Pick<School, "regionId" | "phaseCeiling">): Promise<number> {
  return (await schoolCeiling(school)).ceiling ?? MAX_PHASE;
}

/** The phase a school's spaces actually follow: its own, never above its ceiling. */
export async function effectivePhase(school: Pick<School, "phase" | "regionId" | "phaseCeiling">): Promise<number> {
  return Math.min(school.phase, await phaseCeilingOf(school));
}

/** Memoises effective phases within one computation (a ceiling lookup walks the region tree). */
function phaseLookup() {
  const cache = new Map<string, number>();
  return async (schoolId: string | null | undefined): Promise<number> => {
    if (!schoolId) return 0;
    let phase = cache.get(schoolId);
    if (phase === undefined) {
      phase = (await phasesOf([schoolId]))(schoolId);
      cache.set(schoolId, phase);
    }
    return phase;
  };
}

/**
 * Effective phases of several schools in one statement: each school's phase, never above the lowest
 * ceiling of the school and its regions (effectivePhase, without a statement per school or region).
 * Each school is read once per request; 0 for none.
 */
export async function phasesOf(schoolIds: (string | null | undefined)[]): Promise<(schoolId: string | null | undefined) => number> {
  const places = await schoolPlaces(schoolIds.filter((id): id is string => Boolean(id)));
  return (schoolId) => {
    const place = schoolId ? places.get(schoolId) : undefined;
    if (!place) return 0;
    const ceilings = [place.ceiling, place.regionCeiling].filter((c): c is number => c !== null);
    return Math.min(place.phase, ceilings.length ? Math.min(...ceilings) : MAX_PHASE);
  };
}

/** A school's effective phase (effectivePhase) in one statement; 0 for none. */
export async function effectivePhaseOf(schoolId: string | null | undefined): Promise<number> {
  return (await phasesOf([schoolId]))(schoolId);
}

/**
 * The students among `studentIds` with guardian consent on record. The newest paper/online record
 * counts; a guardian link's "given" counts too, unless a record entered after it says otherwise
 * (a guardian who withdraws on paper closes the space even if a parent once agreed online).
 */
export async function studentsWithConsent(studentIds: string[]): Promise<Set<string>> {
  const known = await manyPerRequest(CONSENT_KIND, studentIds, async (ids) => {
    const found = await consentedAmong(ids);
    return new Map(ids.map((id) => [id, found.has(id)]));
  });
  return new Set([...known].filter(([, consented]) => consented).map(([id]) => id));
}

/** Who of these students has consent now (consent-state.server's rule), in one statement. */
async function consentedAmong(studentIds: string[]): Promise<Set<string>> {
  if (!studentIds.length) return new Set();
  const rows = await db()
      .select({ id: schema.users.id, ...consentColumns() })
      .from(schema.users)
      .where(inArray(schema.users.id, studentIds));
  return new Set(rows.filter(hasConsent).map((r) => r.id));
}

type Person = { id: string; status: string; birthDate: string | null; schoolId: string | null };

async function statusAs(person: Person, role: SpaceRole, schoolId: string | null, phaseOf: (schoolId: string | null | undefined) => Promise<number>, today: string): Promise<SpaceStatus> {
  if (person.status === "disabled") return { open: false, reason: "disabled" };
  if (role === "parent") {
    const childSchools = await db()
          .select({ schoolId: schema.users.schoolId })
          .from(schema.guardianLinks)
          .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.studentId))
          .where(eq(schema.guardianLinks.guardianId, person.id));
    return (await someInOrder(childSchools, async (c) => await phaseOf(c.schoolId) >= OPENS_AT.parent)) ? { open: true } : { open: false, reason: "phase" };
  }
  if (await phaseOf(schoolId ?? person.schoolId) < OPENS_AT[role]) return { open: false, reason: "phase" };
  if (role === "student" && isUnderConsentAge(person.birthDate, today) && !(await studentsWithConsent([person.id])).has(person.id)) {
    return { open: false, reason: "consent" };
  }
  return { open: true };
}

async function personRow(userId: string): Promise<Person | undefined> {
  return (await standingsOf([userId])).get(userId);
}

/**
 * The status of a person's space in one role, for other domain modules that have already decided
 * the actor may see that person (e.g. spaces.server's space home). Not for routes: it checks nobody.
 */
export async function ownerSpaceStatus(userId: string, role: SpaceRole, now = Date.now()): Promise<SpaceStatus> {
  const person = await personRow(userId);
  if (!person) throw new NotFoundError();
  const grant = (await rolesHeldBy([userId])).get(userId)?.find((g) => g.role === role);
  return statusAs(person, role, grant?.schoolId ?? null, phaseLookup(), shanghaiToday(now));
}

/**
 * ownerSpaceStatus for many people at once, in a fixed number of statements whatever their number
 * (lists of people and of their content: a class, a feed). The same rules as statusAs, item by item.
 */
export async function ownerSpaceStatuses(people: { id: string; role: SpaceRole }[], now = Date.now()): Promise<Map<string, SpaceStatus>> {
  const statuses = new Map<string, SpaceStatus>();
  if (!people.length) return statuses;
  const ids = [...new Set(people.map((p) => p.id))];
  const persons = await standingsOf(ids);
  const grants = [...(await rolesHeldBy(ids)).values()].flat();
  const parentIds = people.filter((p) => p.role === "parent").map((p) => p.id);
  const childSchools = parentIds.length
    ? await db()
              .select({ guardianId: schema.guardianLinks.guardianId, schoolId: schema.users.schoolId })
              .from(schema.guardianLinks)
              .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.studentId))
              .where(inArray(schema.guardianLinks.guardianId, parentIds))
    : [];
  const schoolOf = (p: { id: string; role: SpaceRole }) => grants.find((g) => g.userId === p.id && g.role === p.role)?.schoolId ?? persons.get(p.id)?.schoolId ?? null;
  const phaseOf = await phasesOf([...people.map(schoolOf), ...childSchools.map((c) => c.schoolId)]);
  const today = shanghaiToday(now);
  const needConsent = people.filter((p) => p.role === "student" && persons.has(p.id) && isUnderConsentAge(persons.get(p.id)!.birthDate, today)).map((p) => p.id);
  const consented = await studentsWithConsent(needConsent);
  for (const p of people) {
    const person = persons.get(p.id);
    if (!person) continue;
    let status: SpaceStatus;
    if (person.status === "disabled") status = { open: false, reason: "disabled" };
    else if (p.role === "parent") status = childSchools.some((c) => c.guardianId === p.id && phaseOf(c.schoolId) >= OPENS_AT.parent) ? { open: true } : { open: false, reason: "phase" };
    else if (phaseOf(schoolOf(p)) < OPENS_AT[p.role]) status = { open: false, reason: "phase" };
    else if (p.role === "student" && isUnderConsentAge(person.birthDate, today) && !consented.has(p.id)) status = { open: false, reason: "consent" };
    else status = { open: true };
    statuses.set(`${p.id}:${p.role}`, status);
  }
  return statuses;
}

const isSpaceRole = (role: Role): role is SpaceRole => role === "teacher" || role === "student" || role === "parent";

/**
 * Whether the actor's own space is open, in the role they act in now. Admin roles are not gated by
 * their school's phase (they are the ones who open it), so they always read as open.
 */
export async function spaceStatus(actor: Actor, now = Date.now()): Promise<SpaceStatus> {
  const signedIn = requireSignedIn(actor);
  const role = signedIn.activeRole;
  if (!isSpaceRole(role)) return { open: true };
  const person = await personRow(signedIn.id);
  if (!person) throw new NotFoundError();
  const grant = signedIn.roles.find((g) => g.role === role);
  return statusAs(person, role, grant?.schoolId ?? null, phaseLookup(), shanghaiToday(now));
}

/**
 * Another person's space status, for an admin of their school (or a region admin above it, or the
 * platform admin). `role` defaults to the person's main space role: teacher, else student, else parent.
 */
export async function spaceStatusOf(actor: Actor, userId: string, role?: SpaceRole, now = Date.now()): Promise<SpaceStatus & { role: SpaceRole }> {
  const signedIn = requireSignedIn(actor);
  const person = await personRow(userId);
  if (!person) throw new NotFoundError();
  const grants = (await rolesHeldBy([userId])).get(userId) ?? [];
  const asRole = role ?? (["teacher", "student", "parent"] as const).find((r) => grants.some((g) => g.role === r));
  const grant = grants.find((g) => g.role === asRole);
  if (!asRole || !grant) throw new NotFoundError();
  const schools =
    asRole === "parent"
      ? (await db()
                    .select({ schoolId: schema.users.schoolId })
                    .from(schema.guardianLinks)
                    .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.studentId))
                    .where(eq(schema.guardianLinks.guardianId, userId)))
          .map((c) => c.schoolId)
      : [grant.schoolId ?? person.schoolId];
  if (!isAdminRole(signedIn) || !(await someInOrder(schools, async (s) => Boolean(s && (await canManageSchool(signedIn, s)))))) throw new ForbiddenError();
  return { ...await statusAs(person, asRole, grant.schoolId, phaseLookup(), shanghaiToday(now)), role: asRole };
}

function isAdminRole(actor: SignedInActor): boolean {
  return actor.activeRole === "school_admin" || actor.activeRole === "region_admin" || actor.activeRole === "platform_admin";
}

/**
 * Refuses a closed space with a page that says why ("rollout:spaceClosed_<reason>" via i18next's
 * context, headed by "rollout:spaceClosedTitle"). Routes of space features call this first.
 */
export async function requireOpenSpace(actor: Actor): Promise<void> {
  const status = await spaceStatus(actor);
  if (!status.open) throw new DomainError("rollout:spaceClosed", 403, { reason: status.reason, context: status.reason });
}

// ---------------------------------------------------------------------------------------------
// The school admin's rollout page: phase, who is open, who still needs consent.

async function ownSchool(actor: Actor, schoolId?: string): Promise<{ admin: SignedInActor; school: School }> {
  const { actor: admin, grant } = requireActingAs(actor, "school_admin");
  if (!grant.schoolId || (schoolId !== undefined && schoolId !== grant.schoolId)) throw new ForbiddenError();
  const school = await findSchool(grant.schoolId);
  if (!school) throw new ForbiddenError();
  return { admin, school };
}

export type RoleCounts = { open: number; closed: number };

export type RolloutOverview = {
  school: School;
  ceiling: number;
  effectivePhase: number;
  counts: Record<SpaceRole, RoleCounts>;
  /** How many students under 14 wait for guardian consent (whatever the phase). */
  missingConsentTotal: number;
  /** One page of the school's pupils for the consent list: by default the under-14s still waiting. */
  pupils: PupilPage;
  /** Whether students' posts and comments wait for a teacher, and where that comes from. */
  studentApproval: Awaited<ReturnType<typeof studentContentApprovalOf>>;
};

export const ROLLOUT_LIST_DEFAULT: PupilQuery = { q: "", classId: null, consent: "missing", page: 1 };

export async function rolloutOverview(actor: Actor, pupilQuery: PupilQuery = ROLLOUT_LIST_DEFAULT, now = Date.now()): Promise<RolloutOverview> {
  const { school } = await ownSchool(actor);
  const today = shanghaiToday(now);
  const ceiling = await phaseCeilingOf(school);
  const phase = Math.min(school.phase, ceiling);
  const members = async (role: "teacher" | "student") =>
    db()
            .select({ id: schema.users.id, status: schema.users.status, birthDate: schema.users.birthDate })
            .from(schema.userRoles)
            .innerJoin(schema.users, eq(schema.users.id, schema.userRoles.userId))
            .where(and(eq(schema.userRoles.schoolId, school.id), eq(schema.userRoles.role, role)));
  const teachers = await members("teacher");
  const students = await members("student");
  const consented = await studentsWithConsent(students.map((s) => s.id));
  const waiting = new Set(students.filter((s) => s.status !== "disabled" && isUnderConsentAge(s.birthDate, today) && !consented.has(s.id)).map((s) => s.id));

  const count = <T>(rows: T[], isOpen: (row: T) => boolean): RoleCounts => {
    const open = rows.filter(isOpen).length;
    return { open, closed: rows.length - open };
  };
  // A parent's space is open when any of their children's schools is at phase 3, this one or another.
  const phaseOf = phaseLookup();
  const parentLinks = await db()
      .select({ guardianId: schema.guardianLinks.guardianId, status: schema.users.status })
      .from(schema.guardianLinks)
      .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.guardianId))
      .where(inArray(schema.guardianLinks.studentId, db().select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.schoolId, school.id))));
  const parentIds = [...new Set(parentLinks.map((p) => p.guardianId))];
  const childSchools = parentIds.length
    ? await db()
              .select({ guardianId: schema.guardianLinks.guardianId, schoolId: schema.users.schoolId })
              .from(schema.guardianLinks)
              .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.studentId))
              .where(inArray(schema.guardianLinks.guardianId, parentIds))
    : [];
  const parentStatus = new Map(parentLinks.map((p) => [p.guardianId, p.status]));
  const openParents = new Set((await filterInOrder(childSchools, async (c) => await phaseOf(c.schoolId) >= OPENS_AT.parent)).map((c) => c.guardianId));
  const parents = parentIds.map((id) => ({ id, status: parentStatus.get(id)! }));

  return {
    school,
    ceiling,
    effectivePhase: phase,
    studentApproval: studentContentApprovalOf(school),
    counts: {
      teacher: count(teachers, (t) => t.status !== "disabled" && phase >= OPENS_AT.teacher),
      student: count(students, (s) => s.status !== "disabled" && phase >= OPENS_AT.student && !waiting.has(s.id)),
      parent: count(parents, (p) => p.status !== "disabled" && openParents.has(p.id)),
    },
    missingConsentTotal: waiting.size,
    pupils: await pupilPageOf(school.id, pupilQuery, undefined, now),
  };
}

const phaseInput = z.coerce.number({ error: "rollout:phaseInvalid" }).int("rollout:phaseInvalid").min(0, "rollout:phaseInvalid").max(MAX_PHASE, "rollout:phaseInvalid");

/**
 * Moves the school admin's own school to `phase`, never above its region's ceiling. Moving down closes
 * spaces without deleting anything.
 */
export async function setSchoolPhase(actor: Actor, schoolId: string, rawPhase: unknown): Promise<{ from: number; to: number }> {
  const { admin, school } = await ownSchool(actor, schoolId);
  const parsed = phaseInput.safeParse(rawPhase);
  if (!parsed.success) throw new ValidationError({ phase: { key: "rollout:phaseInvalid" } });
  const to = parsed.data;
  const ceiling = await phaseCeilingOf(school);
  if (to > ceiling) throw new ValidationError({ phase: { key: "rollout:aboveCeiling", params: { ceiling } } });
  return db().transaction(
    async (tx) => {
      const from = (await first(tx.select({ phase: schema.schools.phase }).from(schema.schools).where(eq(schema.schools.id, school.id)).limit(1)))!.phase;
      if (from === to) return { from, to };
      await tx.update(schema.schools).set({ phase: to }).where(eq(schema.schools.id, school.id));
      await recordAudit({ actorId: admin.id, action: "school.phase_change", targetType: "school", targetId: school.id, schoolId: school.id, detail: { from, to, ceiling } }, tx);
      return { from, to };
    },
    { behavior: "immediate" },
  );
}

const APPROVAL_SETTINGS = { default: null, on: true, off: false } as const;

/**
 * Sets whether students' posts and comments at the admin's own school wait for a teacher's approval:
 * "on", "off", or "default" (by stage: on for primary schools). Content already waiting stays waiting.
 */
export async function setStudentContentApproval(actor: Actor, schoolId: string, raw: unknown): Promise<void> {
  const { admin, school } = await ownSchool(actor, schoolId);
  if (typeof raw !== "string" || !Object.hasOwn(APPROVAL_SETTINGS, raw)) throw new ValidationError({ approval: { key: "rollout:approvalInvalid" } });
  const to = APPROVAL_SETTINGS[raw as keyof typeof APPROVAL_SETTINGS];
  await db().transaction(
    async (tx) => {
      const from = (await first(tx.select({ value: schema.schools.studentContentApproval }).from(schema.schools).where(eq(schema.schools.id, school.id)).limit(1)))!.value;
      if (from === to) return;
      await tx.update(schema.schools).set({ studentContentApproval: to }).where(eq(schema.schools.id, school.id));
      await recordAudit({ actorId: admin.id, action: "school.content_approval", targetType: "school", targetId: school.id, schoolId: school.id, detail: { from, to } }, tx);
    },
    { behavior: "immediate" },
  );
}

export const CONSENT_DECISIONS = ["given", "refused", "withdrawn"] as const;

/**
 * The day a guardian signed (YYYY-MM-DD, a real calendar day, not in the future in Beijing) as the
 * instant stored: midnight Beijing time.
 */
function signedOnInstant(signedOn: string, now: number): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(signedOn)) throw new ValidationError({ signedOn: { key: "rollout:signedOnInvalid" } });
  const [y, m, d] = signedOn.split("-").map(Number) as [number, number, number];
  const signedUtc = Date.UTC(y, m - 1, d);
  const calendarDate = new Date(signedUtc).toISOString().slice(0, 10) === signedOn;
  if (!calendarDate || y < 2000) throw new ValidationError({ signedOn: { key: "rollout:signedOnInvalid" } });
  if (signedOn > shanghaiToday(now)) throw new ValidationError({ signedOn: { key: "rollout:signedOnFuture" } });
  return new Date(signedUtc - SHANGHAI_OFFSET_MS);
}

const consentInput = z.object({
  student: z.string().trim().min(1, "rollout:studentRequired").max(64, "rollout:studentNotFound"),
  guardianName: z.string().trim().min(1, "rollout:guardianNameRequired").max(50, "rollout:guardianNameTooLong"),
  signedOn: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, "rollout:signedOnInvalid"),
  decision: z.enum(CONSENT_DECISIONS, { error: "rollout:decisionRequired" }),
  note: z.string().trim().max(500, "rollout:noteTooLong").optional().default(""),
});
export type ConsentInput = { student: string; guardianName: string; signedOn: string; decision: string; note?: string };


/**
 * Records a guardian's paper consent form (given, refused or withdrawn) for a student of the admin's
 * school. `student` is the login name or the school's student number. The newest record counts.
 */
export async function recordConsent(actor: Actor, raw: ConsentInput, now = Date.now()): Promise<{ recordId: string; studentId: string }> {
  const { admin, school } = await ownSchool(actor);
  const parsed = consentInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const input = parsed.data;
  const signedAt = signedOnInstant(input.signedOn, now);

  return db().transaction(
    async (tx) => {
      const student = await studentOfSchool(tx, school.id, input.student);
      // Another school's student reads as unknown: a school admin learns nothing about other schools.
      if (!student) throw new ValidationError({ student: { key: "rollout:studentNotFound" } });
      // The same paper entered twice (same decision, guardian and date as the newest record) is one record.
      const newest = await first(tx
              .select({ id: schema.consentRecords.id, method: schema.consentRecords.method, decision: schema.consentRecords.decision, guardianName: schema.consentRecords.guardianName, decidedAt: schema.consentRecords.decidedAt })
              .from(schema.consentRecords)
              .where(eq(schema.consentRecords.studentId, student.id))
              .orderBy(desc(schema.consentRecords.decidedAt), desc(schema.consentRecords.createdAt)).limit(1));
      if (newest && newest.method === "paper" && newest.decision === input.decision && newest.guardianName === input.guardianName && newest.decidedAt.getTime() === signedAt.getTime()) return { recordId: newest.id, studentId: student.id };
      const recordId = randomId();
      await tx.insert(schema.consentRecords)
              .values({
                id: recordId,
                studentId: student.id,
                guardianName: input.guardianName,
                method: "paper",
                decision: input.decision,
                // The day the guardian signed, at midnight Beijing time.
                decidedAt: signedAt,
                recordedBy: admin.id,
                note: input.note || null,
                createdAt: new Date(now),
              });
      await recordAudit(
        {
          actorId: admin.id,
          action: "consent.record",
          targetType: "user",
          targetId: student.id,
          schoolId: school.id,
          detail: { recordId, decision: input.decision, method: "paper", guardian: input.guardianName, signedOn: input.signedOn },
        },
        tx,
      );
      return { recordId, studentId: student.id };
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------------
// Paper consent for a whole class at once: the forms come back in a pile after a parents' meeting.

export type ConsentChecklist = {
  klass: { id: string; name: string };
  /** The class's under-14s still waiting, with the guardian named on the roster when known. */
  pupils: (PupilRow & { guardianName: string | null })[];
  /** The school's teachers and admins, who may have seen the papers. */
  staff: { id: string; realName: string; loginName: string }[];
  /** The acting admin: whoever types the forms in has usually seen them. */
  defaultSeenBy: string;
};

async function classOfSchool(schoolId: string, classId: string) {
  const klass = await first(db().select({ id: schema.classes.id, name: schema.classes.name, schoolId: schema.classes.schoolId }).from(schema.classes).where(eq(schema.classes.id, classId)).limit(1));
  // Another school's class reads as unknown, like an id that does not exist.
  if (!klass || klass.schoolId !== schoolId) throw new NotFoundError();
  return klass;
}

async function schoolStaff(schoolId: string) {
  return db()
      .selectDistinct({ id: schema.users.id, realName: schema.users.realName, loginName: schema.users.loginName })
      .from(schema.userRoles)
      .innerJoin(schema.users, eq(schema.users.id, schema.userRoles.userId))
      .where(and(eq(schema.userRoles.schoolId, schoolId), inArray(schema.userRoles.role, ["teacher", "school_admin"]), ne(schema.users.status, "disabled")))
      .orderBy(schema.users.loginName);
}

/** What the bulk paper-consent form lists for one class of the admin's own school. */
export async function consentChecklist(actor: Actor, classId: string, now = Date.now()): Promise<ConsentChecklist> {
  const { admin, school } = await ownSchool(actor);
  const klass = await classOfSchool(school.id, classId);
  const page = await pupilPageOf(school.id, { q: "", classId: klass.id, consent: "missing", page: 1 }, PUPIL_PAGE_SIZE, now);
  const ids = page.rows.map((r) => r.studentId);
  const contacts = ids.length
    ? await db()
              .select({ studentId: schema.guardianContacts.studentId, name: schema.guardianContacts.name })
              .from(schema.guardianContacts)
              .where(inArray(schema.guardianContacts.studentId, ids))
              .orderBy(schema.guardianContacts.createdAt, spell.insertionOrder())
    : [];
  const guardianOf = new Map<string, string>();
  for (const c of contacts) if (!guardianOf.has(c.studentId)) guardianOf.set(c.studentId, c.name);
  return {
    klass: { id: klass.id, name: klass.name },
    pupils: page.rows.map((r) => ({ ...r, guardianName: guardianOf.get(r.studentId) ?? null })),
    staff: await schoolStaff(school.id),
    defaultSeenBy: admin.id,
  };
}

const classConsentInput = z.object({
  students: z.array(z.string().trim().min(1).max(64)).min(1, "rollout:bulk.noneChosen"),
  signedOn: z.string().trim(),
  seenBy: z.string().trim().min(1, "rollout:bulk.seenByInvalid"),
  guardianNames: z.record(z.string(), z.string().trim().max(50, "rollout:guardianNameTooLong")).optional().default({}),
  defaultGuardianName: z.string().trim().min(1).max(50),
});
export type ClassConsentInput = { students: string[]; signedOn: string; seenBy: string; guardianNames?: Record<string, string>; defaultGuardianName: string };

/**
 * Records "given" on paper for the ticked under-14s of one class of the admin's own school: one
 * signing date, the staff member who saw the papers, each pupil's guardian as typed (else the roster's
 * guardian, else `defaultGuardianName`, the form's translated "guardian (paper form)"). One
 * transaction and one audit entry listing the pupils; pupils whose consent is already given are left
 * as they are, and nothing at all is written when nobody needed it.
 */
export async function recordClassPaperConsent(actor: Actor, classId: string, raw: ClassConsentInput, now = Date.now()): Promise<{ recorded: number; alreadyGiven: number }> {
  const { admin, school } = await ownSchool(actor);
  const klass = await classOfSchool(school.id, classId);
  const parsed = classConsentInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const input = parsed.data;
  const signedAt = signedOnInstant(input.signedOn, now);
  const seenBy = (await schoolStaff(school.id)).find((s) => s.id === input.seenBy);
  if (!seenBy) throw new ValidationError({ seenBy: { key: "rollout:bulk.seenByInvalid" } });
  const wanted = [...new Set(input.students)];
  // The checklist shows one page; more ids than that did not come from it.
  if (wanted.length > PUPIL_PAGE_SIZE) throw new ValidationError({}, "rollout:bulk.pupilNotInClass");

  return db().transaction(
    async (tx) => {
      const pupils = await tx
              .select({ id: schema.users.id, realName: schema.users.realName })
              .from(schema.classMemberships)
              .innerJoin(schema.users, eq(schema.users.id, schema.classMemberships.userId))
              .where(and(eq(schema.classMemberships.classId, klass.id), eq(schema.classMemberships.role, "student"), inArray(schema.users.id, wanted), ne(schema.users.status, "disabled")));
      if (pupils.length !== wanted.length) throw new ValidationError({}, "rollout:bulk.pupilNotInClass");
      // Read inside the write lock: a parent consenting online meanwhile is not recorded over.
      const given = await studentsWithConsent(wanted);
      const toRecord = pupils.filter((p) => !given.has(p.id));
      if (!toRecord.length) return { recorded: 0, alreadyGiven: given.size };
      const contacts = await tx
              .select({ studentId: schema.guardianContacts.studentId, name: schema.guardianContacts.name })
              .from(schema.guardianContacts)
              .where(inArray(schema.guardianContacts.studentId, toRecord.map((p) => p.id)))
              .orderBy(schema.guardianContacts.createdAt, spell.insertionOrder());
      const rosterGuardian = new Map<string, string>();
      for (const c of contacts) if (!rosterGuardian.has(c.studentId)) rosterGuardian.set(c.studentId, c.name);
      const at = new Date(now);
      await tx.insert(schema.consentRecords)
              .values(
                toRecord.map((p) => ({
                  id: randomId(),
                  studentId: p.id,
                  guardianName: input.guardianNames[p.id] || rosterGuardian.get(p.id) || input.defaultGuardianName,
                  method: "paper" as const,
                  decision: "given" as const,
                  decidedAt: signedAt,
                  recordedBy: admin.id,
                  seenBy: seenBy.id,
                  createdAt: at,
                })),
              );
      await recordAudit(
        {
          actorId: admin.id,
          action: "consent.record_batch",
          targetType: "class",
          targetId: klass.id,
          schoolId: school.id,
          detail: {
            className: klass.name,
            count: toRecord.length,
            decision: "given",
            method: "paper",
            signedOn: input.signedOn,
            seenBy: seenBy.realName,
            pupils: toRecord.map((p) => ({ id: p.id, name: p.realName })),
          },
        },
        tx,
      );
      return { recorded: toRecord.length, alreadyGiven: given.size };
    },
    { behavior: "immediate" },
  );
}
