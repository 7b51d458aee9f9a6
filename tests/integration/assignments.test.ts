import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import {
  assignmentForEdit,
  assignmentsOfClass,
  createAssignment,
  deleteAssignment,
  deliverAssignmentNotices,
  mayGrade,
  newAssignmentForm,
  publishAssignment,
  stateOf,
  submitWork,
  teacherAssignments,
  todoList,
  updateAssignment,
  viewAssignment,
} from "~/domain/classwork/assignments.server";
import { beijingLocalTimeOf } from "~/domain/foundation/beijing-time.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { openFile } from "~/domain/downloads/file-reading.server";
import { removalsSettled } from "~/domain/uploads/files.server";
import { FeatureClosedError, clearFlagOverride, setFlagOverride } from "~/domain/rollout/flags.server";
import { randomId } from "~/domain/foundation/ids.server";
import { createLesson, publishLesson } from "~/domain/classwork/lessons.server";
import { recordConsent } from "~/domain/rollout/rollout.server";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";
import { canOpen, upload } from "../support/files";

// wuhou-pri (primary, phase 3): 三年级（1）班 has s1–s4, 五年级（2）班 s5–s8; t1–t3 teach both, except that
// here t2 is taken out of 五年级（2）班 to be "a teacher of another class". Students under 14 need consent:
// s1 and s5 have it in the demo, s2, s3 and s6 get it here. wuhou-jun.s5 (15) is another school's student.
// The demo world may hold assignments of its own, so every assertion looks at the assignments made here.
let classA: string;
let classB: string;
let otherSchoolClass: string;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Times typed into the form have minutes; the domain's own checks (file reads) use the clock.
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
const local = (ms: number) => beijingLocalTimeOf(new Date(ms));

beforeAll(async () => {
  await demoWorld();
  classA = await classIdOf("wuhou-pri", "三年级（1）班");
  classB = await classIdOf("wuhou-pri", "五年级（2）班");
  otherSchoolClass = await classIdOf("wuhou-jun", "七年级（3）班");
  await db()
      .delete(schema.classMemberships)
      .where(and(eq(schema.classMemberships.classId, classB), eq(schema.classMemberships.userId, (await userByLogin("wuhou-pri.t2")).id)));
  for (const student of ["wuhou-pri.s2", "wuhou-pri.s3", "wuhou-pri.s6"]) {
    await recordConsent(await actorFor("wuhou-pri.admin"), { student, guardianName: "王淑芬", signedOn: "2026-09-01", decision: "given" });
  }
});

// Removed files lose their bytes after the test's transaction: let that finish before the database closes.
afterAll(async () => removalsSettled());

const t1 = async () => actorFor("wuhou-pri.t1", "teacher");
const s = async (n: number) => actorFor(`wuhou-pri.s${n}`);

const form = (fields: Record<string, string | undefined>) => new Map(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));

/** An assignment form: class 三年级（1）班, open an hour ago, due in two days, 100 points, published. */
function fields(over: Record<string, string | undefined> = {}) {
  return form({
    id: randomId(),
    title: "观察日记",
    body: "连续三天观察一种植物，记录它的变化。",
    [`class.${classA}`]: "on",
    openAt: local(NOW - HOUR),
    dueAt: local(NOW + 2 * DAY),
    allowResubmit: "on",
    points: "100",
    intent: "publish",
    ...over,
  });
}

const create = async (actor: Actor, over: Record<string, string | undefined> = {}, files: string[] = [], now = NOW) => (await createAssignment(actor, fields(over), files, now)).id;

const handIn = async (actor: Actor, id: string, body: string, opts: { files?: string[]; now?: number; versionId?: string } = {}) =>
  submitWork(actor, id, form({ versionId: opts.versionId ?? randomId(), body }), opts.files ?? [], opts.now ?? NOW);

const fileRow = async (id: string) => first(db().select().from(schema.files).where(eq(schema.files.id, id)).limit(1));
const assignmentCount = async (id: string) => (await db().select().from(schema.assignments).where(eq(schema.assignments.id, id))).length;
const CHECKSUM = /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/;

