// Assignments and what students hand in. A teacher writes an assignment (title, rich-text instructions,
// files, optional lesson) for one or more of their own classes, with an open time, a due time, points,
// whether late work is taken (and until when) and whether students may hand in again before the due
// time. Stored state is draft or published; scheduled / open / closed follow from the times.
//
// A student hands in rich text and files; every version is kept, each with a receipt (its time and a
// checksum of what was stored). The form page picks the version's id, so a double click or a retried
// request stores one version, not two. Grading is in grading.server.ts; who may read what is in
// class-access.server.ts (shared with file downloads).
import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema, type DB, changedRows, first } from "#db/client";
import type { LocalNames } from "#db/schema";
import { requireActingAs, requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { beijingLocalTimeOf, beijingTimeFrom } from "../foundation/beijing-time.server";
import { assignmentClassIds, classReader, mayReadAssignment, taughtClasses, type ClassStanding } from "./class-access.server";
import { NotFoundError, ValidationError, type FieldErrors } from "../foundation/errors.server";
import { attachFiles, deleteFiles, deleteFilesOf, discardDrafts, filesOf, orDiscard, type StoredFile } from "../uploads/files.server";
import { randomId } from "../foundation/ids.server";
import { tellTeachersOfHandIn } from "../notices/notifications.server";
import { plainTextOf, richTextFromForm } from "../foundation/richtext.server";
import { requireSpaceFeature } from "../spaces/spaces.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";
import { workStateOf, type WorkState } from "./work-states.server";
import { mapInOrder } from "~/lib/in-order";

export const ASSIGNMENT_TITLE_MAX = 200;
export const POINTS_MAX = 1000;
/** Students are reminded once when an assignment they have not handed in is due within this. */
export const DUE_SOON_MS = 24 * 3_600_000;

type Fields = { get(name: string): string | null | undefined };
type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0];
export type AssignmentRow = typeof schema.assignments.$inferSelect;
type SubmissionRow = typeof schema.submissions.$inferSelect;

export type AssignmentState = "draft" | "scheduled" | "open" | "closed";

/** When nothing more is taken: the late limit if late work is taken, else the due time. */
export function closeAtOf(a: Pick<AssignmentRow, "dueAt" | "lateUntil">): Date {
  return a.lateUntil ?? a.dueAt;
}

export function stateOf(a: Pick<AssignmentRow, "status" | "openAt" | "dueAt" | "lateUntil">, now = Date.now()): AssignmentState {
  if (a.status === "draft") return "draft";
  if (now < a.openAt.getTime()) return "scheduled";
  if (now > closeAtOf(a).getTime()) return "closed";
  return "open";
}

// ---------------------------------------------------------------------------------------------
// Who writes

async function requireAssignmentWriter(actor: Actor): Promise<SignedInActor> {
  const { actor: me } = requireActingAs(actor, "teacher");
  await requireSpaceFeature(me, "assignments");
  return me;
}

export async function assignmentRow(id: string): Promise<AssignmentRow> {
  const row = await first(db().select().from(schema.assignments).where(eq(schema.assignments.id, id)).limit(1));
  if (!row) throw new NotFoundError();
  return row;
}

/** The writer's own assignment; another's reads as "not found", whether or not they may read it. */
async function ownAssignment(me: SignedInActor, id: string): Promise<AssignmentRow> {
  const row = await assignmentRow(id);
  if (row.authorId !== me.id) throw new NotFoundError();
  return row;
}

// ---------------------------------------------------------------------------------------------
// The form

/** `names`: the class's name in bo, ii, en where its school gave them (pick with `localName`). */
export type ClassChoice = { id: string; name: string; names?: LocalNames };
export type AssignmentFormValues = {
  title: string;
  body: string;
  bodyJson: unknown;
  classIds: string[];
  lessonId: string;
  openAt: string;
  dueAt: string;
  acceptLate: boolean;
  lateUntil: string;
  allowResubmit: boolean;
  points: string;
};
export type AssignmentFormData = {
  id: string;
  isNew: boolean;
  version: number;
  status: "draft" | "published";
  values: AssignmentFormValues;
  files: StoredFile[];
  classChoices: ClassChoice[];
  lessonChoices: { id: string; title: string }[];
};

async function lessonChoicesOf(me: SignedInActor): Promise<{ id: string; title: string }[]> {
  return db().select({ id: schema.lessons.id, title: schema.lessons.title }).from(schema.lessons).where(eq(schema.lessons.authorId, me.id)).orderBy(desc(schema.lessons.createdAt));
}

/**
 * The form for a new assignment, its id chosen now (sending the form twice creates one assignment).
 * `classId` / `lessonId` preselect (from a class page or a lesson page).
 */
