// Class groups (班级): what a teacher or a student sees of their own classes, and how a school admin
// forms them: create, staff, move students between them, archive them at year end.
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema, first, only } from "#db/client";
import type { Stage } from "#db/schema";
import type { Lng } from "~/i18n";
import { localName, localSubject } from "~/lib/local-names";
import { requireActingAs, requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { recordAudit } from "../foundation/audit.server";
import { ForbiddenError, NotFoundError, ValidationError, fieldErrorsOf } from "../foundation/errors.server";
import { randomId } from "../foundation/ids.server";
import { findSchool, studentOfSchool, type School } from "../places/schools.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";
import { pupilPageOf, type PupilPage, type PupilQuery } from "../people/pupils.server";
import { readsOnlyOwn } from "../rollout/visibility.server";
import { mapInOrder } from "~/lib/in-order";

export type ClassSummary = {
  id: string;
  name: string;
  grade: number;
  year: number;
  schoolName: string;
  myRole: "teacher" | "student";
  isHeadTeacher: boolean;
  subject: string | null;
  students: number;
  teachers: { realName: string; subject: string | null; isHeadTeacher: boolean }[];
};

/**
 * The actor's current (not archived) classes, in the role they act in now (teacher or student). Class,
 * school and subject names in `lng` where the school gave them, else the official names.
 */
export async function myClasses(actor: Actor, lng?: Lng): Promise<ClassSummary[]> {
  const signedIn = requireSignedIn(actor);
  const role = signedIn.activeRole;
  if (role !== "teacher" && role !== "student") throw new ForbiddenError();
  // A pupil whose space is closed reads nothing of others yet: not even classmates' and teachers' names.
  if (await readsOnlyOwn(signedIn)) return [];
  const rows = await db()
      .select({
        id: schema.classes.id,
        name: schema.classes.name,
        names: schema.classes.names,
        grade: schema.classes.grade,
        year: schema.classes.year,
        schoolName: schema.schools.name,
        schoolNames: schema.schools.names,
        subjectNames: schema.schools.subjectNames,
        isHeadTeacher: schema.classMemberships.isHeadTeacher,
        subject: schema.classMemberships.subject,
        students: sql<number>`(select count(*) from class_memberships m where m.class_id = ${schema.classes.id} and m.role = 'student')`,
      })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .innerJoin(schema.schools, eq(schema.schools.id, schema.classes.schoolId))
      .where(and(eq(schema.classMemberships.userId, signedIn.id), eq(schema.classMemberships.role, role), isNull(schema.classes.archivedAt)))
      .orderBy(schema.classes.grade, schema.classes.name);
  const teachers = rows.length
    ? await db()
              .select({
                classId: schema.classMemberships.classId,
                realName: schema.users.realName,
                subject: schema.classMemberships.subject,
                isHeadTeacher: schema.classMemberships.isHeadTeacher,
              })
              .from(schema.classMemberships)
              .innerJoin(schema.users, eq(schema.users.id, schema.classMemberships.userId))
              .where(and(inArray(schema.classMemberships.classId, rows.map((r) => r.id)), eq(schema.classMemberships.role, "teacher")))
              .orderBy(sql`${schema.classMemberships.isHeadTeacher} desc`, schema.users.realName)
    : [];
  return rows.map(({ names, schoolNames, subjectNames, ...r }) => ({
    ...r,
    name: localName({ name: r.name, names }, lng),
    schoolName: localName({ name: r.schoolName, names: schoolNames }, lng),
    subject: localSubject(r.subject, subjectNames, lng),
    myRole: role,
    teachers: teachers.filter((t) => t.classId === r.id).map(({ classId: _, ...t }) => ({ ...t, subject: localSubject(t.subject, subjectNames, lng) })),
  }));
}

// ---------------------------------------------------------------------------------------------
// Administration: only the school admin of the class's own school, acting as school admin.

/** Highest grade number of each stage (grade 1 = first year of that stage). */
export const GRADE_MAX: Record<Stage, number> = {
  preschool: 3,
  primary: 6,
  junior: 3,
  senior: 3,
  vocational: 3,
  higher: 5,
  continuing: 4,
  special: 9,
};

export type SchoolClass = typeof schema.classes.$inferSelect;

/** The school year under way (named by the year it started): a new one starts in September, Beijing time. */
export function currentSchoolYear(now = Date.now()): number {
  const beijing = new Date(now + 8 * 3_600_000);
  return beijing.getUTCMonth() >= 8 ? beijing.getUTCFullYear() : beijing.getUTCFullYear() - 1;
}

const CHINESE_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一…九十九 as a number ("十二" → 12, "二十" → 20); undefined for anything else. */
function chineseNumber(text: string): number | undefined {
  const m = text.match(/^([一二两三四五六七八九])?(十)?([〇零一二两三四五六七八九])?$/u);
  if (!m || (!m[2] && m[1] && m[3])) return undefined;
  if (!m[2]) return CHINESE_DIGITS[m[1] ?? m[3] ?? ""];
  return (m[1] ? CHINESE_DIGITS[m[1]]! : 1) * 10 + (m[3] ? CHINESE_DIGITS[m[3]]! : 0);
}

/**
 * A class name folded for comparison: "5年级(2)班", "五年级（2）班", "5年级2班" and "五年级2班" are one
 * class. Width (NFKC), spaces and brackets go; Chinese numerals become digits.
 */
export function normalizeClassName(name: string): string {
  return name
    .normalize("NFKC")
    .replace(/[\s()[\]【】〔〕]+/gu, "")
    .replace(/[〇零一二两三四五六七八九十]+/gu, (run) => String(chineseNumber(run) ?? run))
    .toLowerCase();
}

const CHINESE_NUMERALS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];