describe("the life cycle", () => {
  it("goes draft → scheduled → open → closed, each seen only by whom it should be", async () => {
    const openAt = NOW + 3 * HOUR;
    const dueAt = NOW + 2 * DAY;
    const id = await create(await t1(), { title: "春天的诗", intent: "draft", openAt: local(openAt), dueAt: local(dueAt) });
    const row = async () => (await first(db().select().from(schema.assignments).where(eq(schema.assignments.id, id)).limit(1)))!;
    expect((await row()).openAt.getTime()).toBe(openAt);
    expect((await row()).dueAt.getTime()).toBe(dueAt);

    // Draft: its author only; not even another teacher of the class, and no student.
    expect(stateOf(await row(), NOW)).toBe("draft");
    expect((await viewAssignment(await t1(), id, NOW)).standing).toBe("author");
    expect(await refusal(async () => viewAssignment(await actorFor("wuhou-pri.t3", "teacher"), id, NOW))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => viewAssignment(await s(1), id, NOW))).toBeInstanceOf(NotFoundError);
    expect((await assignmentsOfClass(await t1(), classA, NOW)).map((a) => a.id)).not.toContain(id);
    expect((await todoList(await s(1), NOW)).todo.map((a) => a.id)).not.toContain(id);
    expect((await teacherAssignments(await t1(), NOW)).find((a) => a.id === id)).toMatchObject({ state: "draft", mine: true });
    expect(await refusal(async () => handIn(await s(1), id, "太早了"))).toBeInstanceOf(NotFoundError);

    // Published with a future open time: scheduled. Teachers see it, students do not.
    await publishAssignment(await t1(), id, NOW);
    expect(stateOf(await row(), NOW)).toBe("scheduled");
    expect(await viewAssignment(await actorFor("wuhou-pri.t3", "teacher"), id, NOW)).toMatchObject({ standing: "teacher", state: "scheduled" });
    expect((await assignmentsOfClass(await actorFor("wuhou-pri.t3", "teacher"), classA, NOW)).map((a) => a.id)).toContain(id);
    expect((await teacherAssignments(await actorFor("wuhou-pri.t3", "teacher"), NOW)).find((a) => a.id === id)).toMatchObject({ state: "scheduled", mine: false });
    expect(await refusal(async () => viewAssignment(await s(1), id, NOW))).toBeInstanceOf(NotFoundError);
    expect((await assignmentsOfClass(await s(1), classA, NOW)).map((a) => a.id)).not.toContain(id);
    expect((await todoList(await s(1), NOW)).todo.map((a) => a.id)).not.toContain(id);
    expect((await validationRefusal(async () => handIn(await s(1), id, "还没开始"))).key).toBe("assignments:cannot.notOpen");

    // Open from its open time.
    expect(stateOf(await row(), openAt)).toBe("open");
    const view = await viewAssignment(await s(1), id, openAt);
    expect(view).toMatchObject({ standing: "student", state: "open", title: "春天的诗", points: 100 });
    expect(view.mine?.may).toEqual({ ok: true, late: false });
    expect(view.mine?.versions).toEqual([]);
    expect(view.mine?.nextVersionId).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    expect((await assignmentsOfClass(await s(1), classA, openAt)).map((a) => a.id)).toContain(id);
    expect((await todoList(await s(1), openAt)).todo.map((a) => a.id)).toContain(id);

    // No late work: closed right after the due time.
    expect(stateOf(await row(), dueAt)).toBe("open");
    expect(stateOf(await row(), dueAt + 1)).toBe("closed");
    expect((await viewAssignment(await s(1), id, dueAt + 1)).mine?.may).toEqual({ ok: false, reason: "closed" });
  });

  it("closes at the late limit when late work is taken", () => {
    const row = { status: "published" as const, openAt: new Date(NOW), dueAt: new Date(NOW + DAY), lateUntil: new Date(NOW + 2 * DAY) };
    expect(stateOf(row, NOW - 1)).toBe("scheduled");
    expect(stateOf(row, NOW + DAY + 1)).toBe("open");
    expect(stateOf(row, NOW + 2 * DAY)).toBe("open");
    expect(stateOf(row, NOW + 2 * DAY + 1)).toBe("closed");
    expect(stateOf({ ...row, status: "draft" }, NOW + DAY)).toBe("draft");
  });

  it("creates one assignment when the same form is sent twice", async () => {
    const sent = fields({ title: "双击" });
    const first = await createAssignment(await t1(), sent, [], NOW);
    const second = await createAssignment(await t1(), sent, [], NOW);
    expect(second).toEqual(first);
    expect(await assignmentCount(first.id)).toBe(1);
    expect(await db().select().from(schema.assignmentClasses).where(eq(schema.assignmentClasses.assignmentId, first.id))).toHaveLength(1);
    // Another teacher cannot take over the id, nor learn that it exists.
    expect(await refusal(async () => createAssignment(await actorFor("wuhou-pri.t3", "teacher"), sent, [], NOW))).toBeInstanceOf(NotFoundError);
  });

  it("offers a new form with a fresh id and only the teacher's own classes and lessons", async () => {
    const lesson = (await createLesson(await actorFor("wuhou-pri.t3", "teacher"), form({ title: "t3 的课", body: "内容" }), [])).id;
    const t2form = await newAssignmentForm(await actorFor("wuhou-pri.t2", "teacher"), { classId: classB, lessonId: lesson });
    expect(t2form.classChoices.map((k) => k.id)).toEqual([classA]);
    expect(t2form.values.classIds).toEqual([]);
    expect(t2form.values.lessonId).toBe("");
    expect((await newAssignmentForm(await t1(), { classId: classA })).values.classIds).toEqual([classA]);
    expect((await newAssignmentForm(await t1())).id).not.toBe((await newAssignmentForm(await t1())).id);
  });

  it("takes a lesson's title and published classes when set from that lesson, for its author only", async () => {
    const lesson = (await createLesson(await t1(), form({ title: "认识钟表", body: "钟面上有 12 个数。" }), [])).id;
    await publishLesson(await t1(), lesson, { classIds: [classB], publishAt: "" });
    const fromLesson = await newAssignmentForm(await t1(), { lessonId: lesson });
    expect(fromLesson.values).toMatchObject({ title: "认识钟表", classIds: [classB], lessonId: lesson });
    // With a class given too (from a class page), both are chosen, in the form's order.
    expect((await newAssignmentForm(await t1(), { lessonId: lesson, classId: classA })).values.classIds).toEqual([classA, classB]);
    // An unpublished lesson gives its title and no class.
    const draft = (await createLesson(await t1(), form({ title: "未发布的课", body: "内容" }), [])).id;
    expect((await newAssignmentForm(await t1(), { lessonId: draft })).values).toMatchObject({ title: "未发布的课", classIds: [], lessonId: draft });
    // Another teacher of the same class, or an unknown id: the plain empty form, nothing of the lesson.
    for (const [actor, id] of [[await actorFor("wuhou-pri.t3", "teacher"), lesson], [await t1(), "no-such-lesson"]] as const) {
      expect((await newAssignmentForm(actor, { lessonId: id })).values).toMatchObject({ title: "", classIds: [], lessonId: "" });
    }
  });

  it("refuses an edit made from an older version and writes nothing", async () => {
    const id = await create(await t1(), { title: "原题" });
    const tabA = await assignmentForEdit(await t1(), id);
    const tabB = await assignmentForEdit(await t1(), id);
    expect(tabA.values).toMatchObject({ title: "原题", classIds: [classA], points: "100", allowResubmit: true, acceptLate: false });
    await updateAssignment(await t1(), id, fields({ id: undefined, title: "第一个窗口", version: String(tabA.version) }), [], NOW);
    const error = await validationRefusal(async () => updateAssignment(await t1(), id, fields({ id: undefined, title: "第二个窗口", points: "50", [`class.${classB}`]: "on", version: String(tabB.version) }), [], NOW));
    expect(error.key).toBe("assignments:editConflict");
    const after = await assignmentForEdit(await t1(), id);
    expect(after.values).toMatchObject({ title: "第一个窗口", points: "100", classIds: [classA] });
    expect(after.version).toBe(tabA.version + 1);
    expect((await validationRefusal(async () => updateAssignment(await t1(), id, fields({ id: undefined, title: "无版本" }), [], NOW))).key).toBe("assignments:editConflict");
    // Only the author edits, publishes or deletes: another teacher finds no assignment of theirs (404,
    // issue 13 item 9b); a student is refused by role.
    for (const other of [await actorFor("wuhou-pri.t3", "teacher"), await s(1)]) {
      const refused = other.activeRole === "teacher" ? NotFoundError : ForbiddenError;
      expect(await refusal(async () => updateAssignment(other, id, fields({ id: undefined, version: String(after.version) }), [], NOW))).toBeInstanceOf(refused);
      expect(await refusal(async () => deleteAssignment(other, id))).toBeInstanceOf(refused);
      expect(await refusal(async () => publishAssignment(other, id))).toBeInstanceOf(refused);
    }
    expect(await refusal(async () => assignmentForEdit(await actorFor("wuhou-jun.t1", "teacher"), id))).toBeInstanceOf(NotFoundError);
  });

  it("keeps a class with work on the assignment and the assignment itself once work exists", async () => {
    const id = await create(await t1(), { title: "两个班的作业", [`class.${classB}`]: "on" });
    await handIn(await s(5), id, "五年级的作业");
    expect((await teacherAssignments(await t1(), NOW)).find((a) => a.id === id)).toMatchObject({ state: "open", handedIn: 1, toGrade: 1 });
    const { version } = await assignmentForEdit(await t1(), id);
    const error = await validationRefusal(async () => updateAssignment(await t1(), id, fields({ id: undefined, version: String(version) }), [], NOW));
    expect(error.fields.classIds?.key).toBe("assignments:classHasWork");
    expect((await assignmentForEdit(await t1(), id)).values.classIds.sort()).toEqual([classA, classB].sort());
    // Taking off the class without work is fine.
    await updateAssignment(await t1(), id, fields({ id: undefined, [`class.${classA}`]: undefined, [`class.${classB}`]: "on", version: String(version) }), [], NOW);
    expect((await assignmentForEdit(await t1(), id)).values.classIds).toEqual([classB]);

    expect((await validationRefusal(async () => deleteAssignment(await t1(), id))).key).toBe("assignments:hasWork");
    expect(await assignmentCount(id)).toBe(1);
    const empty = await create(await t1(), { title: "没人交" });
    await deleteAssignment(await t1(), empty);
    expect(await assignmentCount(empty)).toBe(0);
  });
});