export async function newAssignmentForm(actor: Actor, preset: { classId?: string | null; lessonId?: string | null } = {}): Promise<AssignmentFormData> {
  const me = await requireAssignmentWriter(actor);
  const classChoices = (await taughtClasses(me)).map((k) => ({ id: k.id, name: k.name }));
  const lessonChoices = await lessonChoicesOf(me);
  // From a lesson page: the lesson's own title and the classes it is published to (of those this
  // teacher teaches). Only the author's own lessons are choices: another's lesson, or an unknown
  // id, gives the plain empty form.
  const lesson = lessonChoices.find((l) => l.id === preset.lessonId);
  const lessonClasses = lesson
    ? new Set(
        (await db()
                  .select({ classId: schema.lessonPublications.classId })
                  .from(schema.lessonPublications)
                  .where(eq(schema.lessonPublications.lessonId, lesson.id)))
          .map((p) => p.classId),
      )
    : new Set<string>();
  const classIds = classChoices.filter((k) => k.id === preset.classId || lessonClasses.has(k.id)).map((k) => k.id);
  return {
    id: randomId(),
    isNew: true,
    version: 0,
    status: "draft",
    files: [],
    classChoices,
    lessonChoices,
    values: {
      title: lesson ? lesson.title.slice(0, ASSIGNMENT_TITLE_MAX) : "",
      body: "",
      bodyJson: null,
      classIds,
      lessonId: lesson?.id ?? "",
      openAt: "",
      dueAt: "",
      acceptLate: false,
      lateUntil: "",
      allowResubmit: true,
      points: "100",
    },
  };
}

export async function assignmentForEdit(actor: Actor, id: string): Promise<AssignmentFormData> {
  const me = await requireAssignmentWriter(actor);
  const row = await ownAssignment(me, id);
  const setTo = await assignmentClassIds(id);
  const taught = (await taughtClasses(me)).map((k) => ({ id: k.id, name: k.name }));
  return {
    id,
    isNew: false,
    version: row.version,
    status: row.status,
    files: await filesOf("assignment", id),
    classChoices: taught,
    lessonChoices: await lessonChoicesOf(me),
    values: {
      title: row.title,
      body: plainTextOf(row.bodyJson),
      bodyJson: row.bodyJson,
      classIds: setTo,
      lessonId: row.lessonId ?? "",
      openAt: beijingLocalTimeOf(row.openAt),
      dueAt: beijingLocalTimeOf(row.dueAt),
      acceptLate: row.lateUntil !== null,
      lateUntil: row.lateUntil ? beijingLocalTimeOf(row.lateUntil) : "",
      allowResubmit: row.allowResubmit,
      points: String(row.points),
    },
  };
}

const isOn = (v: string | null | undefined) => v === "on" || v === "true" || v === "1";

/**
 * The form's values as typed, for a form sent back with errors. Classes are checkboxes named
 * `class.<id>` (multipart fields arrive as a map: one value per name).
 */
export function assignmentFormValues(fields: Fields, classChoices: ClassChoice[]): AssignmentFormValues {
  let bodyJson: unknown = null;
  try {
    bodyJson = fields.get("bodyJson") ? JSON.parse(fields.get("bodyJson")!) : null;
  } catch {
    bodyJson = null;
  }
  return {
    title: fields.get("title") ?? "",
    body: fields.get("body") ?? "",
    bodyJson,
    classIds: classChoices.filter((k) => isOn(fields.get(`class.${k.id}`))).map((k) => k.id),
    lessonId: fields.get("lessonId") ?? "",
    openAt: fields.get("openAt") ?? "",
    dueAt: fields.get("dueAt") ?? "",
    acceptLate: isOn(fields.get("acceptLate")),
    lateUntil: fields.get("lateUntil") ?? "",
    allowResubmit: isOn(fields.get("allowResubmit")),
    points: fields.get("points") ?? "",
  };
}

type ParsedAssignment = {
  title: string;
  body: ReturnType<typeof richTextFromForm>;
  classIds: string[];
  lessonId: string | null;
  openAt: Date;
  dueAt: Date;
  lateUntil: Date | null;
  allowResubmit: boolean;
  points: number;
};

const titleShape = z.string().overwrite(withoutDirectionControls).trim().min(1, "assignments:titleRequired").max(ASSIGNMENT_TITLE_MAX, "assignments:titleTooLong");
const pointsShape = z
  .string()
  .trim()
  .regex(/^\d{1,4}$/, "assignments:pointsInvalid")
  .transform(Number)
  .refine((n) => n <= POINTS_MAX, "assignments:pointsInvalid");

async function parseAssignment(me: SignedInActor, fields: Fields, now: number): Promise<ParsedAssignment> {
  const errors: FieldErrors = {};
  const taught = await taughtClasses(me);
  const values = assignmentFormValues(fields, taught);
  const title = titleShape.safeParse(values.title);
  if (!title.success) errors.title = { key: title.error.issues[0]?.message ?? "errors:invalidInput" };
  const points = pointsShape.safeParse(values.points);
  if (!points.success) errors.points = { key: "assignments:pointsInvalid", params: { max: POINTS_MAX } };
  // A class box for a class that is not theirs (another teacher's, another school's) is refused whole.
  const claimed = [...((fields as { keys?: () => Iterable<string> }).keys?.() ?? [])].filter((k) => k.startsWith("class.") && isOn(fields.get(k)));
  if (claimed.length > values.classIds.length) errors.classIds = { key: "assignments:classNotYours" };
  else if (!values.classIds.length) errors.classIds = { key: "assignments:classRequired" };
  const lessonId = values.lessonId.trim() || null;
  if (lessonId && !(await lessonChoicesOf(me)).some((l) => l.id === lessonId)) errors.lessonId = { key: "assignments:lessonNotYours" };
  const time = (name: "openAt" | "dueAt" | "lateUntil", fallback: number | null) => {
    try {
      return beijingTimeFrom(values[name], fallback as number, name, "assignments:timeInvalid");
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      Object.assign(errors, error.fields);
      return undefined;
    }
  };
  const openAt = time("openAt", now);
  const dueAt = values.dueAt.trim() ? time("dueAt", null) : ((errors.dueAt = { key: "assignments:dueRequired" }), undefined);
  const lateUntil = values.acceptLate ? (values.lateUntil.trim() ? time("lateUntil", null) : ((errors.lateUntil = { key: "assignments:lateUntilRequired" }), undefined)) : null;
  if (openAt && dueAt && dueAt.getTime() <= openAt.getTime()) errors.dueAt = { key: "assignments:dueBeforeOpen" };
  if (dueAt && lateUntil && lateUntil.getTime() < dueAt.getTime()) errors.lateUntil = { key: "assignments:lateBeforeDue" };
  let body: ReturnType<typeof richTextFromForm> | undefined;
  try {
    body = richTextFromForm(fields, "body");
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    Object.assign(errors, error.fields);
  }
  if (body && !body.text.trim() && !body.fileIds.length) errors.body = { key: "assignments:bodyRequired" };
  if (Object.keys(errors).length || !title.success || !points.success || !body || !openAt || !dueAt || lateUntil === undefined) throw new ValidationError(errors);
  return { title: title.data, body, classIds: values.classIds, lessonId, openAt, dueAt, lateUntil, allowResubmit: values.allowResubmit, points: points.data };
}