/**
 * The school's grade number and the usual spelling for a class name such as "5年级(2)班" or "初一3班":
 * grade numbers run within the stage (七年级 is grade 1 of a junior school). Undefined when the name
 * does not say its grade.
 */
export function classFromName(name: string, stage: Stage): { grade: number; name: string } | undefined {
  const folded = normalizeClassName(name);
  const m = folded.match(/^(?:(\d{1,2})年级|([初高])(\d))(\d{1,2})班$/u);
  if (!m) return undefined;
  const schoolYear = m[1] ? Number(m[1]) : (m[2] === "初" ? 6 : 9) + Number(m[3]);
  const offset = stage === "junior" && schoolYear > 6 ? 6 : stage === "senior" && schoolYear > 9 ? 9 : 0;
  const grade = schoolYear - offset;
  if (grade < 1 || grade > GRADE_MAX[stage] || !CHINESE_NUMERALS[schoolYear]) return undefined;
  return { grade, name: `${CHINESE_NUMERALS[schoolYear]}年级（${Number(m[4])}）班` };
}

/** The school the actor administers as school admin; refuses every other role. */
async function adminSchool(actor: Actor): Promise<{ admin: SignedInActor; school: School }> {
  const { actor: admin, grant } = requireActingAs(actor, "school_admin");
  const school = grant.schoolId ? await findSchool(grant.schoolId) : undefined;
  if (!school) throw new ForbiddenError();
  return { admin, school };
}

/** A class of the actor's own school; another school's class reads as "not found", like an unknown id. */
async function managedClass(actor: Actor, classId: string): Promise<{ admin: SignedInActor; school: School; klass: SchoolClass }> {
  const { admin, school } = await adminSchool(actor);
  const klass = await first(db().select().from(schema.classes).where(eq(schema.classes.id, classId)).limit(1));
  if (!klass) throw new NotFoundError();
  if (klass.schoolId !== school.id) throw new NotFoundError();
  return { admin, school, klass };
}

