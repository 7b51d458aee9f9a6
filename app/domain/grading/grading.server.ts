// Grading: each teacher's queue per assignment (the students of the classes they teach that it is set
// to), a grading view that moves from one student to the next, grades kept as drafts until returned
// (together or one by one), an AuditEvent for every grade change, and a version check so that two
// teachers grading the same work at once never overwrite each other silently. Then the class
// gradebook (students × assignments) and, for the student, the returned work carried into their
// portfolio in one step.
import { and, asc, eq, gt, inArray, ne } from "drizzle-orm";
import { db, schema, first } from "#db/client";
import type { GradeState } from "#db/schema";
import { requireActingAs, type Actor, type SignedInActor } from "../foundation/actor.server";
import { assignmentRow, closeAtOf, stateOf, versionsOf, type AssignmentState, type SubmittedVersion } from "../classwork/assignments.server";
import { recordAudit } from "../foundation/audit.server";
import { beijingDateOf } from "../foundation/beijing-time.server";
import { assignmentClassIds, classReader, gradingClassOf, mayReadAssignment, taughtClasses } from "../classwork/class-access.server";
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from "../foundation/errors.server";
import { attachFiles, deleteFiles, discardDrafts, filesOf, type StoredFile } from "../uploads/files.server";
import { randomId } from "../foundation/ids.server";
import { tellOfReturnedGrade } from "../notices/notifications.server";
import { copyIntoPortfolio } from "../portfolio/portfolio.server";
import { requireSpaceFeature } from "../spaces/spaces.server";
import { emptyWorkCounts, teacherStateOf, workStates, type NotExpectedReason, type TeacherWorkState, type WorkCounts, type WorkState } from "../classwork/work-states.server";

export const FEEDBACK_MAX = 5000;

type Fields = { get(name: string): string | null | undefined };
type SubmissionRow = typeof schema.submissions.$inferSelect;

/** Where a student stands on an assignment, as the teacher sees it (work-states.server's words, and "draft"). */
export type QueueStatus = TeacherWorkState;
export const QUEUE_STATUSES: readonly QueueStatus[] = ["toDo", "handedIn", "late", "missing", "draft", "returned", "notOpen", "notExpected"];

export type QueueRow = {
  studentId: string;
  handle: string;
  realName: string;
  classId: string;
  className: string;
  status: QueueStatus;
  /** The pupil's word (a draft grade is not theirs to see). */
  state: WorkState;
  /** Why the pupil cannot hand in (status "notExpected"). */
  reason: NotExpectedReason | null;
  score: number | null;
  lastSubmittedAt: Date | null;
  versionCount: number;
  late: boolean;
};

/** A teacher, acting as one, with class teaching open to them. */
async function requireGrader(actor: Actor): Promise<SignedInActor> {
  const { actor: me } = requireActingAs(actor, "teacher");
  await requireSpaceFeature(me, "assignments");
  return me;
}

/** The assignment, if the teacher may grade anyone on it (else "not found": another class's work is not theirs). */
async function gradableAssignment(me: SignedInActor, assignmentId: string) {
  const a = await assignmentRow(assignmentId);
  const classes = await taughtClasses(me, await assignmentClassIds(assignmentId));
  if (!classes.length || a.status !== "published") {
    if (await mayReadAssignment(me, a)) throw new ForbiddenError();
    throw new NotFoundError();
  }
  return { a, classes };
}