async function writeClasses(tx: Tx, id: string, classIds: string[]): Promise<void> {
  await tx.delete(schema.assignmentClasses).where(eq(schema.assignmentClasses.assignmentId, id));
  for (const classId of classIds) await tx.insert(schema.assignmentClasses).values({ assignmentId: id, classId });
}

/**
 * Creates an assignment from its form (fields: id, title, body / bodyJson, class.<id>, lessonId,
 * openAt, dueAt, acceptLate, lateUntil, allowResubmit, points, intent "draft" | "publish"). The same
 * form sent twice (same id) returns the first assignment unchanged.
 */
export async function createAssignment(actor: Actor, fields: Fields, uploadedFileIds: string[] = [], now = Date.now()): Promise<{ id: string; status: "draft" | "published" }> {
  return orDiscard(actor, uploadedFileIds, async () => {
    const me = await requireAssignmentWriter(actor);
    const id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).safeParse(fields.get("id") ?? "");
    if (!id.success) throw new ValidationError({}, "errors:invalidInput");
    const existing = await first(db().select().from(schema.assignments).where(eq(schema.assignments.id, id.data)).limit(1));
    if (existing) {
      if (existing.authorId !== me.id) throw new NotFoundError();
      if (uploadedFileIds.length) await discardDrafts(me, uploadedFileIds);
      return { id: existing.id, status: existing.status };
    }
    const input = await parseAssignment(me, fields, now);
    const publish = fields.get("intent") === "publish";
    await db().transaction(
      async (tx) => {
        await tx.insert(schema.assignments)
                  .values({
                    id: id.data,
                    authorId: me.id,
                    schoolId: me.schoolId,
                    lessonId: input.lessonId,
                    title: input.title,
                    bodyJson: input.body.doc,
                    bodyHtml: input.body.html,
                    points: input.points,
                    openAt: input.openAt,
                    dueAt: input.dueAt,
                    lateUntil: input.lateUntil,
                    allowResubmit: input.allowResubmit,
                    status: publish ? "published" : "draft",
                    publishedAt: publish ? new Date(now) : null,
                  });
        await writeClasses(tx, id.data, input.classIds);
        const attach = [...new Set([...uploadedFileIds, ...input.body.fileIds])];
        if (attach.length) await attachFiles(tx, me, attach, { type: "assignment", id: id.data });
      },
      { behavior: "immediate" },
    );
    return { id: id.data, status: publish ? "published" : "draft" };
  });
}

/**
 * Saves an edit made from `version`; if the assignment changed since, it is refused with
 * "assignments:editConflict" and nothing is written. A class that already has work handed in cannot be
 * taken off it (the work would be orphaned). `intent` "publish" publishes a draft.
 */
export async function updateAssignment(actor: Actor, id: string, fields: Fields, uploadedFileIds: string[] = [], now = Date.now()): Promise<void> {
  await orDiscard(actor, uploadedFileIds, async () => {
    const me = await requireAssignmentWriter(actor);
    const row = await ownAssignment(me, id);
    const version = Number(fields.get("version"));
    const input = await parseAssignment(me, fields, row.status === "published" ? row.openAt.getTime() : now);
    const removed = (await assignmentClassIds(id)).filter((k) => !input.classIds.includes(k));
    if (removed.length) {
      const handedIn = await first(db()
              .select({ n: sql<number>`count(*)` })
              .from(schema.submissions)
              .where(and(eq(schema.submissions.assignmentId, id), inArray(schema.submissions.classId, removed))).limit(1));
      if (handedIn && handedIn.n > 0) throw new ValidationError({ classIds: { key: "assignments:classHasWork" } });
    }
    if (input.points < row.points) {
      // Lowering the points under a score already given would make that score more than full marks.
      const top = await first(db()
              .select({ score: sql<number | null>`max(${schema.submissions.score})` })
              .from(schema.submissions)
              .where(eq(schema.submissions.assignmentId, id)).limit(1));
      if (top?.score != null && top.score > input.points) throw new ValidationError({ points: { key: "assignments:pointsBelowScores", params: { score: top.score } } });
    }
    const publish = row.status === "draft" && fields.get("intent") === "publish";
    await db().transaction(
      async (tx) => {
        const changed = (await changedRows(tx
          .update(schema.assignments)
          .set({
            title: input.title,
            bodyJson: input.body.doc,
            bodyHtml: input.body.html,
            lessonId: input.lessonId,
            points: input.points,
            openAt: input.openAt,
            dueAt: input.dueAt,
            lateUntil: input.lateUntil,
            allowResubmit: input.allowResubmit,
            version: (Number.isInteger(version) ? version : 0) + 1,
            updatedAt: new Date(now),
            ...(publish ? { status: "published" as const, publishedAt: new Date(now) } : {}),
          })
          .where(and(eq(schema.assignments.id, id), eq(schema.assignments.version, Number.isInteger(version) ? version : -1)))
          ));
        if (!changed) throw new ValidationError({}, "assignments:editConflict");
        await writeClasses(tx, id, input.classIds);
        const current = (await filesOf("assignment", id)).map((f) => f.id);
        const remove = current.filter((fid) => fields.get(`removeFile.${fid}`) === "on");
        const attach = [...new Set([...uploadedFileIds, ...input.body.fileIds])].filter((fid) => !remove.includes(fid));
        if (attach.length) await attachFiles(tx, me, attach, { type: "assignment", id });
        if (remove.length) await deleteFiles(tx, me, remove);
      },
      { behavior: "immediate" },
    );
  });
}