export type ClassListRow = {
  id: string;
  name: string;
  grade: number;
  year: number;
  students: number;
  teachers: number;
  headTeacher: string | null;
};

/** The school's current classes (archived ones drop out), with member counts and head teacher. */
export async function schoolClasses(actor: Actor): Promise<{ school: School; gradeMax: number; classes: ClassListRow[] }> {
  const { school } = await adminSchool(actor);
  // Written out as "classes"."id": drizzle leaves a column unqualified when the query has no join,
  // and inside the subquery an unqualified "id" would mean users.id.
  const classes = await db()
      .select({
        id: schema.classes.id,
        name: schema.classes.name,
        grade: schema.classes.grade,
        year: schema.classes.year,
        students: sql<number>`(select count(*) from class_memberships m where m.class_id = "classes"."id" and m.role = 'student')`,
        teachers: sql<number>`(select count(*) from class_memberships m where m.class_id = "classes"."id" and m.role = 'teacher')`,
        headTeacher: sql<string | null>`(select u.real_name from class_memberships m join users u on u.id = m.user_id
        where m.class_id = "classes"."id" and m.role = 'teacher' and m.is_head_teacher limit 1)`,
      })
      .from(schema.classes)
      .where(and(eq(schema.classes.schoolId, school.id), isNull(schema.classes.archivedAt)))
      .orderBy(schema.classes.grade, schema.classes.name);
  return { school, gradeMax: GRADE_MAX[school.stage], classes };
}

export type ClassMember = { userId: string; realName: string; loginName: string; studentNumber: string | null; isHeadTeacher: boolean; subject: string | null };

export type ClassDetail = {
  klass: SchoolClass;
  teachers: ClassMember[];
  /** The page of the class's students that `pupilQuery` asks for (search, consent filter, page). */
  students: ClassMember[];
  pupils: PupilPage;
  /** All the class's students, whatever the search. */
  studentCount: number;
  /** Teachers of the school, to assign. */
  schoolTeachers: { id: string; realName: string; loginName: string }[];
  /** The school's other current classes, to move a student to. */
  otherClasses: { id: string; name: string; year: number }[];
};

const CLASS_LIST_DEFAULT: PupilQuery = { q: "", classId: null, consent: "all", page: 1 };

export async function classDetail(actor: Actor, classId: string, pupilQuery: PupilQuery = CLASS_LIST_DEFAULT): Promise<ClassDetail> {
  const { school, klass } = await managedClass(actor, classId);
  const teachers = await db()
      .select({
        userId: schema.users.id,
        realName: schema.users.realName,
        loginName: schema.users.loginName,
        studentNumber: schema.users.studentNumber,
        isHeadTeacher: schema.classMemberships.isHeadTeacher,
        subject: schema.classMemberships.subject,
      })
      .from(schema.classMemberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.classMemberships.userId))
      .where(and(eq(schema.classMemberships.classId, klass.id), eq(schema.classMemberships.role, "teacher")))
      .orderBy(sql`${schema.classMemberships.isHeadTeacher} desc`, schema.users.loginName);
  // A class of 60 is one page, but the list is paged like every list of pupils.
  const pupils = await pupilPageOf(school.id, { ...pupilQuery, classId: klass.id });
  const studentCount = (await first(db()
      .select({ n: sql<number>`count(*)` })
      .from(schema.classMemberships)
      .where(and(eq(schema.classMemberships.classId, klass.id), eq(schema.classMemberships.role, "student"))).limit(1)))!.n;
  const schoolTeachers = await db()
      .select({ id: schema.users.id, realName: schema.users.realName, loginName: schema.users.loginName })
      .from(schema.userRoles)
      .innerJoin(schema.users, eq(schema.users.id, schema.userRoles.userId))
      .where(and(eq(schema.userRoles.schoolId, school.id), eq(schema.userRoles.role, "teacher"), ne(schema.users.status, "disabled")))
      .orderBy(schema.users.loginName);
  const otherClasses = await db()
      .select({ id: schema.classes.id, name: schema.classes.name, year: schema.classes.year })
      .from(schema.classes)
      .where(and(eq(schema.classes.schoolId, school.id), isNull(schema.classes.archivedAt), ne(schema.classes.id, klass.id)))
      .orderBy(schema.classes.grade, schema.classes.name);
  return {
    klass,
    teachers,
    students: pupils.rows.map((p) => ({ userId: p.studentId, realName: p.realName, loginName: p.loginName, studentNumber: p.studentNumber, isHeadTeacher: false, subject: null })),
    pupils,
    studentCount,
    schoolTeachers,
    otherClasses,
  };
}