/** The students this teacher grades on the assignment: those of their classes it is set to, and those who handed in there and left. */
async function queueRows(me: SignedInActor, assignmentId: string, now = Date.now(), knownGradable?: Awaited<ReturnType<typeof gradableAssignment>>): Promise<QueueRow[]> {
  const gradable = knownGradable ?? (await gradableAssignment(me, assignmentId));
  const { a, classes } = gradable;
  const classIds = classes.map((k) => k.id);
  const className = new Map(classes.map((k) => [k.id, k.name]));
  const members = await db()
      .select({ studentId: schema.users.id, handle: schema.users.handle, realName: schema.users.realName, classId: schema.classMemberships.classId })
      .from(schema.classMemberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.classMemberships.userId))
      .where(and(inArray(schema.classMemberships.classId, classIds), eq(schema.classMemberships.role, "student")));
  const work = await db().select().from(schema.submissions).where(eq(schema.submissions.assignmentId, assignmentId));
  const byStudent = new Map(work.map((s) => [s.studentId, s]));
  const seen = new Set<string>();
  const found: { p: { studentId: string; handle: string; realName: string }; classId: string }[] = [];
  const push = (p: { studentId: string; handle: string; realName: string }, classId: string) => {
    if (seen.has(p.studentId)) return;
    seen.add(p.studentId);
    found.push({ p, classId });
  };
  for (const m of members) {
    // A student in two of the teacher's classes is listed once, under the class they handed in from.
    const handedInFrom = byStudent.get(m.studentId)?.classId;
    push(m, handedInFrom && className.has(handedInFrom) ? handedInFrom : m.classId);
  }
  const left = work.filter((s) => !seen.has(s.studentId) && s.classId && className.has(s.classId));
  if (left.length) {
    const people = await db()
          .select({ studentId: schema.users.id, handle: schema.users.handle, realName: schema.users.realName })
          .from(schema.users)
          .where(
            inArray(
              schema.users.id,
              left.map((s) => s.studentId),
            ),
          );
    for (const p of people) push(p, byStudent.get(p.studentId)!.classId!);
  }
  const grid = await workStates([a], [...seen], now);
  const rows: QueueRow[] = found.map(({ p, classId }) => {
    const s = byStudent.get(p.studentId);
    const w = grid.get(a.id, p.studentId);
    return { ...p, classId, className: className.get(classId) ?? "", status: teacherStateOf(w), state: w.state, reason: w.reason, score: s?.score ?? null, lastSubmittedAt: s?.lastSubmittedAt ?? null, versionCount: s?.versionCount ?? 0, late: s?.late ?? false };
  });
  const collator = new Intl.Collator("zh-Hans-CN");
  // Pupils who cannot hand in come last, apart from the others.
  const apart = (r: QueueRow) => (r.status === "notExpected" ? 1 : 0);
  return rows.sort((x, y) => apart(x) - apart(y) || collator.compare(x.className, y.className) || collator.compare(x.realName, y.realName));
}

export type GradingQueue = {
  assignment: { id: string; title: string; points: number; state: AssignmentState; dueAt: Date; closeAt: Date };
  rows: QueueRow[];
  /** By the teacher's words (a draft grade counts as "draft"). */
  counts: Record<QueueStatus, number>;
  /** By the pupils' words (as the to-do, parent pages and weekly summary count). */
  workCounts: WorkCounts;
};

export async function gradingQueue(actor: Actor, assignmentId: string, now = Date.now()): Promise<GradingQueue> {
  const me = await requireGrader(actor);
  const gradable = await gradableAssignment(me, assignmentId);
  const { a } = gradable;
  const rows = await queueRows(me, assignmentId, now, gradable);
  const counts = Object.fromEntries(QUEUE_STATUSES.map((k) => [k, 0])) as Record<QueueStatus, number>;
  for (const r of rows) counts[r.status] += 1;
  const workCounts = emptyWorkCounts();
  for (const r of rows) workCounts[r.state] += 1;
  return {
    workCounts, assignment: { id: a.id, title: a.title, points: a.points, state: stateOf(a, now), dueAt: a.dueAt, closeAt: closeAtOf(a) }, rows, counts };
}

export type GradingView = {
  assignment: GradingQueue["assignment"];
  student: { id: string; handle: string; realName: string; className: string };
  status: QueueStatus;
  reason: NotExpectedReason | null;
  versions: SubmittedVersion[];
  grade: { score: number | null; feedback: string; state: GradeState; gradeVersion: number; gradedBy: string | null; files: StoredFile[] };
  prevStudentId: string | null;
  nextStudentId: string | null;
  position: number;
  total: number;
};