/** Publishes a draft as it stands (students see it from its open time and are told then). */
export async function publishAssignment(actor: Actor, id: string, now = Date.now()): Promise<void> {
  const me = await requireAssignmentWriter(actor);
  const row = await ownAssignment(me, id);
  if (row.status === "published") return;
  await db().update(schema.assignments).set({ status: "published", publishedAt: new Date(now), version: row.version + 1 }).where(eq(schema.assignments.id, id));
}

/** Deletes an assignment nobody has handed work in to (work handed in is never deleted with it). */
export async function deleteAssignment(actor: Actor, id: string): Promise<void> {
  const me = await requireAssignmentWriter(actor);
  await db().transaction(
    async (tx) => {
      await ownAssignment(me, id);
      const work = await first(tx.select({ id: schema.submissions.id }).from(schema.submissions).where(eq(schema.submissions.assignmentId, id)).limit(1));
      if (work) throw new ValidationError({}, "assignments:hasWork");
      await deleteFilesOf(tx, { type: "assignment", id });
      // Its "new assignment" and "due soon" notices would lead to a page that is gone.
      await tx.delete(schema.notifications).where(and(eq(schema.notifications.subjectType, "assignment"), eq(schema.notifications.subjectId, id)));
      await tx.delete(schema.assignments).where(eq(schema.assignments.id, id));
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------------
// Lists

export type AssignmentCard = {
  id: string;
  title: string;
  state: AssignmentState;
  openAt: Date;
  dueAt: Date;
  closeAt: Date;
  points: number;
  classes: ClassChoice[];
};

async function classesOf(assignmentIds: string[]): Promise<Map<string, ClassChoice[]>> {
  const out = new Map<string, ClassChoice[]>();
  if (!assignmentIds.length) return out;
  const rows = await db()
      .select({ assignmentId: schema.assignmentClasses.assignmentId, id: schema.classes.id, name: schema.classes.name, names: schema.classes.names })
      .from(schema.assignmentClasses)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.assignmentClasses.classId))
      .where(inArray(schema.assignmentClasses.assignmentId, assignmentIds))
      .orderBy(schema.classes.grade, schema.classes.name);
  for (const r of rows) out.set(r.assignmentId, [...(out.get(r.assignmentId) ?? []), { id: r.id, name: r.name, names: r.names }]);
  return out;
}

function card(row: AssignmentRow, classes: Map<string, ClassChoice[]>, now: number): AssignmentCard {
  return { id: row.id, title: row.title, state: stateOf(row, now), openAt: row.openAt, dueAt: row.dueAt, closeAt: closeAtOf(row), points: row.points, classes: classes.get(row.id) ?? [] };
}

/**
 * A teacher's assignments: their own, and the published ones set to classes they teach; drafts and
 * open ones first, then by due time.
 */
export async function teacherAssignments(actor: Actor, now = Date.now()): Promise<(AssignmentCard & { mine: boolean; handedIn: number; toGrade: number })[]> {
  const me = await requireAssignmentWriter(actor);
  const taught = (await taughtClasses(me)).map((k) => k.id);
  const viaClass = taught.length
    ? (await db().select({ id: schema.assignmentClasses.assignmentId }).from(schema.assignmentClasses).where(inArray(schema.assignmentClasses.classId, taught))).map((r) => r.id)
    : [];
  const rows = await db()
      .select()
      .from(schema.assignments)
      .where(or(eq(schema.assignments.authorId, me.id), and(eq(schema.assignments.status, "published"), inArray(schema.assignments.id, viaClass.length ? viaClass : [""]))));
  const classes = await classesOf(rows.map((r) => r.id));
  const counts = new Map(
    rows.length
      ? (await db()
                    .select({
                      id: schema.submissions.assignmentId,
                      handedIn: sql<number>`sum(case when ${schema.submissions.versionCount} > 0 then 1 else 0 end)`,
                      toGrade: sql<number>`sum(case when ${schema.submissions.versionCount} > 0 and ${schema.submissions.gradeState} <> 'returned' then 1 else 0 end)`,
                    })
                    .from(schema.submissions)
                    .where(inArray(
                      schema.submissions.assignmentId,
                      rows.map((r) => r.id),
                    ))
                    .groupBy(schema.submissions.assignmentId))
          .map((c) => [c.id, c] as const)
      : [],
  );
  const order: Record<AssignmentState, number> = { draft: 0, open: 1, scheduled: 2, closed: 3 };
  return rows
    .map((r) => ({ ...card(r, classes, now), mine: r.authorId === me.id, handedIn: counts.get(r.id)?.handedIn ?? 0, toGrade: counts.get(r.id)?.toGrade ?? 0 }))
    .sort((a, b) => order[a.state] - order[b.state] || (a.state === "closed" ? b.dueAt.getTime() - a.dueAt.getTime() : a.dueAt.getTime() - b.dueAt.getTime()));
}

export type TodoItem = AssignmentCard & {
  /** Where the student stands, in work-states.server's words (toDo, missing, handedIn, late, returned). */
  work: WorkState;
  /** Missing, and late work is still taken until "late until". */
  lateOpen: boolean;
  /** @deprecated the older words; use `state`. */
  status: "todo" | "submitted" | "late" | "returned";
  /** @deprecated use `state === "missing"`. */
  overdue: boolean;
};

/** The published, opened assignments of the classes a student is in, with their standing on each. */
async function studentAssignments(me: SignedInActor, now: number): Promise<TodoItem[]> {
  const rows = (await db()
      .selectDistinct({ a: schema.assignments })
      .from(schema.classMemberships)
      .innerJoin(schema.assignmentClasses, eq(schema.assignmentClasses.classId, schema.classMemberships.classId))
      .innerJoin(schema.assignments, eq(schema.assignments.id, schema.assignmentClasses.assignmentId))
      .where(and(eq(schema.classMemberships.userId, me.id), eq(schema.classMemberships.role, "student"), eq(schema.assignments.status, "published"), lte(schema.assignments.openAt, new Date(now)))))
    .map((r) => r.a);
  // Work handed in, or a grade returned (a mark for missing work included).
  const mine = await db()
      .select()
      .from(schema.submissions)
      .where(and(eq(schema.submissions.studentId, me.id), or(gt(schema.submissions.versionCount, 0), eq(schema.submissions.gradeState, "returned"))));
  // Work handed in to assignments of classes the student has since left stays in their list.
  const missing = mine.filter((s) => s.versionCount > 0).map((s) => s.assignmentId).filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) rows.push(...await db().select().from(schema.assignments).where(inArray(schema.assignments.id, missing)));
  const classes = await classesOf(rows.map((r) => r.id));
  const bySubmission = new Map(mine.map((s) => [s.assignmentId, s]));
  return rows.map((r) => {
    const s = bySubmission.get(r.id);
    const status: TodoItem["status"] = s?.gradeState === "returned" ? "returned" : s && s.versionCount > 0 ? (s.late ? "late" : "submitted") : "todo";
    // The pupil's own space is open here (todoList requires it): never "not expected".
    const work = workStateOf(r, s, null, now);
    return { ...card(r, classes, now), work: work.state, lateOpen: work.lateOpen, status, overdue: status === "todo" && now > r.dueAt.getTime() };
  });
}