const classInput = z.object({
  grade: z.coerce.number({ error: "classes:gradeRequired" }).int("classes:gradeRequired"),
  name: z.string().overwrite(withoutDirectionControls).trim().min(1, "classes:nameRequired").max(40, "classes:nameTooLong"),
  year: z.coerce.number({ error: "classes:yearInvalid" }).int("classes:yearInvalid").min(2000, "classes:yearInvalid").max(2100, "classes:yearInvalid"),
});
export type ClassInput = { grade: string | number; name: string; year: string | number };

/** Creates a class in the actor's school. The name is unique within the school and school year. */
export async function createClass(actor: Actor, raw: ClassInput): Promise<SchoolClass> {
  const { admin, school } = await adminSchool(actor);
  const input = checkedClassInput(school, raw);
  return db().transaction(
    async (tx) => {
      const klass = await insertClass(tx, school, input);
      await recordAudit(
        { actorId: admin.id, action: "class.create", targetType: "class", targetId: klass.id, schoolId: school.id, detail: { name: klass.name, grade: klass.grade, year: klass.year } },
        tx,
      );
      return klass;
    },
    { behavior: "immediate" },
  );
}

/**
 * Several classes at once (the ones a roster names that the school lacks): all or none, and one
 * audit entry for the batch, on what asked for them, listing the classes.
 */
export async function createClasses(actor: Actor, raws: ClassInput[], batch: { action: string; targetType: string; targetId: string }): Promise<SchoolClass[]> {
  const { admin, school } = await adminSchool(actor);
  const inputs = raws.map((raw) => checkedClassInput(school, raw));
  if (!inputs.length) return [];
  return db().transaction(
    async (tx) => {
      const created = (await mapInOrder(inputs, async (input) => insertClass(tx, school, input)));
      await recordAudit(
        { actorId: admin.id, ...batch, schoolId: school.id, detail: { count: created.length, classNames: created.map((c) => c.name), classIds: created.map((c) => c.id), year: created[0]!.year } },
        tx,
      );
      return created;
    },
    { behavior: "immediate" },
  );
}

function checkedClassInput(school: School, raw: ClassInput) {
  const parsed = classInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const input = parsed.data;
  const gradeMax = GRADE_MAX[school.stage];
  if (input.grade < 1 || input.grade > gradeMax) throw new ValidationError({ grade: { key: "classes:gradeOutOfRange", params: { max: gradeMax } } });
  return input;
}

type Tx = Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0];

async function insertClass(tx: Tx, school: School, input: { grade: number; name: string; year: number }): Promise<SchoolClass> {
  const sameYear = await tx
      .select({ id: schema.classes.id, name: schema.classes.name })
      .from(schema.classes)
      .where(and(eq(schema.classes.schoolId, school.id), eq(schema.classes.year, input.year)));
  if (sameYear.some((c) => c.name === input.name)) throw new ValidationError({ name: { key: "classes:duplicateName", params: { year: input.year } } });
  // "5年级(2)班" next to "五年级（2）班" is the same class spelled another way: point to the one there is.
  const folded = normalizeClassName(input.name);
  const twin = sameYear.find((c) => normalizeClassName(c.name) === folded);
  if (twin) throw new ValidationError({ name: { key: "classes:sameAsExisting", params: { name: twin.name, classId: twin.id, year: input.year } } });
  return only(tx.insert(schema.classes).values({ id: randomId(), schoolId: school.id, grade: input.grade, name: input.name, year: input.year }).returning());
}