describe("bad input", () => {
  it("refuses each bad field beside it and stores nothing", async () => {
    const cases: [Record<string, string | undefined>, string, string][] = [
      [{ dueAt: local(NOW - 2 * HOUR) }, "dueAt", "assignments:dueBeforeOpen"],
      [{ dueAt: local(NOW - HOUR) }, "dueAt", "assignments:dueBeforeOpen"],
      [{ dueAt: "" }, "dueAt", "assignments:dueRequired"],
      [{ acceptLate: "on", lateUntil: local(NOW + DAY) }, "lateUntil", "assignments:lateBeforeDue"],
      [{ acceptLate: "on", lateUntil: "" }, "lateUntil", "assignments:lateUntilRequired"],
      [{ points: "-1" }, "points", "assignments:pointsInvalid"],
      [{ points: "abc" }, "points", "assignments:pointsInvalid"],
      [{ points: "1001" }, "points", "assignments:pointsInvalid"],
      [{ points: "1.5" }, "points", "assignments:pointsInvalid"],
      [{ points: "" }, "points", "assignments:pointsInvalid"],
      [{ title: "   " }, "title", "assignments:titleRequired"],
      [{ title: "题".repeat(201) }, "title", "assignments:titleTooLong"],
      [{ body: "" }, "body", "assignments:bodyRequired"],
      [{ [`class.${classA}`]: undefined }, "classIds", "assignments:classRequired"],
      [{ [`class.${otherSchoolClass}`]: "on" }, "classIds", "assignments:classNotYours"],
      [{ [`class.${classA}`]: undefined, [`class.${otherSchoolClass}`]: "on" }, "classIds", "assignments:classNotYours"],
      [{ [`class.nosuchclass`]: "on" }, "classIds", "assignments:classNotYours"],
      [{ openAt: "tomorrow" }, "openAt", "assignments:timeInvalid"],
      [{ dueAt: "2026-02-30T08:00" }, "dueAt", "assignments:timeInvalid"],
      [{ dueAt: "2026-12-01T24:00" }, "dueAt", "assignments:timeInvalid"],
      [{ acceptLate: "on", lateUntil: "2027-13-01T08:00" }, "lateUntil", "assignments:timeInvalid"],
    ];
    for (const [over, field, key] of cases) {
      const sent = fields(over);
      const error = await validationRefusal(async () => createAssignment(await t1(), sent, [], NOW));
      expect(error.fields[field]?.key, JSON.stringify(over)).toBe(key);
      expect(await assignmentCount(sent.get("id")!)).toBe(0);
    }
    expect((await validationRefusal(async () => create(await t1(), { points: "abc" }))).fields.points?.params).toEqual({ max: 1000 });
    // Late work up to exactly the due time, points 0 and 1000 are fine.
    expect(await create(await t1(), { acceptLate: "on", lateUntil: local(NOW + 2 * DAY), points: "0" })).toBeTruthy();
    expect(await create(await t1(), { points: "1000" })).toBeTruthy();
  });

  it("refuses a class box for another teacher's class whole, even beside one of their own", async () => {
    // t2 no longer teaches 五年级（2）班.
    const sent = fields({ [`class.${classB}`]: "on" });
    expect((await validationRefusal(async () => createAssignment(await actorFor("wuhou-pri.t2", "teacher"), sent, [], NOW))).fields.classIds?.key).toBe("assignments:classNotYours");
    expect(await assignmentCount(sent.get("id")!)).toBe(0);
    expect(await db().select().from(schema.assignmentClasses).where(eq(schema.assignmentClasses.assignmentId, sent.get("id")!))).toEqual([]);
  });

  it("refuses a lesson that is not the teacher's", async () => {
    const lesson = (await createLesson(await actorFor("wuhou-pri.t3", "teacher"), form({ title: "别人的课", body: "内容" }), [])).id;
    expect((await validationRefusal(async () => create(await t1(), { lessonId: lesson }))).fields.lessonId?.key).toBe("assignments:lessonNotYours");
    expect((await validationRefusal(async () => create(await t1(), { lessonId: "nosuchlesson" }))).fields.lessonId?.key).toBe("assignments:lessonNotYours");
    const own = (await createLesson(await t1(), form({ title: "自己的课", body: "内容" }), [])).id;
    const id = await create(await t1(), { lessonId: own });
    expect((await viewAssignment(await s(1), id, NOW)).lesson).toEqual({ id: own, title: "自己的课" });
  });

  it("discards the files uploaded with a refused form", async () => {
    const files = await upload(await t1(), "说明.pdf", "refused");
    await validationRefusal(async () => create(await t1(), { title: "" }, files));
    expect(await fileRow(files[0]!)).toBeUndefined();
  });

  it("is refused to a student, a parent, a teacher acting as parent, a school admin and anonymous", async () => {
    for (const actor of [await s(1), await actorFor("wuhou-pri.p1"), await actorFor("wuhou-pri.t1", "parent"), await actorFor("wuhou-pri.admin")]) {
      expect(await refusal(async () => create(actor))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => newAssignmentForm(actor))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => teacherAssignments(actor))).toBeInstanceOf(ForbiddenError);
    }
    expect((await refusal(async () => create(null))).status).toBe(401);
    expect((await refusal(async () => todoList(await t1()))).status).toBe(403);
    expect((await refusal(async () => todoList(null))).status).toBe(401);
  });
});