/**
 * The student's to-do list across their classes: what is still to hand in (and may be), soonest due
 * first; then what is handed in or returned, newest due first.
 */
export async function todoList(actor: Actor, now = Date.now()): Promise<{ todo: TodoItem[]; done: TodoItem[] }> {
  const { actor: me } = requireActingAs(actor, "student");
  await requireSpaceFeature(me, "assignments");
  const all = await studentAssignments(me, now);
  return {
    todo: all.filter((a) => (a.work === "toDo" || a.work === "missing") && a.closeAt.getTime() >= now).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()),
    done: all.filter((a) => !((a.work === "toDo" || a.work === "missing") && a.closeAt.getTime() >= now)).sort((a, b) => b.dueAt.getTime() - a.dueAt.getTime()),
  };
}

/**
 * For a pupil's home (issue 16, item 1): what is still to hand in and due within `withinMs`, soonest
 * first, in work-states.server's words (toDo, or missing while late work is still taken). Refuses as
 * todoList does.
 */
export async function dueSoonFor(actor: Actor, withinMs = 2 * DUE_SOON_MS, now = Date.now()): Promise<TodoItem[]> {
  return (await todoList(actor, now)).todo.filter((a) => a.work === "missing" || a.dueAt.getTime() - now <= withinMs);
}

/** For the class page: the class's published assignments (students: opened ones), by due time. */
export async function assignmentsOfClass(actor: Actor, classId: string, now = Date.now()): Promise<AssignmentCard[]> {
  const { standing } = await classReader(actor, classId);
  return assignmentsForStanding(classId, standing, now);
}

/** assignmentsOfClass for a caller that has already run classReader (the class space): the reader's standing decides. */
export async function assignmentsForStanding(classId: string, standing: ClassStanding, now = Date.now()): Promise<AssignmentCard[]> {
  const rows = (await db()
      .select({ a: schema.assignments })
      .from(schema.assignmentClasses)
      .innerJoin(schema.assignments, eq(schema.assignments.id, schema.assignmentClasses.assignmentId))
      .where(and(eq(schema.assignmentClasses.classId, classId), eq(schema.assignments.status, "published"), standing === "student" ? lte(schema.assignments.openAt, new Date(now)) : undefined))
      .orderBy(desc(schema.assignments.dueAt)))
    .map((r) => r.a);
  const classes = await classesOf(rows.map((r) => r.id));
  return rows.map((r) => card(r, classes, now));
}

// ---------------------------------------------------------------------------------------------
// One assignment