const teacherInput = z.object({
  teacherId: z.string().trim().min(1, "classes:teacherRequired"),
  subject: z.string().trim().max(30, "classes:subjectTooLong").optional().default(""),
  head: z.boolean().optional().default(false),
});

/**
 * Puts a teacher of the same school on the class, as head teacher (one per class: the previous one
 * stays as a subject teacher) and/or for a subject. Assigning someone already on the class updates them.
 */
export async function assignTeacher(actor: Actor, classId: string, raw: { teacherId: string; subject?: string; head?: boolean }): Promise<void> {
  const { admin, school, klass } = await managedClass(actor, classId);
  if (klass.archivedAt) throw new ValidationError({}, "classes:archived");
  const parsed = teacherInput.safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const input = parsed.data;
  await db().transaction(
    async (tx) => {
      const teacher = await first(tx
              .select({ id: schema.users.id, realName: schema.users.realName, status: schema.users.status })
              .from(schema.userRoles)
              .innerJoin(schema.users, eq(schema.users.id, schema.userRoles.userId))
              .where(and(eq(schema.userRoles.userId, input.teacherId), eq(schema.userRoles.role, "teacher"), eq(schema.userRoles.schoolId, school.id))).limit(1));
      if (!teacher || teacher.status === "disabled") throw new ValidationError({ teacherId: { key: "classes:teacherNotInSchool" } });
      const existing = await first(tx
              .select()
              .from(schema.classMemberships)
              .where(and(eq(schema.classMemberships.classId, klass.id), eq(schema.classMemberships.userId, teacher.id))).limit(1));
      if (existing && existing.role !== "teacher") throw new ValidationError({ teacherId: { key: "classes:teacherNotInSchool" } });
      if (input.head) {
        await tx.update(schema.classMemberships)
                  .set({ isHeadTeacher: false })
                  .where(and(eq(schema.classMemberships.classId, klass.id), eq(schema.classMemberships.role, "teacher")));
      }
      const subject = input.subject || null;
      // Assigned again as they already are: nothing changes, so nothing is audited.
      if (existing && (subject === null || subject === existing.subject) && (!input.head || existing.isHeadTeacher)) return;
      if (existing) {
        await tx.update(schema.classMemberships)
                  .set({ subject: subject ?? existing.subject, isHeadTeacher: input.head || existing.isHeadTeacher })
                  .where(and(eq(schema.classMemberships.classId, klass.id), eq(schema.classMemberships.userId, teacher.id)));
      } else {
        await tx.insert(schema.classMemberships).values({ classId: klass.id, userId: teacher.id, role: "teacher", isHeadTeacher: input.head, subject });
      }
      await recordAudit(
        {
          actorId: admin.id,
          action: "class.assign_teacher",
          targetType: "class",
          targetId: klass.id,
          schoolId: school.id,
          detail: { teacherId: teacher.id, teacher: teacher.realName, className: klass.name, subject, head: input.head },
        },
        tx,
      );
    },
    { behavior: "immediate" },
  );
}