describe("handing in", () => {
  it("gives a receipt, and one version for the same versionId sent twice (the second upload discarded)", async () => {
    const id = await create(await t1(), { title: "手抄报" });
    const first = await upload(await s(1), "手抄报.pdf", "poster");
    const versionId = randomId();
    const receipt = await handIn(await s(1), id, "我的手抄报", { files: first, versionId });
    expect(receipt).toMatchObject({ versionId, number: 1, late: false });
    expect(receipt.submittedAt.getTime()).toBe(NOW);
    expect(receipt.checksum).toMatch(CHECKSUM);
    expect(receipt.files.map((f) => [f.id, f.name])).toEqual([[first[0], "手抄报.pdf"]]);

    const retry = await upload(await s(1), "手抄报.pdf", "poster");
    const again = await handIn(await s(1), id, "我的手抄报", { files: retry, versionId, now: NOW + MINUTE });
    expect(again).toEqual(receipt);
    expect(await fileRow(retry[0]!)).toBeUndefined();
    expect(await db().select().from(schema.submissionVersions).where(eq(schema.submissionVersions.id, versionId))).toHaveLength(1);
    const submission = await db().select().from(schema.submissions).where(eq(schema.submissions.assignmentId, id));
    expect(submission).toHaveLength(1);
    expect(submission[0]).toMatchObject({ versionCount: 1, classId: classA });

    const view = await viewAssignment(await s(1), id, NOW);
    expect(view.mine?.versions.map((v) => [v.versionId, v.checksum])).toEqual([[versionId, receipt.checksum]]);
    expect(view.mine?.versions[0]?.bodyHtml).toContain("我的手抄报");
    // Another student cannot claim the version id, nor is it a receipt for another assignment.
    expect(await refusal(async () => handIn(await s(2), id, "抢", { versionId }))).toBeInstanceOf(NotFoundError);
    const other = await create(await t1(), { title: "另一份作业" });
    expect((await validationRefusal(async () => handIn(await s(1), other, "换一份", { versionId }))).key).toBe("errors:invalidInput");
    expect(await db().select().from(schema.submissions).where(eq(schema.submissions.assignmentId, other))).toEqual([]);
    expect((await handIn(await s(1), other, "换一份")).number).toBe(1);
  });

  it("keeps every version of a resubmission, each with its own receipt", async () => {
    const id = await create(await t1(), { title: "作文" });
    const one = await handIn(await s(1), id, "初稿");
    const two = await handIn(await s(1), id, "修改稿", { now: NOW + HOUR });
    expect(two.number).toBe(2);
    expect(two.checksum).not.toBe(one.checksum);
    const versions = (await viewAssignment(await s(1), id, NOW + HOUR)).mine!.versions;
    expect(versions.map((v) => v.number)).toEqual([2, 1]);
    expect(versions.map((v) => v.bodyHtml).join()).toContain("初稿");
    expect(await first(db().select().from(schema.submissions).where(eq(schema.submissions.assignmentId, id)).limit(1))).toMatchObject({ versionCount: 2, lastSubmittedAt: new Date(NOW + HOUR) });
  });

  it("refuses handing in again when resubmission is off, or after the due time", async () => {
    const once = await create(await t1(), { title: "只交一次", allowResubmit: undefined });
    await handIn(await s(1), once, "一次");
    expect((await validationRefusal(async () => handIn(await s(1), once, "两次"))).key).toBe("assignments:cannot.noResubmit");
    expect((await viewAssignment(await s(1), once, NOW)).mine?.may).toEqual({ ok: false, reason: "noResubmit" });

    const dueAt = NOW + DAY;
    const late = await create(await t1(), { title: "迟交可以", dueAt: local(dueAt), acceptLate: "on", lateUntil: local(dueAt + DAY) });
    await handIn(await s(1), late, "按时");
    expect((await validationRefusal(async () => handIn(await s(1), late, "再交", { now: dueAt + HOUR }))).key).toBe("assignments:cannot.resubmitAfterDue");
    expect((await first(db().select().from(schema.submissions).where(eq(schema.submissions.assignmentId, late)).limit(1)))?.versionCount).toBe(1);
  });

  it("marks late work late while it is taken, then refuses after the close time", async () => {
    const dueAt = NOW + DAY;
    const lateUntil = dueAt + DAY;
    const id = await create(await t1(), { title: "迟交", dueAt: local(dueAt), acceptLate: "on", lateUntil: local(lateUntil) });
    expect((await viewAssignment(await s(2), id, dueAt + HOUR)).mine?.may).toEqual({ ok: true, late: true });
    const receipt = await handIn(await s(2), id, "晚了一点", { now: dueAt + HOUR });
    expect(receipt.late).toBe(true);
    expect((await first(db().select().from(schema.submissions).where(eq(schema.submissions.assignmentId, id)).limit(1)))?.late).toBe(true);
    expect((await validationRefusal(async () => handIn(await s(1), id, "太晚了", { now: lateUntil + 1 }))).key).toBe("assignments:cannot.closed");
    expect((await handIn(await s(3), id, "刚好", { now: lateUntil })).late).toBe(true);

    // No late work: closed at the due time.
    const strict = await create(await t1(), { title: "不收迟交", dueAt: local(dueAt) });
    expect((await validationRefusal(async () => handIn(await s(1), strict, "晚了", { now: dueAt + 1 }))).key).toBe("assignments:cannot.closed");
    expect((await handIn(await s(1), strict, "准时", { now: dueAt })).late).toBe(false);
    expect(await db().select().from(schema.submissions).where(eq(schema.submissions.assignmentId, strict))).toHaveLength(1);
  });

  it("refuses empty work and a missing version id", async () => {
    const id = await create(await t1(), { title: "空白" });
    expect((await validationRefusal(async () => handIn(await s(1), id, "   "))).fields.body?.key).toBe("assignments:workEmpty");
    expect((await validationRefusal(async () => submitWork(await s(1), id, form({ body: "没有版本号" }), [], NOW))).key).toBe("errors:invalidInput");
    expect(await db().select().from(schema.submissions).where(eq(schema.submissions.assignmentId, id))).toEqual([]);
  });

  it("is refused to another class's student, another school's, a teacher, a parent and anonymous", async () => {
    const id = await create(await t1(), { title: "只给三年级" });
    const files = await upload(await s(5), "五年级.pdf", "outsider");
    expect(await refusal(async () => handIn(await s(5), id, "我不是这个班的", { files }))).toBeInstanceOf(NotFoundError);
    expect(await fileRow(files[0]!)).toBeUndefined();
    expect(await refusal(async () => viewAssignment(await s(5), id, NOW))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => handIn(await actorFor("wuhou-jun.s5"), id, "别的学校"))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => viewAssignment(await actorFor("wuhou-jun.s5"), id, NOW))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => handIn(await t1(), id, "老师交"))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(async () => handIn(await actorFor("wuhou-pri.t3", "teacher"), id, "老师交"))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(async () => handIn(await actorFor("wuhou-pri.p1"), id, "家长代交"))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(async () => viewAssignment(await actorFor("wuhou-pri.p1"), id, NOW))).toBeInstanceOf(NotFoundError);
    expect((await refusal(async () => handIn(null, id, "匿名"))).status).toBe(401);
    expect((await refusal(async () => viewAssignment(null, id, NOW))).status).toBe(401);
    expect(await refusal(async () => handIn(await s(1), "nosuchassignment", "没有这个"))).toBeInstanceOf(NotFoundError);
    expect(await db().select().from(schema.submissions).where(eq(schema.submissions.assignmentId, id))).toEqual([]);
  });

  it("lets a student who left the class read their own work, but not hand in again", async () => {
    const id = await create(await t1(), { title: "转班前交的" });
    const files = await upload(await s(3), "作品.pdf", "leaver");
    await handIn(await s(3), id, "转班前", { files });
    const s3 = (await userByLogin("wuhou-pri.s3")).id;
    const membership = and(eq(schema.classMemberships.classId, classA), eq(schema.classMemberships.userId, s3));
    await db().delete(schema.classMemberships).where(membership);
    try {
      const view = await viewAssignment(await s(3), id, NOW);
      expect(view.mine?.versions).toHaveLength(1);
      expect(view.mine?.may).toEqual({ ok: false, reason: "notInClass" });
      expect(await canOpen(await s(3), files[0]!)).toBe(true);
      expect((await validationRefusal(async () => handIn(await s(3), id, "转班后"))).key).toBe("assignments:cannot.notInClass");
      expect((await todoList(await s(3), NOW)).done.map((a) => a.id)).toContain(id);
      // Their teachers still see the work.
      expect(await canOpen(await t1(), files[0]!)).toBe(true);
    } finally {
      await db().insert(schema.classMemberships).values({ classId: classA, userId: s3, role: "student" });
    }
  });

  it("refuses after the grade is returned", async () => {
    const { saveGrade } = await import("~/domain/grading/grading.server");
    const id = await create(await t1(), { title: "已退回" });
    await handIn(await s(1), id, "交了");
    await saveGrade(await t1(), id, (await userByLogin("wuhou-pri.s1")).id, form({ score: "90", feedback: "", gradeVersion: "0", intent: "return" }));
    expect((await validationRefusal(async () => handIn(await s(1), id, "再交"))).key).toBe("assignments:cannot.returned");
    expect((await viewAssignment(await s(1), id, NOW)).mine?.may).toEqual({ ok: false, reason: "returned" });
  });
});