export type Receipt = { versionId: string; number: number; submittedAt: Date; checksum: string; late: boolean; files: StoredFile[] };
export type SubmittedVersion = Receipt & { bodyHtml: string };
export type ReturnedGrade = { score: number | null; points: number; feedback: string; files: StoredFile[]; returnedAt: Date; portfolioItemId: string | null };

export type AssignmentView = {
  id: string;
  title: string;
  bodyHtml: string;
  files: StoredFile[];
  state: AssignmentState;
  openAt: Date;
  dueAt: Date;
  lateUntil: Date | null;
  allowResubmit: boolean;
  points: number;
  author: { handle: string; realName: string };
  lesson: { id: string; title: string } | null;
  classes: ClassChoice[];
  /** How the reader stands: the author / a teacher of one of its classes, or a student. */
  standing: "author" | "teacher" | "student";
  /** Students: their versions (newest first), the grade once returned, and whether they may hand in now. */
  mine: { versions: SubmittedVersion[]; grade: ReturnedGrade | null; may: SubmitRule; nextVersionId: string; work: WorkState; lateOpen: boolean } | null;
};

/** Whether a student may hand in now, and if not, why (a locale key in the assignments namespace). */
export type SubmitRule = { ok: true; late: boolean } | { ok: false; reason: "notOpen" | "closed" | "noResubmit" | "resubmitAfterDue" | "returned" | "notInClass" };

/** The class (set for the assignment) the student is in now, if any. */
async function studentClassFor(studentId: string, assignmentId: string): Promise<string | null> {
  const setTo = await assignmentClassIds(assignmentId);
  if (!setTo.length) return null;
  return (
    (await first(db()
            .select({ classId: schema.classMemberships.classId })
            .from(schema.classMemberships)
            .where(and(eq(schema.classMemberships.userId, studentId), eq(schema.classMemberships.role, "student"), inArray(schema.classMemberships.classId, setTo))).limit(1)))?.classId ?? null
  );
}

export function submitRule(a: AssignmentRow, submission: SubmissionRow | undefined, inClass: boolean, now: number): SubmitRule {
  if (!inClass) return { ok: false, reason: "notInClass" };
  const state = stateOf(a, now);
  if (state === "draft" || state === "scheduled") return { ok: false, reason: "notOpen" };
  if (state === "closed") return { ok: false, reason: "closed" };
  const late = now > a.dueAt.getTime();
  // A returned grade is final, also a mark given for missing work: work handed in under it would go unseen.
  if (submission?.gradeState === "returned") return { ok: false, reason: "returned" };
  if (submission && submission.versionCount > 0) {
    if (!a.allowResubmit) return { ok: false, reason: "noResubmit" };
    if (late) return { ok: false, reason: "resubmitAfterDue" };
  }
  return { ok: true, late };
}

export async function versionsOf(submissionId: string): Promise<SubmittedVersion[]> {
  return (mapInOrder((await db()
        .select()
        .from(schema.submissionVersions)
        .where(eq(schema.submissionVersions.submissionId, submissionId))
        .orderBy(desc(schema.submissionVersions.number))), async (v) => ({ versionId: v.id, number: v.number, submittedAt: v.submittedAt, checksum: shortChecksum(v.checksum), late: v.late, files: await filesOf("submission", v.id), bodyHtml: v.bodyHtml })));
}

/** The receipt's checksum: the first 12 hex digits of the SHA-256, in groups of four. */
export function shortChecksum(hex: string): string {
  return hex.slice(0, 12).match(/.{4}/g)!.join("-");
}

export async function viewAssignment(actor: Actor, id: string, now = Date.now()): Promise<AssignmentView> {
  const me = requireSignedIn(actor);
  const row = await assignmentRow(id);
  if (!await mayReadAssignment(me, row, now)) throw new NotFoundError();
  const author = (await first(db().select({ handle: schema.users.handle, realName: schema.users.realName }).from(schema.users).where(eq(schema.users.id, row.authorId)).limit(1)))!;
  const lesson = row.lessonId ? (await first(db().select({ id: schema.lessons.id, title: schema.lessons.title }).from(schema.lessons).where(eq(schema.lessons.id, row.lessonId)).limit(1)) ?? null) : null;
  const standing = me.activeRole === "student" ? "student" : me.id === row.authorId && me.activeRole === "teacher" ? "author" : "teacher";
  let mine: AssignmentView["mine"] = null;
  if (standing === "student") {
    await requireSpaceFeature(me, "assignments");
    const submission = await first(db()
          .select()
          .from(schema.submissions)
          .where(and(eq(schema.submissions.assignmentId, id), eq(schema.submissions.studentId, me.id))).limit(1));
    const grade: ReturnedGrade | null =
      submission?.gradeState === "returned"
        ? { score: submission.score, points: row.points, feedback: submission.feedback ?? "", files: await filesOf("feedback", submission.id), returnedAt: submission.returnedAt!, portfolioItemId: await livePortfolioItem(submission.portfolioItemId) }
        : null;
    mine = {
      versions: submission ? await versionsOf(submission.id) : [],
      grade,
      may: submitRule(row, submission, await studentClassFor(me.id, id) !== null, now),
      nextVersionId: randomId(),
      // The pupil's own space is open here (requireSpaceFeature above): never "not expected".
      ...(({ state, lateOpen }) => ({ work: state, lateOpen }))(workStateOf(row, submission, null, now)),
    };
  }
  return {
    id,
    title: row.title,
    bodyHtml: row.bodyHtml,
    files: await filesOf("assignment", id),
    state: stateOf(row, now),
    openAt: row.openAt,
    dueAt: row.dueAt,
    lateUntil: row.lateUntil,
    allowResubmit: row.allowResubmit,
    points: row.points,
    author,
    lesson,
    classes: (await classesOf([id])).get(id) ?? [],
    standing,
    mine,
  };
}