/** Takes a teacher off the class (their other classes are untouched). */
export async function removeTeacher(actor: Actor, classId: string, teacherId: string): Promise<void> {
  const { admin, school, klass } = await managedClass(actor, classId);
  if (klass.archivedAt) throw new ValidationError({}, "classes:archived");
  await db().transaction(
    async (tx) => {
      const membership = await first(tx
              .select({ userId: schema.classMemberships.userId, realName: schema.users.realName })
              .from(schema.classMemberships)
              .innerJoin(schema.users, eq(schema.users.id, schema.classMemberships.userId))
              .where(and(eq(schema.classMemberships.classId, klass.id), eq(schema.classMemberships.userId, teacherId), eq(schema.classMemberships.role, "teacher"))).limit(1));
      if (!membership) throw new NotFoundError();
      await tx.delete(schema.classMemberships).where(and(eq(schema.classMemberships.classId, klass.id), eq(schema.classMemberships.userId, teacherId)));
      await recordAudit(
        { actorId: admin.id, action: "class.remove_teacher", targetType: "class", targetId: klass.id, schoolId: school.id, detail: { teacherId, teacher: membership.realName, className: klass.name } },
        tx,
      );
    },
    { behavior: "immediate" },
  );
}

/**
 * Moves a student of the school into a class. A student is in at most one current class, so any
 * current membership ends; memberships of archived classes stay, as the student's history.
 * `student` is a user id, a login name or the school's student number.
 */
export async function moveStudent(actor: Actor, raw: { student: string; toClassId: string }): Promise<{ studentId: string; fromClassId: string | null }> {
  const { admin, school } = await adminSchool(actor);
  const ref = raw.student.trim();
  if (!ref) throw new ValidationError({ student: { key: "classes:studentRequired" } });
  return db().transaction(
    async (tx) => {
      const target = await first(tx.select().from(schema.classes).where(eq(schema.classes.id, raw.toClassId)).limit(1));
      // Another school's class answers as an unknown one.
      if (!target || target.schoolId !== school.id) throw new ValidationError({ toClassId: { key: "classes:targetRequired" } });
      if (target.archivedAt) throw new ValidationError({ toClassId: { key: "classes:archived" } });
      const student = await studentOfSchool(tx, school.id, ref);
      // Another school's student reads as unknown: a school admin learns nothing about other schools.
      if (!student) throw new ValidationError({ student: { key: "classes:studentNotFound" } });
      const current = await tx
              .select({ id: schema.classes.id, name: schema.classes.name })
              .from(schema.classMemberships)
              .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
              .where(and(eq(schema.classMemberships.userId, student.id), eq(schema.classMemberships.role, "student"), isNull(schema.classes.archivedAt)));
      if (current.length === 1 && current[0]!.id === target.id) throw new ValidationError({ toClassId: { key: "classes:alreadyInClass" } });
      if (current.length) {
        await tx.delete(schema.classMemberships)
                  .where(and(eq(schema.classMemberships.userId, student.id), inArray(schema.classMemberships.classId, current.map((c) => c.id))));
      }
      await tx.insert(schema.classMemberships).values({ classId: target.id, userId: student.id, role: "student" });
      const from = current[0] ?? null;
      await recordAudit(
        {
          actorId: admin.id,
          action: "class.move_student",
          targetType: "user",
          targetId: student.id,
          schoolId: school.id,
          detail: { fromClassId: from?.id ?? null, fromClass: from?.name ?? null, toClassId: target.id, toClass: target.name },
        },
        tx,
      );
      return { studentId: student.id, fromClassId: from?.id ?? null };
    },
    { behavior: "immediate" },
  );
}

/** Archives a class at year end: it leaves every list; its memberships stay for history. */
export async function archiveClass(actor: Actor, classId: string, now = Date.now()): Promise<void> {
  const { admin, school, klass } = await managedClass(actor, classId);
  if (klass.archivedAt) throw new ValidationError({}, "classes:archived");
  await db().transaction(
    async (tx) => {
      await tx.update(schema.classes).set({ archivedAt: new Date(now) }).where(and(eq(schema.classes.id, klass.id), isNull(schema.classes.archivedAt)));
      await recordAudit({ actorId: admin.id, action: "class.archive", targetType: "class", targetId: klass.id, schoolId: school.id, detail: { name: klass.name, year: klass.year } }, tx);
    },
    { behavior: "immediate" },
  );
}