describe("files", () => {
  it("shows an assignment's files to its class's students from its open time, to nobody else", async () => {
    const openAt = Date.now() + HOUR;
    const files = await upload(await t1(), "说明.pdf", "instructions");
    const id = await create(await t1(), { title: "带附件", openAt: local(openAt) }, files);
    expect((await viewAssignment(await t1(), id, NOW)).files.map((f) => f.name)).toEqual(["说明.pdf"]);
    expect(await canOpen(await t1(), files[0]!)).toBe(true);
    expect(await canOpen(await actorFor("wuhou-pri.t3", "teacher"), files[0]!)).toBe(true);
    // Scheduled: not yet for students (the download route reads the clock).
    expect(await canOpen(await s(1), files[0]!)).toBe(false);
    await db().update(schema.assignments).set({ openAt: new Date(Date.now() - MINUTE) }).where(eq(schema.assignments.id, id));
    expect(await canOpen(await s(1), files[0]!)).toBe(true);
    for (const outsider of [await s(5), await actorFor("wuhou-jun.s5"), await actorFor("wuhou-jun.t1", "teacher"), await actorFor("wuhou-pri.p1")]) {
      expect(await canOpen(outsider, files[0]!), outsider.loginName).toBe(false);
    }
    await expect(openFile(null, files[0]!)).rejects.toMatchObject({ status: 401 });
  });

  it("shows a submission's files to the student and the class's teachers, not to another student or class", async () => {
    const id = await create(await t1(), { title: "两个班的附件", [`class.${classB}`]: "on" });
    const files = await upload(await s(5), "五年级作品.pdf", "work");
    await handIn(await s(5), id, "看附件", { files });
    expect(await canOpen(await s(5), files[0]!)).toBe(true);
    expect(await canOpen(await t1(), files[0]!)).toBe(true);
    expect(await canOpen(await actorFor("wuhou-pri.t3", "teacher"), files[0]!)).toBe(true);
    // t2 teaches 三年级（1）班 only; s6 is a classmate, s1 in the other class; p5 is s5's parent.
    for (const outsider of [await actorFor("wuhou-pri.t2", "teacher"), await s(6), await s(1), await actorFor("wuhou-jun.t1", "teacher"), await actorFor("wuhou-pri.admin"), await actorFor("wuhou-pri.t1", "parent")]) {
      expect(await canOpen(outsider, files[0]!), outsider.loginName).toBe(false);
    }
    await expect(openFile(null, files[0]!)).rejects.toMatchObject({ status: 401 });
  });
});

