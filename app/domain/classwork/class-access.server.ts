// Who may enter a class space (/classes/:id) and read what is published in it: the class's teachers
// and students, each acting in that role, and the admins of the class's school (read only). Lessons
// and announcements follow these rules, and so do their files (files.server.ts asks here), so a
// download never shows more than the class page does. Kept apart from lessons/announcements so that
// files.server can ask without importing the modules that import it.
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import { db, schema, first } from "#db/client";
import { requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { DomainError, NotFoundError } from "../foundation/errors.server";
import { requireSpaceFeature } from "../spaces/spaces.server";
import { isSchoolAdminOf } from "../rollout/visibility.server";
import { oncePerRequest } from "~/lib/request-scope.server";
import { findInOrder, someInOrder } from "~/lib/in-order";

export type ClassRow = typeof schema.classes.$inferSelect;
/** How the reader is in the class: one of its teachers, one of its students, or an admin of its school. */
export type ClassStanding = "teacher" | "student" | "admin";

/**
 * The class and the reader's standing in it. Anyone else (another class, another school, a parent, a
 * teacher acting as parent) gets "not found", the same as a class that does not exist. A student also
 * needs their space open and the "assignments" capability on (class teaching follows the rollout).
 */
export async function classReader(actor: Actor, classId: string): Promise<{ me: SignedInActor; klass: ClassRow; standing: ClassStanding }> {
  const me = requireSignedIn(actor);
  const role = me.activeRole;
  // The class and whether the reader is in it in their role, in one statement, once per request.
  const found = await oncePerRequest(`class-reader:${classId}|${me.id}|${role}`, async () =>
    first(db()
            .select({
              klass: schema.classes,
              member: sql<number>`exists (select 1 from class_memberships cm where cm.class_id = ${schema.classes.id} and cm.user_id = ${me.id} and cm.role = ${role})`,
            })
            .from(schema.classes)
            .where(eq(schema.classes.id, classId)).limit(1)),
  );
  if (!found) throw new NotFoundError();
  const { klass } = found;
  if (isSchoolAdminOf(me, klass.schoolId)) return { me, klass, standing: "admin" };
  if (role !== "teacher" && role !== "student") throw new NotFoundError();
  if (!found.member) throw new NotFoundError();
  if (role === "student") await requireSpaceFeature(me, "assignments");
  return { me, klass, standing: role };
}

/** classReader as a yes/no, for downloads (a refusal of any kind is a "no"). */
export async function mayReadClass(actor: Actor, classId: string): Promise<boolean> {
  try {
    await classReader(actor, classId);
    return true;
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}

/** Ids of the classes a lesson is published to, by now (publishAt passed). */
export async function publishedClassIds(lessonId: string, now: number): Promise<string[]> {
  return (await db()
      .select({ classId: schema.lessonPublications.classId })
      .from(schema.lessonPublications)
      .where(and(eq(schema.lessonPublications.lessonId, lessonId), lte(schema.lessonPublications.publishAt, new Date(now)))))
    .map((r) => r.classId);
}

/**
 * A lesson's readers: its author always; others once it is published (publishAt passed) to a class
 * they may read. A scheduled lesson is the author's alone until its time.
 */
export async function mayReadLesson(actor: Actor, lessonId: string, now = Date.now()): Promise<boolean> {
  const lesson = await first(db().select({ authorId: schema.lessons.authorId }).from(schema.lessons).where(eq(schema.lessons.id, lessonId)).limit(1));
  if (!lesson) return false;
  if (actor?.id === lesson.authorId && actor.activeRole === "teacher") return true;
  return (someInOrder((await publishedClassIds(lessonId, now)), async (classId) => mayReadClass(actor, classId)));
}

/** An announcement's readers are its class's readers. */
export async function mayReadAnnouncement(actor: Actor, announcementId: string): Promise<boolean> {
  const row = await first(db().select({ classId: schema.announcements.classId }).from(schema.announcements).where(eq(schema.announcements.id, announcementId)).limit(1));
  return Boolean(row && await mayReadClass(actor, row.classId));
}

/** The classes (not archived) the actor teaches, acting as teacher; `only` narrows to those ids. */
export async function taughtClasses(me: SignedInActor, only?: string[]): Promise<ClassRow[]> {
  if (me.activeRole !== "teacher") return [];
  const rows = (await db()
      .select({ klass: schema.classes })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .where(and(eq(schema.classMemberships.userId, me.id), eq(schema.classMemberships.role, "teacher"), only ? inArray(schema.classes.id, only.length ? only : [""]) : undefined))
      .orderBy(schema.classes.grade, schema.classes.name))
    .map((r) => r.klass);
  return rows.filter((k) => !k.archivedAt);
}

// ---------------------------------------------------------------------------------------------
// Assignments and submissions (the rules assignments.server.ts and grading.server.ts enforce, here so
// that downloads of their files follow exactly the same ones).

type AssignmentRow = typeof schema.assignments.$inferSelect;

/** The classes an assignment is set to. */
export async function assignmentClassIds(assignmentId: string): Promise<string[]> {
  return (await db()
      .select({ classId: schema.assignmentClasses.classId })
      .from(schema.assignmentClasses)
      .where(eq(schema.assignmentClasses.assignmentId, assignmentId)))
    .map((r) => r.classId);
}

/**
 * An assignment's readers: its author (acting as teacher) always; once published, the readers of a
 * class it is set to, except that its students see it only from its open time; and a student who
 * handed work in to it, even after leaving the class (their work stays theirs).
 */
export async function mayReadAssignment(actor: Actor, assignment: Pick<AssignmentRow, "id" | "authorId" | "status" | "openAt">, now = Date.now()): Promise<boolean> {
  if (!actor) return false;
  if (actor.id === assignment.authorId && actor.activeRole === "teacher") return true;
  if (assignment.status !== "published") return false;
  if (actor.activeRole === "student") {
    const own = await first(db()
          .select({ n: schema.submissions.versionCount })
          .from(schema.submissions)
          .where(and(eq(schema.submissions.assignmentId, assignment.id), eq(schema.submissions.studentId, actor.id))).limit(1));
    if (own && own.n > 0) return true;
    if (assignment.openAt.getTime() > now) return false;
  }
  return (someInOrder((await assignmentClassIds(assignment.id)), async (classId) => mayReadClass(actor, classId)));
}

/** Whether `me` is a student of the class (a membership as student). */
export async function isStudentOf(studentId: string, classId: string): Promise<boolean> {
  return Boolean(
    await first(db()
            .select({ c: schema.classMemberships.classId })
            .from(schema.classMemberships)
            .where(and(eq(schema.classMemberships.classId, classId), eq(schema.classMemberships.userId, studentId), eq(schema.classMemberships.role, "student"))).limit(1)),
  );
}

/**
 * The class through which `actor` may grade `studentId` on an assignment: one the assignment is set to,
 * that the actor teaches (acting as teacher), and that the student is in, or was in when handing in.
 * Null: not theirs to open (a teacher of class A never sees class B's work).
 */
export async function gradingClassOf(actor: Actor, assignmentId: string, studentId: string): Promise<string | null> {
  if (!actor || actor.activeRole !== "teacher") return null;
  const setTo = await assignmentClassIds(assignmentId);
  const taught = new Set((await taughtClasses(actor, setTo)).map((k) => k.id));
  const handedIn = await first(db()
      .select({ classId: schema.submissions.classId })
      .from(schema.submissions)
      .where(and(eq(schema.submissions.assignmentId, assignmentId), eq(schema.submissions.studentId, studentId))).limit(1));
  if (handedIn?.classId && taught.has(handedIn.classId)) return handedIn.classId;
  return (await findInOrder(setTo, async (classId) => taught.has(classId) && await isStudentOf(studentId, classId))) ?? null;
}

/** A submission's work (and its files): the student who handed it in, and those who may grade it. */
export async function mayReadSubmission(actor: Actor, submissionId: string): Promise<boolean> {
  if (!actor) return false;
  const row = await first(db().select({ studentId: schema.submissions.studentId, assignmentId: schema.submissions.assignmentId }).from(schema.submissions).where(eq(schema.submissions.id, submissionId)).limit(1));
  if (!row) return false;
  if (row.studentId === actor.id) return true;
  return await gradingClassOf(actor, row.assignmentId, row.studentId) !== null;
}

/** Files returned with a grade: the graders always; the student once the grade is returned. */
export async function mayReadFeedback(actor: Actor, submissionId: string): Promise<boolean> {
  if (!actor) return false;
  const row = await first(db().select().from(schema.submissions).where(eq(schema.submissions.id, submissionId)).limit(1));
  if (!row) return false;
  if (row.studentId === actor.id) return row.gradeState === "returned";
  return await gradingClassOf(actor, row.assignmentId, row.studentId) !== null;
}

/** The submission a version belongs to. */
export async function submissionOfVersion(versionId: string): Promise<string | null> {
  return (await first(db().select({ s: schema.submissionVersions.submissionId }).from(schema.submissionVersions).where(eq(schema.submissionVersions.id, versionId)).limit(1)))?.s ?? null;
}