/** One student's work on the assignment, with the grade as it stands, and the neighbours in the queue. */
export async function gradingView(actor: Actor, assignmentId: string, studentId: string, now = Date.now()): Promise<GradingView> {
  const me = await requireGrader(actor);
  const queue = await gradingQueue(me, assignmentId, now);
  const row = queue.rows.find((r) => r.studentId === studentId);
  if (!row) throw new NotFoundError();
  // "Next pupil" walks the pupils who can hand in; those who cannot are shown apart and skipped.
  const walk = queue.rows.filter((r) => r.status !== "notExpected" || r.studentId === studentId);
  const index = walk.indexOf(row);
  const s = await submissionOf(assignmentId, studentId);
  const grader = s?.gradedBy ? await first(db().select({ realName: schema.users.realName }).from(schema.users).where(eq(schema.users.id, s.gradedBy)).limit(1)) : undefined;
  return {
    assignment: queue.assignment,
    student: { id: row.studentId, handle: row.handle, realName: row.realName, className: row.className },
    status: row.status,
    reason: row.reason,
    versions: s ? await versionsOf(s.id) : [],
    grade: { score: s?.score ?? null, feedback: s?.feedback ?? "", state: s?.gradeState ?? "none", gradeVersion: s?.gradeVersion ?? 0, gradedBy: grader?.realName ?? null, files: s ? await filesOf("feedback", s.id) : [] },
    prevStudentId: walk[index - 1]?.studentId ?? null,
    nextStudentId: walk[index + 1]?.studentId ?? null,
    position: index + 1,
    total: walk.length,
  };
}

async function submissionOf(assignmentId: string, studentId: string): Promise<SubmissionRow | undefined> {
  return first(db()
      .select()
      .from(schema.submissions)
      .where(and(eq(schema.submissions.assignmentId, assignmentId), eq(schema.submissions.studentId, studentId))).limit(1));
}

const SCORE = /^\d{1,4}(\.\d{1,2})?$/;

/** The grade form's values as typed, for a form sent back with errors. */
export function gradeFormValues(fields: Fields): { score: string; feedback: string } {
  return { score: fields.get("score") ?? "", feedback: fields.get("feedback") ?? "" };
}

/**
 * Saves a grade (fields: score, feedback, gradeVersion, intent "draft" | "return"; removeFile.<id>)
 * with any files returned with it. A draft is the teachers' alone; "return" shows it to the student
 * and tells them. The form carries the grade's version: if another teacher saved since, this is
 * refused with "grading:gradedElsewhere" (naming them) and nothing is written. Audited.
 */