describe("the to-do list", () => {
  it("lists what is due soonest first across classes, moves handed-in work to done, and keeps closed missed work as overdue", async () => {
    const s1 = (await userByLogin("wuhou-pri.s1")).id;
    await db().insert(schema.classMemberships).values({ classId: classB, userId: s1, role: "student" });
    try {
      const later = await create(await t1(), { title: "三年级：后交", dueAt: local(NOW + 3 * DAY) });
      const sooner = await create(await t1(), { title: "五年级：先交", [`class.${classA}`]: undefined, [`class.${classB}`]: "on", dueAt: local(NOW + DAY) });
      const middle = await create(await t1(), { title: "三年级：中间", dueAt: local(NOW + 2 * DAY) });
      const missed = await create(await t1(), { title: "错过了", openAt: local(NOW - 3 * DAY), dueAt: local(NOW - DAY) });
      const mine = [later, sooner, middle, missed];
      const ofMine = (items: { id: string }[]) => items.map((a) => a.id).filter((x) => mine.includes(x));

      let list = await todoList(await s(1), NOW);
      expect(ofMine(list.todo)).toEqual([sooner, middle, later]);
      expect(list.todo.find((a) => a.id === sooner)?.classes.map((k) => k.id)).toEqual([classB]);
      expect(ofMine(list.done)).toEqual([missed]);
      expect(list.done.find((a) => a.id === missed)).toMatchObject({ status: "todo", state: "closed", overdue: true });

      await handIn(await s(1), middle, "交了中间的");
      list = await todoList(await s(1), NOW);
      expect(ofMine(list.todo)).toEqual([sooner, later]);
      expect(list.done.find((a) => a.id === middle)).toMatchObject({ status: "submitted", overdue: false });
      // Another student's list is their own.
      expect(ofMine((await todoList(await s(2), NOW)).todo)).toEqual([middle, later]);
    } finally {
      await db()
              .delete(schema.classMemberships)
              .where(and(eq(schema.classMemberships.classId, classB), eq(schema.classMemberships.userId, s1)));
    }
  });
});