async function livePortfolioItem(id: string | null): Promise<string | null> {
  if (!id) return null;
  return (await first(db().select({ id: schema.portfolioItems.id }).from(schema.portfolioItems).where(eq(schema.portfolioItems.id, id)).limit(1)))?.id ?? null;
}

// ---------------------------------------------------------------------------------------------
// Handing in

/** Checksum of what was stored: the sanitized text, then each file's name and SHA-256, in order. */
export function checksumOf(html: string, files: { name: string; sha256: string }[]): string {
  const hash = createHash("sha256").update(html, "utf8");
  for (const f of files) hash.update(`\n${f.name}\n${f.sha256}`, "utf8");
  return hash.digest("hex");
}

async function submitter(actor: Actor, assignmentId: string, now: number): Promise<{ me: SignedInActor; a: AssignmentRow; classId: string | null }> {
  const { actor: me } = requireActingAs(actor, "student");
  await requireSpaceFeature(me, "assignments");
  const a = await assignmentRow(assignmentId);
  const classId = await studentClassFor(me.id, assignmentId);
  // Not in a class it is set to: the assignment reads as missing (its title tells nothing).
  if (!classId || a.status !== "published") {
    if (!await mayReadAssignment(me, a, now)) throw new NotFoundError();
  }
  return { me, a, classId };
}

/**
 * For the hand-in route, before any upload is received: refuses whoever may not hand in here at all
 * (not a student of its classes, class teaching closed to them), cheaply. Whether they may hand in now
 * (open, resubmission…) submitWork decides, with the time the request arrived.
 */
export async function requireSubmitter(actor: Actor, assignmentId: string, now = Date.now()): Promise<void> {
  await submitter(actor, assignmentId, now);
}

/**
 * Hands in a version (fields: versionId picked by the page, body / bodyJson) with the files uploaded
 * with it. The same versionId sent again (double click, retried request) returns the first receipt and
 * stores nothing more. Refused: not a student of a class it is set to, not open yet, closed, handing in
 * again when resubmission is off or after the due time, or after the grade was returned; empty work.
 */
export async function submitWork(actor: Actor, assignmentId: string, fields: Fields, uploadedFileIds: string[] = [], now = Date.now()): Promise<Receipt> {
  return orDiscard(actor, uploadedFileIds, async () => {
    const { me, a, classId } = await submitter(actor, assignmentId, now);
    const versionId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).safeParse(fields.get("versionId") ?? "");
    if (!versionId.success) throw new ValidationError({}, "errors:invalidInput");
    const again = await receiptOf(me.id, versionId.data);
    if (again) {
      // A version of the student's work on another assignment is not a retry of this hand-in.
      const of = await first(db()
              .select({ assignmentId: schema.submissions.assignmentId })
              .from(schema.submissionVersions)
              .innerJoin(schema.submissions, eq(schema.submissions.id, schema.submissionVersions.submissionId))
              .where(eq(schema.submissionVersions.id, versionId.data)).limit(1));
      if (of?.assignmentId !== assignmentId) throw new ValidationError({}, "errors:invalidInput");
      if (uploadedFileIds.length) await discardDrafts(me, uploadedFileIds);
      return again;
    }
    const body = richTextFromForm(fields, "body");
    const fileIds = [...new Set([...uploadedFileIds, ...body.fileIds])];
    if (!body.text.trim() && !fileIds.length) throw new ValidationError({ body: { key: "assignments:workEmpty" } });
    let repeated = false;
    const receipt = await db().transaction(
      async (tx) => {
        // A double click sent at once: whichever commits second finds the first's version here (on
        // PostgreSQL after a retry), and answers with its receipt.
        const done = await receiptOf(me.id, versionId.data, tx);
        repeated = done !== null;
        if (done) return done;
        const submission = await first(tx
                  .select()
                  .from(schema.submissions)
                  .where(and(eq(schema.submissions.assignmentId, assignmentId), eq(schema.submissions.studentId, me.id))).limit(1));
        // Decided inside the write lock: two tabs handing in at once are one after the other here.
        const rule = submitRule(a, submission, classId !== null, now);
        if (!rule.ok) throw new ValidationError({}, `assignments:cannot.${rule.reason}`);
        const submissionId = submission?.id ?? randomId();
        const number = (submission?.versionCount ?? 0) + 1;
        if (!submission) await tx.insert(schema.submissions).values({ id: submissionId, assignmentId, studentId: me.id, classId });
        await tx.insert(schema.submissionVersions).values({ id: versionId.data, submissionId, number, bodyJson: body.doc, bodyHtml: body.html, checksum: "", late: rule.late, submittedAt: new Date(now) });
        if (fileIds.length) await attachFiles(tx, me, fileIds, { type: "submission", id: versionId.data });
        const stored = await tx
                  .select({ name: schema.files.name, sha256: schema.files.sha256 })
                  .from(schema.files)
                  .where(and(eq(schema.files.attachedTo, "submission"), eq(schema.files.attachedId, versionId.data)))
                  .orderBy(asc(schema.files.position));
        await tx.update(schema.submissionVersions).set({ checksum: checksumOf(body.html, stored) }).where(eq(schema.submissionVersions.id, versionId.data));
        await tx.update(schema.submissions)
                  .set({ versionCount: number, lastSubmittedAt: new Date(now), late: rule.late, classId: submission?.classId ?? classId })
                  .where(eq(schema.submissions.id, submissionId));
        await tellTeachersOfHandIn(tx, assignmentId, submission?.classId ?? classId, now);
        return (await receiptOf(me.id, versionId.data, tx))!;
      },
      { behavior: "immediate" },
    );
    // The repeated request's own upload is not kept: the first request's files are the hand-in's.
    if (repeated && uploadedFileIds.length) await discardDrafts(me, uploadedFileIds);
    return receipt;
  });
}