export async function saveGrade(actor: Actor, assignmentId: string, studentId: string, fields: Fields, uploadedFileIds: string[] = [], now = Date.now()): Promise<{ state: GradeState }> {
  try {
    const me = await requireGrader(actor);
    const { a } = await gradableAssignment(me, assignmentId);
    const classId = await gradingClassOf(me, assignmentId, studentId);
    if (!classId) throw new NotFoundError();
    const intent = fields.get("intent") === "return" ? "return" : "draft";
    const { score: rawScore, feedback } = gradeFormValues(fields);
    const errors: FieldErrors = {};
    let score: number | null = null;
    if (rawScore.trim()) {
      if (!SCORE.test(rawScore.trim())) errors.score = { key: "grading:scoreInvalid" };
      else if ((score = Number(rawScore.trim())) > a.points) errors.score = { key: "grading:scoreAbovePoints", params: { points: a.points } };
    } else if (intent === "return") errors.score = { key: "grading:scoreRequired" };
    if ([...feedback].length > FEEDBACK_MAX) errors.feedback = { key: "grading:feedbackTooLong", params: { max: FEEDBACK_MAX } };
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const expected = Number(fields.get("gradeVersion"));
    const state: GradeState = intent === "return" ? "returned" : "draft";
    await db().transaction(
      async (tx) => {
        let s = await first(tx
                  .select()
                  .from(schema.submissions)
                  .where(and(eq(schema.submissions.assignmentId, assignmentId), eq(schema.submissions.studentId, studentId))).limit(1));
        if (!s) {
          // Grading work never handed in (e.g. a zero for missing work) starts its record here.
          await tx.insert(schema.submissions).values({ id: randomId(), assignmentId, studentId, classId });
          s = (await first(tx
                      .select()
                      .from(schema.submissions)
                      .where(and(eq(schema.submissions.assignmentId, assignmentId), eq(schema.submissions.studentId, studentId))).limit(1)))!;
        }
        if (!Number.isInteger(expected) || expected !== s.gradeVersion) {
          const by = s.gradedBy ? await first(tx.select({ realName: schema.users.realName }).from(schema.users).where(eq(schema.users.id, s.gradedBy)).limit(1)) : undefined;
          throw new ValidationError({}, "grading:gradedElsewhere", { name: by?.realName ?? "" });
        }
        await tx.update(schema.submissions)
                  .set({
                    score,
                    feedback: feedback.trim() ? feedback : null,
                    gradeState: state,
                    gradeVersion: s.gradeVersion + 1,
                    gradedBy: me.id,
                    gradedAt: new Date(now),
                    returnedAt: state === "returned" ? new Date(now) : null,
                  })
                  .where(eq(schema.submissions.id, s.id));
        const current = (await filesOf("feedback", s.id)).map((f) => f.id);
        const remove = current.filter((fid) => fields.get(`removeFile.${fid}`) === "on");
        // Only the new uploads: files another teacher returned earlier are theirs, and attachFiles refuses others' files.
        if (uploadedFileIds.length) await attachFiles(tx, me, uploadedFileIds, { type: "feedback", id: s.id });
        if (remove.length) {
          // Any grader of the work may take off a file returned with it, whoever of them uploaded it
          // (the form offers every one); deleteFiles removes only the remover's own files.
          await tx.update(schema.files).set({ ownerId: me.id }).where(inArray(schema.files.id, remove));
          await deleteFiles(tx, me, remove);
        }
        const feedbackChanged = (s.feedback ?? "") !== (feedback.trim() ? feedback : "");
        // Saved again unchanged (same score, state, feedback, no file added or taken off): no audit entry.
        const gradeChanged = s.score !== score || s.gradeState !== state || feedbackChanged || uploadedFileIds.length > 0 || remove.length > 0;
        if (gradeChanged) await recordAudit(
          {
            actorId: me.id,
            action: state === "returned" ? "grade.return" : "grade.save",
            targetType: "user",
            targetId: studentId,
            schoolId: a.schoolId,
            detail: { assignmentId, assignment: a.title, submissionId: s.id, before: { score: s.score, state: s.gradeState }, after: { score, state }, feedbackChanged },
          },
          tx,
        );
        if (state === "returned") await tellOfReturnedGrade(tx, studentId, me.id, assignmentId, score, a.points);
      },
      { behavior: "immediate" },
    );
    return { state };
  } catch (error) {
    if (actor && uploadedFileIds.length) await discardDrafts(actor, uploadedFileIds);
    throw error;
  }
}

/**
 * Returns every draft grade (with a score) of the students this teacher grades on the assignment, in
 * one step, as one audit entry; each student is told. Returns how many were returned.
 */
export async function returnGrades(actor: Actor, assignmentId: string, now = Date.now()): Promise<number> {
  const me = await requireGrader(actor);
  const gradable = await gradableAssignment(me, assignmentId);
  const { a } = gradable;
  const mine = new Set((await queueRows(me, assignmentId, now, gradable)).map((r) => r.studentId));
  return db().transaction(
    async (tx) => {
      const drafts = (await tx
              .select()
              .from(schema.submissions)
              .where(and(eq(schema.submissions.assignmentId, assignmentId), eq(schema.submissions.gradeState, "draft"))))
        .filter((s) => mine.has(s.studentId) && s.score !== null);
      for (const s of drafts) {
        await tx.update(schema.submissions)
                  .set({ gradeState: "returned", returnedAt: new Date(now), gradeVersion: s.gradeVersion + 1 })
                  .where(eq(schema.submissions.id, s.id));
        await tellOfReturnedGrade(tx, s.studentId, me.id, assignmentId, s.score, a.points);
      }
      // One entry for the batch, its pupils inside (the log lists them under "details").
      if (drafts.length) {
        await recordAudit(
          {
            actorId: me.id,
            action: "grade.return_batch",
            targetType: "assignment",
            targetId: assignmentId,
            schoolId: a.schoolId,
            detail: { assignmentId, assignment: a.title, students: drafts.map((s) => s.studentId) },
          },
          tx,
        );
      }
      return drafts.length;
    },
    { behavior: "immediate" },
  );
}

/**
 * For a teacher's home (issue 16, item 1): per published assignment set to a class they teach, how many
 * pupils of their classes handed in work not yet returned (handed in, late, or graded as a draft) — the
 * queue's own count. Assignments with none are left out. A fixed number of queries.
 */