describe("notices", () => {
  const notices = async (login: string, kind: string, id: string) =>
    db()
            .select()
            .from(schema.notifications)
            .where(and(eq(schema.notifications.userId, (await userByLogin(login)).id), eq(schema.notifications.kind, kind as "assignment_new"), eq(schema.notifications.subjectId, id)));

  it("tells of a new assignment once, from its open time", async () => {
    const openAt = NOW + 2 * HOUR;
    const id = await create(await t1(), { title: "新作业通知", openAt: local(openAt), dueAt: local(NOW + 5 * DAY) });
    await deliverAssignmentNotices(await s(1), NOW);
    expect(await notices("wuhou-pri.s1", "assignment_new", id)).toEqual([]);
    await deliverAssignmentNotices(await s(1), openAt + MINUTE);
    await deliverAssignmentNotices(await s(1), openAt + 2 * MINUTE);
    const told = await notices("wuhou-pri.s1", "assignment_new", id);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ subjectType: "assignment", actorId: (await userByLogin("wuhou-pri.t1")).id, createdAt: new Date(openAt) });
    // A student of another class and a teacher are not told.
    await deliverAssignmentNotices(await s(5), openAt + MINUTE);
    await deliverAssignmentNotices(await t1(), openAt + MINUTE);
    expect(await notices("wuhou-pri.s5", "assignment_new", id)).toEqual([]);
    expect(await notices("wuhou-pri.t1", "assignment_new", id)).toEqual([]);
    // A draft tells nobody.
    const draft = await create(await t1(), { title: "草稿通知", intent: "draft" });
    await deliverAssignmentNotices(await s(1), NOW + MINUTE);
    expect(await notices("wuhou-pri.s1", "assignment_new", draft)).toEqual([]);
  });

  it("warns of the due time within a day, only those who have handed nothing in", async () => {
    const dueAt = NOW + 3 * DAY;
    const id = await create(await t1(), { title: "快到期", dueAt: local(dueAt) });
    await handIn(await s(2), id, "早交了");
    await deliverAssignmentNotices(await s(1), dueAt - DAY - HOUR);
    expect(await notices("wuhou-pri.s1", "assignment_due", id)).toEqual([]);
    for (const at of [dueAt - 23 * HOUR, dueAt - 22 * HOUR]) {
      await deliverAssignmentNotices(await s(1), at);
      await deliverAssignmentNotices(await s(2), at);
    }
    expect(await notices("wuhou-pri.s1", "assignment_due", id)).toHaveLength(1);
    expect((await notices("wuhou-pri.s1", "assignment_due", id))[0]!.createdAt).toEqual(new Date(dueAt - DAY));
    expect(await notices("wuhou-pri.s2", "assignment_due", id)).toEqual([]);
    expect(await notices("wuhou-pri.s2", "assignment_new", id)).toHaveLength(1);
  });

  it("tells nothing to a student whose assignments capability is off", async () => {
    const id = await create(await t1(), { title: "关闭的功能", [`class.${classA}`]: undefined, [`class.${classB}`]: "on", dueAt: local(NOW + HOUR) });
    // The flag may be overridden for a region or a school (not for one person): the school turns it off.
    const admin = await actorFor("wuhou-pri.admin");
    const school = (await userByLogin("wuhou-pri.s6")).schoolId!;
    await setFlagOverride(admin, { flag: "assignments", scope: "school", scopeId: school, enabled: false, locked: false });
    try {
      await deliverAssignmentNotices(await s(6), NOW);
      expect(await notices("wuhou-pri.s6", "assignment_new", id)).toEqual([]);
      expect(await notices("wuhou-pri.s6", "assignment_due", id)).toEqual([]);
      expect(await refusal(async () => handIn(await s(6), id, "关了"))).toBeInstanceOf(FeatureClosedError);
    } finally {
      await clearFlagOverride(admin, { flag: "assignments", scope: "school", scopeId: school });
    }
    await deliverAssignmentNotices(await s(6), NOW);
    expect(await notices("wuhou-pri.s6", "assignment_new", id)).toHaveLength(1);
    expect(await notices("wuhou-pri.s6", "assignment_due", id)).toHaveLength(1);
  });
});

describe("who may grade", () => {
  it("says so for the class's teachers only", async () => {
    const id = await create(await t1(), { title: "谁能批改", [`class.${classA}`]: undefined, [`class.${classB}`]: "on" });
    expect(await mayGrade(await t1(), id)).toBe(true);
    expect(await mayGrade(await actorFor("wuhou-pri.t3", "teacher"), id)).toBe(true);
    expect(await mayGrade(await actorFor("wuhou-pri.t2", "teacher"), id)).toBe(false);
    expect(await mayGrade(await actorFor("wuhou-pri.t1", "parent"), id)).toBe(false);
    expect(await mayGrade(await s(5), id)).toBe(false);
    expect(await mayGrade(null, id)).toBe(false);
  });
});