/** The receipt of a version the student handed in (null: no such version of theirs). */
export async function receiptOf(studentId: string, versionId: string, tx: Pick<DB, "select"> = db()): Promise<Receipt | null> {
  const v = await first(tx
      .select({ version: schema.submissionVersions, studentId: schema.submissions.studentId })
      .from(schema.submissionVersions)
      .innerJoin(schema.submissions, eq(schema.submissions.id, schema.submissionVersions.submissionId))
      .where(eq(schema.submissionVersions.id, versionId)).limit(1));
  if (!v) return null;
  // Another student's version reads as missing: a guessed id learns nothing.
  if (v.studentId !== studentId) throw new NotFoundError();
  // db() is the caller's transaction when there is one (on either engine): this reads its own writes.
  const files = await filesOf("submission", versionId);
  return {
    versionId,
    number: v.version.number,
    submittedAt: v.version.submittedAt,
    checksum: shortChecksum(v.version.checksum),
    late: v.version.late,
    files,
  };
}

// ---------------------------------------------------------------------------------------------
// Notices: "new assignment" when it opens, "due soon" a day before the due time if nothing is handed
// in. Written when the student next loads a page (no scheduler to run or to fail): each is written
// once, dated when it became true, and needs no job in the background.

/** Writes the student's notices that have become due by `now` (the root loader calls it for students). */
export async function deliverAssignmentNotices(actor: Actor, now = Date.now()): Promise<void> {
  if (!actor || actor.activeRole !== "student") return;
  try {
    await requireSpaceFeature(actor, "assignments");
  } catch {
    return; // class teaching not open to them yet: nothing to tell
  }
  const a = schema.assignments;
  const n = schema.notifications;
  const noticeOf = (kind: "assignment_new" | "assignment_due") =>
    sql`not exists (select 1 from ${n} where ${n.userId} = ${actor.id} and ${n.kind} = ${kind} and ${n.subjectId} = ${a.id})`;
  const candidates = async () =>
    db()
            .selectDistinct({ id: a.id, openAt: a.openAt, dueAt: a.dueAt, lateUntil: a.lateUntil, authorId: a.authorId })
            .from(schema.classMemberships)
            .innerJoin(schema.assignmentClasses, eq(schema.assignmentClasses.classId, schema.classMemberships.classId))
            .innerJoin(a, eq(a.id, schema.assignmentClasses.assignmentId))
            .leftJoin(schema.submissions, and(eq(schema.submissions.assignmentId, a.id), eq(schema.submissions.studentId, actor.id)))
            .where(
              and(
                eq(schema.classMemberships.userId, actor.id),
                eq(schema.classMemberships.role, "student"),
                eq(a.status, "published"),
                lte(a.openAt, new Date(now)),
                gt(a.dueAt, new Date(now)),
                or(noticeOf("assignment_new"), and(lte(a.dueAt, new Date(now + DUE_SOON_MS)), or(isNull(schema.submissions.id), eq(schema.submissions.versionCount, 0)), noticeOf("assignment_due"))),
              ),
            );
  if (!(await candidates()).length) return;
  await db().transaction(
    async (tx) => {
      // Again inside the write lock: two pages loading at once write each notice once.
      const has = async (kind: string, id: string) =>
        first(tx.select({ id: n.id }).from(n).where(and(eq(n.userId, actor.id), eq(n.kind, kind as "assignment_new"), eq(n.subjectId, id))).limit(1));
      for (const c of await candidates()) {
        if (!await has("assignment_new", c.id)) {
          await tx.insert(n).values({ id: randomId(), userId: actor.id, kind: "assignment_new", actorId: c.authorId, subjectType: "assignment", subjectId: c.id, createdAt: c.openAt });
        }
        const handedIn = await first(tx
                  .select({ n: schema.submissions.versionCount })
                  .from(schema.submissions)
                  .where(and(eq(schema.submissions.assignmentId, c.id), eq(schema.submissions.studentId, actor.id))).limit(1));
        if (c.dueAt.getTime() - now <= DUE_SOON_MS && !(handedIn && handedIn.n > 0) && !await has("assignment_due", c.id)) {
          const since = Math.max(c.openAt.getTime(), c.dueAt.getTime() - DUE_SOON_MS);
          await tx.insert(n).values({ id: randomId(), userId: actor.id, kind: "assignment_due", actorId: null, subjectType: "assignment", subjectId: c.id, createdAt: new Date(since) });
        }
      }
    },
    { behavior: "immediate" },
  );
}

/** For pages that show "grading" links: whether the reader may grade anyone on this assignment. */
export async function mayGrade(actor: Actor, assignmentId: string): Promise<boolean> {
  if (!actor || actor.activeRole !== "teacher") return false;
  return (await taughtClasses(actor, await assignmentClassIds(assignmentId))).length > 0;
}