export async function toGradeByAssignment(actor: Actor): Promise<{ assignmentId: string; title: string; dueAt: Date; toGrade: number }[]> {
  const me = await requireGrader(actor);
  const classes = await taughtClasses(me);
  if (!classes.length) return [];
  const classIds = classes.map((k) => k.id);
  const rows = await db()
      .select({ assignmentId: schema.submissions.assignmentId, title: schema.assignments.title, dueAt: schema.assignments.dueAt, studentId: schema.submissions.studentId })
      .from(schema.submissions)
      .innerJoin(schema.assignments, eq(schema.assignments.id, schema.submissions.assignmentId))
      .innerJoin(schema.assignmentClasses, and(eq(schema.assignmentClasses.assignmentId, schema.submissions.assignmentId), inArray(schema.assignmentClasses.classId, classIds)))
      .innerJoin(schema.classMemberships, and(eq(schema.classMemberships.userId, schema.submissions.studentId), eq(schema.classMemberships.classId, schema.assignmentClasses.classId), eq(schema.classMemberships.role, "student")))
      .where(and(eq(schema.assignments.status, "published"), gt(schema.submissions.versionCount, 0), ne(schema.submissions.gradeState, "returned")));
  const out = new Map<string, { assignmentId: string; title: string; dueAt: Date; students: Set<string> }>();
  for (const r of rows) {
    const entry = out.get(r.assignmentId) ?? { assignmentId: r.assignmentId, title: r.title, dueAt: r.dueAt, students: new Set<string>() };
    entry.students.add(r.studentId);
    out.set(r.assignmentId, entry);
  }
  return [...out.values()].map(({ students, ...a }) => ({ ...a, toGrade: students.size })).sort((x, y) => x.dueAt.getTime() - y.dueAt.getTime());
}

// ---------------------------------------------------------------------------------------------
// The student's returned work, into the portfolio in one step

/**
 * Makes a portfolio item of the student's returned work: the assignment's title, the last version's
 * text and copies of its files (the portfolio has its own readers). Private until the student chooses
 * otherwise. Doing it again returns the same item.
 */
