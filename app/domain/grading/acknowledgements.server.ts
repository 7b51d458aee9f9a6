// 家长已阅: a parent marks a returned grade or a class announcement as read, for one of their children;
// the child's teachers see who has. Only what the child's parent may see can be acknowledged: a grade
// once returned to that child, an announcement of a class the child is in.
import { and, eq, inArray } from "drizzle-orm";
import { db, schema, first } from "#db/client";
import type { AcknowledgedSubject } from "#db/schema";
import type { Actor } from "../foundation/actor.server";
import { classReader } from "../classwork/class-access.server";
import { NotFoundError, ValidationError } from "../foundation/errors.server";
import { gradingQueue, type GradingQueue } from "./grading.server";
import { requireConsentedChild, requireGuardianOf } from "../people/guardians.server";

export type Acknowledger = { guardianName: string; studentId: string; studentName: string; at: Date };

/** Whether `subjectId` is something of this child's a parent may acknowledge. */
async function belongsToChild(studentId: string, subjectType: AcknowledgedSubject, subjectId: string): Promise<boolean> {
  if (subjectType === "grade") {
    const s = await first(db().select().from(schema.submissions).where(eq(schema.submissions.id, subjectId)).limit(1));
    return Boolean(s && s.studentId === studentId && s.gradeState === "returned");
  }
  const a = await first(db().select({ classId: schema.announcements.classId }).from(schema.announcements).where(eq(schema.announcements.id, subjectId)).limit(1));
  if (!a) return false;
  return Boolean(
    await first(db()
            .select({ c: schema.classMemberships.classId })
            .from(schema.classMemberships)
            .where(and(eq(schema.classMemberships.classId, a.classId), eq(schema.classMemberships.userId, studentId), eq(schema.classMemberships.role, "student"))).limit(1)),
  );
}

/**
 * The parent (acting as one) marks a returned grade (subjectId: the submission) or an announcement as
 * read for their child. Doing it twice keeps the first time. Another child's, or a grade not returned
 * yet, reads as "not found".
 */
export async function acknowledge(actor: Actor, studentId: string, subjectType: string, subjectId: string, now = Date.now()): Promise<void> {
  const { parentId } = await requireConsentedChild(actor, studentId);
  if (subjectType !== "grade" && subjectType !== "announcement") throw new ValidationError({}, "errors:invalidInput");
  if (!await belongsToChild(studentId, subjectType, subjectId)) throw new NotFoundError();
  await db().insert(schema.acknowledgements).values({ guardianId: parentId, studentId, subjectType, subjectId, at: new Date(now) }).onConflictDoNothing();
}

/** Which of `subjectIds` this parent has acknowledged for this child (for the parent's own pages). */
export async function acknowledgedByMe(actor: Actor, studentId: string, subjectType: AcknowledgedSubject, subjectIds: string[]): Promise<Set<string>> {
  const { parentId } = await requireGuardianOf(actor, studentId);
  if (!subjectIds.length) return new Set();
  return new Set(
    (await db()
            .select({ id: schema.acknowledgements.subjectId })
            .from(schema.acknowledgements)
            .where(
              and(
                eq(schema.acknowledgements.guardianId, parentId),
                eq(schema.acknowledgements.studentId, studentId),
                eq(schema.acknowledgements.subjectType, subjectType),
                inArray(schema.acknowledgements.subjectId, subjectIds),
              ),
            ))
      .map((r) => r.id),
  );
}

/**
 * For a class's teachers (and its school's admins): who has acknowledged each of `subjectIds` (grades:
 * submission ids; announcements of that class). Refused to anyone who may not read the class.
 */
export async function acknowledgersOf(actor: Actor, classId: string, subjectType: AcknowledgedSubject, subjectIds: string[]): Promise<Map<string, Acknowledger[]>> {
  const { standing } = await classReader(actor, classId);
  if (standing === "student") throw new NotFoundError();
  const out = new Map<string, Acknowledger[]>();
  if (!subjectIds.length) return out;
  const guardian = schema.users;
  const rows = await db()
      .select({ subjectId: schema.acknowledgements.subjectId, guardianName: guardian.realName, studentId: schema.acknowledgements.studentId, at: schema.acknowledgements.at })
      .from(schema.acknowledgements)
      .innerJoin(guardian, eq(guardian.id, schema.acknowledgements.guardianId))
      .where(and(eq(schema.acknowledgements.subjectType, subjectType), inArray(schema.acknowledgements.subjectId, subjectIds)))
      .orderBy(schema.acknowledgements.at);
  const names = new Map(
    rows.length
      ? (await db()
                    .select({ id: schema.users.id, realName: schema.users.realName })
                    .from(schema.users)
                    .where(
                      inArray(
                        schema.users.id,
                        rows.map((r) => r.studentId),
                      ),
                    ))
          .map((u) => [u.id, u.realName])
      : [],
  );
  for (const r of rows) out.set(r.subjectId, [...(out.get(r.subjectId) ?? []), { guardianName: r.guardianName, studentId: r.studentId, studentName: names.get(r.studentId) ?? "", at: r.at }]);
  return out;
}

/** For the teachers who grade this assignment: who has acknowledged each student's returned grade. */
export async function gradeAcknowledgers(actor: Actor, assignmentId: string, knownQueue?: Pick<GradingQueue, "rows">): Promise<Map<string, Acknowledger[]>> {
  const queue = knownQueue ?? (await gradingQueue(actor, assignmentId));
  const out = new Map<string, Acknowledger[]>();
  const studentIds = queue.rows.filter((r) => r.status === "returned").map((r) => r.studentId);
  if (!studentIds.length) return out;
  const submissions = await db()
      .select({ id: schema.submissions.id, studentId: schema.submissions.studentId })
      .from(schema.submissions)
      .where(and(eq(schema.submissions.assignmentId, assignmentId), inArray(schema.submissions.studentId, studentIds)));
  const submissionOf = new Map(submissions.map((x) => [x.studentId, x.id]));
  const byClass = new Map<string, string[]>();
  for (const r of queue.rows) {
    const id = submissionOf.get(r.studentId);
    if (id) byClass.set(r.classId, [...(byClass.get(r.classId) ?? []), id]);
  }
  for (const [classId, ids] of byClass) {
    for (const [, acks] of await acknowledgersOf(actor, classId, "grade", ids)) {
      for (const ack of acks) out.set(ack.studentId, [...(out.get(ack.studentId) ?? []), ack]);
    }
  }
  return out;
}