export async function addReturnedWorkToPortfolio(actor: Actor, assignmentId: string): Promise<{ id: string }> {
  const { actor: me } = requireActingAs(actor, "student");
  await requireSpaceFeature(me, "portfolio");
  const a = await assignmentRow(assignmentId);
  const s = await submissionOf(assignmentId, me.id);
  if (!s) {
    if (!await mayReadAssignment(me, a)) throw new NotFoundError();
    throw new ValidationError({}, "grading:notReturned");
  }
  if (s.gradeState !== "returned" || s.versionCount === 0) throw new ValidationError({}, "grading:notReturned");
  if (s.portfolioItemId && await first(db().select({ id: schema.portfolioItems.id }).from(schema.portfolioItems).where(eq(schema.portfolioItems.id, s.portfolioItemId)).limit(1))) {
    return { id: s.portfolioItemId };
  }
  const last = (await db()
      .select()
      .from(schema.submissionVersions)
      .where(eq(schema.submissionVersions.submissionId, s.id))
      .orderBy(asc(schema.submissionVersions.number)))
    .pop()!;
  return copyIntoPortfolio(
    me,
    { title: a.title, kind: "work", occurredOn: beijingDateOf(s.lastSubmittedAt ?? new Date()), doc: last.bodyJson, fileIds: (await filesOf("submission", last.id)).map((f) => f.id) },
    {
      madeBefore: async (tx) => (await first(tx.select({ portfolioItemId: schema.submissions.portfolioItemId }).from(schema.submissions).where(eq(schema.submissions.id, s.id)).limit(1)))?.portfolioItemId ?? null,
      record: async (tx, itemId) => tx.update(schema.submissions).set({ portfolioItemId: itemId }).where(eq(schema.submissions.id, s.id)),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// The gradebook

/** Score bands of the Chinese five-level scale (优 良 中 及格 不及格), by percentage of the points. */
export const BANDS = [
  { key: "excellent", min: 90 },
  { key: "good", min: 80 },
  { key: "fair", min: 70 },
  { key: "pass", min: 60 },
  { key: "fail", min: 0 },
] as const;
export type BandKey = (typeof BANDS)[number]["key"];

export function bandOf(percent: number): BandKey {
  return BANDS.find((b) => percent >= b.min)!.key;
}

export type GradebookCell = { status: QueueStatus; score: number | null };
export type Gradebook = {
  klass: { id: string; name: string };
  assignments: { id: string; title: string; points: number; dueAt: Date; state: AssignmentState; average: number | null; graded: number; distribution: Record<BandKey, number> }[];
  /** Pupils who cannot hand in (space not open, account not activated) come last, with the reason. */
  students: { id: string; handle: string; realName: string; notExpected: NotExpectedReason | null; cells: GradebookCell[]; averagePercent: number | null }[];
};

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The class's gradebook for its teachers: its students × the assignments published to it (by due
 * time), each cell the student's standing and score (drafts included: this is the teachers' view),
 * the average per assignment (of scores) and per student (of percentages), and each assignment's
 * score distribution over the five bands.
 */
export async function gradebook(actor: Actor, classId: string, now = Date.now()): Promise<Gradebook> {
  const { klass, standing } = await classReader(actor, classId);
  if (standing !== "teacher") throw new ForbiddenError();
  await requireGrader(actor);
  const assignments = (await db()
      .select({ a: schema.assignments })
      .from(schema.assignmentClasses)
      .innerJoin(schema.assignments, eq(schema.assignments.id, schema.assignmentClasses.assignmentId))
      .where(and(eq(schema.assignmentClasses.classId, classId), eq(schema.assignments.status, "published")))
      .orderBy(asc(schema.assignments.dueAt)))
    .map((r) => r.a);
  const students = await db()
      .select({ id: schema.users.id, handle: schema.users.handle, realName: schema.users.realName })
      .from(schema.classMemberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.classMemberships.userId))
      .where(and(eq(schema.classMemberships.classId, classId), eq(schema.classMemberships.role, "student")));
  const grid = await workStates(assignments, students.map((st) => st.id), now);
  const collator = new Intl.Collator("zh-Hans-CN");
  const apart = (id: string) => (grid.notExpected.has(id) ? 1 : 0);
  students.sort((x, y) => apart(x.id) - apart(y.id) || collator.compare(x.realName, y.realName));
  const work = assignments.length
    ? await db()
              .select()
              .from(schema.submissions)
              .where(
                inArray(
                  schema.submissions.assignmentId,
                  assignments.map((a) => a.id),
                ),
              )
    : [];
  const key = (assignmentId: string, studentId: string) => `${assignmentId}:${studentId}`;
  const byKey = new Map(work.map((s) => [key(s.assignmentId, s.studentId), s]));
  const rows = students.map((st) => {
    const percents: number[] = [];
    const cells = assignments.map((a) => {
      const s = byKey.get(key(a.id, st.id));
      const status = teacherStateOf(grid.get(a.id, st.id));
      const score = s && s.gradeState !== "none" ? s.score : null;
      if (score !== null && a.points > 0) percents.push((score / a.points) * 100);
      return { status, score };
    });
    return { ...st, notExpected: grid.notExpected.get(st.id) ?? null, cells, averagePercent: percents.length ? round1(percents.reduce((x, y) => x + y, 0) / percents.length) : null };
  });
  return {
    klass: { id: klass.id, name: klass.name },
    students: rows,
    assignments: assignments.map((a, i) => {
      const scores = rows.map((r) => r.cells[i]!.score).filter((x): x is number => x !== null);
      const distribution = Object.fromEntries(BANDS.map((b) => [b.key, 0])) as Record<BandKey, number>;
      if (a.points > 0) for (const x of scores) distribution[bandOf((x / a.points) * 100)] += 1;
      return {
        id: a.id,
        title: a.title,
        points: a.points,
        dueAt: a.dueAt,
        state: stateOf(a, now),
        average: scores.length ? round1(scores.reduce((x, y) => x + y, 0) / scores.length) : null,
        graded: scores.length,
        distribution,
      };
    }),
  };
}

/** Who may open the gradebook of a class (for the class page's link). */
export async function mayReadGradebook(actor: Actor, classId: string): Promise<boolean> {
  try {
    const { standing } = await classReader(actor, classId);
    return standing === "teacher";
  } catch {
    return false;
  }
}

