import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, schema, first, spell } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { createAssignment, submitWork, todoList, updateAssignment, viewAssignment } from "~/domain/classwork/assignments.server";
import { beijingLocalTimeOf } from "~/domain/foundation/beijing-time.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { openFile } from "~/domain/downloads/file-reading.server";
import { removalsSettled } from "~/domain/uploads/files.server";
import { FEEDBACK_MAX, addReturnedWorkToPortfolio, gradebook, gradingQueue, gradingView, mayReadGradebook, returnGrades, saveGrade } from "~/domain/grading/grading.server";
import { randomId } from "~/domain/foundation/ids.server";
import { portfolioItem } from "~/domain/portfolio/portfolio.server";
import { recordConsent } from "~/domain/rollout/rollout.server";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";
import { canOpen, upload } from "../support/files";
import { everyInOrder, findInOrder, mapInOrder } from "~/lib/in-order";

// wuhou-pri (primary, phase 3): 三年级（1）班 has s1–s4, 五年级（2）班 s5–s8; t1–t3 teach both, except that
// here t2 is taken out of 五年级（2）班: t2 is "a teacher of class A" who must not see class B's work.
// s1 and s5 have guardian consent in the demo; s2, s3 and s6 get it here. The demo world may hold
// assignments of its own, so every assertion looks at the assignments made here (the gradebook at a
// class made here).
let classA: string;
let classB: string;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
const local = (ms: number) => beijingLocalTimeOf(new Date(ms));

beforeAll(async () => {
  await demoWorld();
  classA = await classIdOf("wuhou-pri", "三年级（1）班");
  classB = await classIdOf("wuhou-pri", "五年级（2）班");
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
const t2 = async () => actorFor("wuhou-pri.t2", "teacher");
const t3 = async () => actorFor("wuhou-pri.t3", "teacher");
const s = async (n: number) => actorFor(`wuhou-pri.s${n}`);
const idOf = async (n: number) => (await userByLogin(`wuhou-pri.s${n}`)).id;

const form = (fields: Record<string, string | undefined>) => new Map(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));

/** An assignment by t1: open a day ago, due in a day, late work for one more day, 100 points. */
async function create(over: Record<string, string | undefined> = {}, classes: string[] = [classA, classB]) {
  return (await createAssignment(
    await t1(),
    form({
      id: randomId(),
      title: "单元测验",
      body: "完成练习册第 12 页。",
      ...Object.fromEntries(classes.map((k) => [`class.${k}`, "on"])),
      openAt: local(NOW - DAY),
      dueAt: local(NOW + DAY),
      acceptLate: "on",
      lateUntil: local(NOW + 2 * DAY),
      allowResubmit: "on",
      points: "100",
      intent: "publish",
      ...over,
    }),
    [],
    NOW - DAY,
  )).id;
}

const handIn = async (actor: Actor, id: string, body: string, files: string[] = [], now = NOW) => submitWork(actor, id, form({ versionId: randomId(), body }), files, now);

const grade = async (actor: Actor, id: string, student: number, fields: { score?: string; feedback?: string; gradeVersion?: number; intent?: "draft" | "return" }, files: string[] = []) =>
  saveGrade(
    actor,
    id,
    await idOf(student),
    form({ score: fields.score ?? "", feedback: fields.feedback ?? "", gradeVersion: String(fields.gradeVersion ?? await gradeVersionOf(id, student)), intent: fields.intent ?? "draft" }),
    files,
    NOW,
  );

async function gradeVersionOf(id: string, student: number): Promise<number> {
  return (await first(db().select().from(schema.submissions).where(and(eq(schema.submissions.assignmentId, id), eq(schema.submissions.studentId, await idOf(student)))).limit(1)))?.gradeVersion ?? 0;
}

const submission = async (id: string, student: number) => first(db().select().from(schema.submissions).where(and(eq(schema.submissions.assignmentId, id), eq(schema.submissions.studentId, await idOf(student)))).limit(1));

const auditsOf = async (id: string) =>
  db()
        .select()
        .from(schema.auditEvents)
        .where(sql`${spell.jsonText(schema.auditEvents.detail, "assignmentId")} = ${id}`)
        .orderBy(schema.auditEvents.at);

const returnedNotices = async (id: string, student: number) =>
  db()
        .select()
        .from(schema.notifications)
        .where(and(eq(schema.notifications.userId, await idOf(student)), eq(schema.notifications.kind, "grade_returned"), eq(schema.notifications.subjectId, id)));

describe("the grading queue", () => {
  it("shows each student of the teacher's classes as handed in, late, to do, draft or returned, and those who cannot hand in apart", async () => {
    const id = await create();
    await handIn(await s(1), id, "按时交的");
    await handIn(await s(2), id, "迟交的", [], NOW + DAY + HOUR);
    await handIn(await s(5), id, "五年级的");

    let queue = await gradingQueue(await t1(), id, NOW);
    const statusOf = async (n: number) => (await findInOrder(queue.rows, async (r) => r.studentId === await idOf(n)))?.status;
    expect(queue.assignment).toMatchObject({ id, title: "单元测验", points: 100, state: "open" });
    expect(queue.rows).toHaveLength(8);
    // Before the due time nothing handed in is "to do", not missing. s4 and s8 never activated, s7 has no
    // consent: they cannot hand in, come last and are never counted as missing.
    expect(await mapInOrder([1, 2, 3, 5, 6], statusOf)).toEqual(["handedIn", "late", "toDo", "handedIn", "toDo"]);
    expect(await mapInOrder([4, 7, 8], statusOf)).toEqual(["notExpected", "notExpected", "notExpected"]);
    expect((await findInOrder(queue.rows, async (r) => r.studentId === await idOf(4)))?.reason).toBe("notActivated");
    expect((await findInOrder(queue.rows, async (r) => r.studentId === await idOf(7)))?.reason).toBe("consent");
    expect(queue.rows.slice(-3).map((r) => r.status)).toEqual(["notExpected", "notExpected", "notExpected"]);
    expect(queue.counts).toEqual({ toDo: 2, handedIn: 2, late: 1, missing: 0, draft: 0, returned: 0, notOpen: 0, notExpected: 3 });
    expect((await findInOrder(queue.rows, async (r) => r.studentId === await idOf(5)))).toMatchObject({ classId: classB, className: "五年级（2）班", versionCount: 1 });

    await grade(await t1(), id, 1, { score: "80" });
    await grade(await t1(), id, 5, { score: "90", intent: "return" });
    queue = await gradingQueue(await t1(), id, NOW);
    expect(await mapInOrder([1, 2, 5], statusOf)).toEqual(["draft", "late", "returned"]);
    expect((await findInOrder(queue.rows, async (r) => r.studentId === await idOf(1)))?.score).toBe(80);
    expect(queue.counts).toEqual({ toDo: 2, handedIn: 0, late: 1, missing: 0, draft: 1, returned: 1, notOpen: 0, notExpected: 3 });
    // The pupils' words: a draft grade is not theirs to see.
    expect(queue.workCounts).toEqual({ notOpen: 0, toDo: 2, handedIn: 1, late: 1, missing: 0, returned: 1, notExpected: 3 });

    // t2 teaches 三年级（1）班 only: their queue is that class.
    const theirs = await gradingQueue(await t2(), id, NOW);
    expect(theirs.rows.map((r) => r.classId)).toEqual([classA, classA, classA, classA]);
    expect(theirs.rows.map((r) => r.studentId)).not.toContain(await idOf(5));
  });

  it("moves from one student to the next with their work and the grade as it stands", async () => {
    const id = await create({ title: "看作业" });
    const files = await upload(await s(1), "作业.pdf", "work");
    await handIn(await s(1), id, "第一版");
    await handIn(await s(1), id, "第二版", files, NOW + MINUTE);
    const queue = await gradingQueue(await t1(), id, NOW);
    // "Next pupil" walks only the pupils who can hand in (s4, s7, s8 cannot).
    const walk = queue.rows.filter((r) => r.status !== "notExpected");
    const first = await idOf(1);
    const index = walk.findIndex((r) => r.studentId === first);
    const view = await gradingView(await t1(), id, await idOf(1), NOW);
    expect(view).toMatchObject({ status: "handedIn", position: index + 1, total: 5, student: { id: await idOf(1), className: "三年级（1）班" } });
    expect(view.prevStudentId).toBe(walk[index - 1]?.studentId ?? null);
    expect(view.nextStudentId).toBe(walk[index + 1]?.studentId ?? null);
    let next: string | null = walk[0]!.studentId;
    const visited: string[] = [];
    while (next) {
      visited.push(next);
      next = (await gradingView(await t1(), id, next, NOW)).nextStudentId;
    }
    expect(visited).toHaveLength(5);
    expect(visited).not.toContain(await idOf(4));
    expect(visited).not.toContain(await idOf(7));
    // One who cannot hand in can still be opened, and says why.
    expect(await gradingView(await t1(), id, await idOf(4), NOW)).toMatchObject({ status: "notExpected", reason: "notActivated" });
    expect(view.versions.map((v) => v.number)).toEqual([2, 1]);
    expect(view.versions[0]!.files.map((f) => f.name)).toEqual(["作业.pdf"]);
    expect(view.grade).toEqual({ score: null, feedback: "", state: "none", gradeVersion: 0, gradedBy: null, files: [] });
    // A student with nothing handed in can be opened too (to give a mark for missing work).
    expect(await gradingView(await t1(), id, await idOf(3), NOW)).toMatchObject({ status: "toDo", versions: [] });
    // Someone not in the queue is not found.
    expect(await refusal(async () => gradingView(await t1(), id, (await userByLogin("wuhou-jun.s5")).id, NOW))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => gradingView(await t1(), id, (await userByLogin("wuhou-pri.t3")).id, NOW))).toBeInstanceOf(NotFoundError);
  });

  it("keeps a student who handed in and left the class in the queue", async () => {
    const id = await create({ title: "转班" });
    await handIn(await s(3), id, "转走前交的");
    const membership = and(eq(schema.classMemberships.classId, classA), eq(schema.classMemberships.userId, await idOf(3)));
    await db().delete(schema.classMemberships).where(membership);
    try {
      expect((await findInOrder((await gradingQueue(await t1(), id, NOW)).rows, async (r) => r.studentId === await idOf(3)))).toMatchObject({ status: "handedIn", classId: classA });
      await grade(await t1(), id, 3, { score: "70", intent: "return" });
      expect((await viewAssignment(await s(3), id, NOW)).mine?.grade?.score).toBe(70);
    } finally {
      await db().insert(schema.classMemberships).values({ classId: classA, userId: await idOf(3), role: "student" });
    }
  });
});

describe("who may grade", () => {
  it("answers not found to a teacher of another class or school, for the queue, the view and a save", async () => {
    const onlyB = await create({ title: "只给五年级" }, [classB]);
    await handIn(await s(5), onlyB, "五年级作业");
    for (const outsider of [await t2(), await actorFor("wuhou-jun.t1", "teacher"), await actorFor("kangding-pri.t1", "teacher")]) {
      expect(await refusal(async () => gradingQueue(outsider, onlyB, NOW)), outsider.loginName).toBeInstanceOf(NotFoundError);
      expect(await refusal(async () => gradingView(outsider, onlyB, await idOf(5), NOW))).toBeInstanceOf(NotFoundError);
      expect(await refusal(async () => grade(outsider, onlyB, 5, { score: "10" }))).toBeInstanceOf(NotFoundError);
      expect(await refusal(async () => returnGrades(outsider, onlyB, NOW))).toBeInstanceOf(NotFoundError);
    }
    // On an assignment set to both classes, t2 still cannot open or grade class B's work.
    const both = await create({ title: "两个班" });
    await handIn(await s(5), both, "五年级作业");
    expect(await refusal(async () => gradingView(await t2(), both, await idOf(5), NOW))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => grade(await t2(), both, 5, { score: "10" }))).toBeInstanceOf(NotFoundError);
    expect(await submission(onlyB, 5)).toMatchObject({ gradeState: "none", score: null });
    expect(await submission(both, 5)).toMatchObject({ gradeState: "none", score: null });
    expect(await auditsOf(onlyB)).toEqual([]);
    expect(await auditsOf(both)).toEqual([]);
  });

  it("refuses a student, a parent, a teacher acting as parent, a school admin and anonymous", async () => {
    const id = await create({ title: "不是老师" });
    await handIn(await s(1), id, "我的作业");
    for (const actor of [await s(1), await s(2), await actorFor("wuhou-pri.p1"), await actorFor("wuhou-pri.t1", "parent"), await actorFor("wuhou-pri.admin")]) {
      expect(await refusal(async () => gradingQueue(actor, id, NOW))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => gradingView(actor, id, await idOf(1), NOW))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => grade(actor, id, 1, { score: "100", intent: "return" }))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => returnGrades(actor, id, NOW))).toBeInstanceOf(ForbiddenError);
    }
    expect((await refusal(async () => gradingQueue(null, id, NOW))).status).toBe(401);
    expect((await refusal(async () => gradingView(null, id, await idOf(1), NOW))).status).toBe(401);
    expect((await refusal(async () => grade(null, id, 1, { score: "100" }))).status).toBe(401);
    expect((await refusal(async () => returnGrades(null, id, NOW))).status).toBe(401);
    expect(await submission(id, 1)).toMatchObject({ gradeState: "none", score: null });
  });

  it("refuses grading a draft assignment, even its author", async () => {
    const id = await create({ title: "草稿", intent: "draft" });
    expect(await refusal(async () => gradingQueue(await t1(), id, NOW))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(async () => gradingQueue(await t3(), id, NOW))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => gradingQueue(await t1(), "nosuchassignment", NOW))).toBeInstanceOf(NotFoundError);
  });
});

describe("bad grades", () => {
  it("refuses a score above the points, not a number, negative or with three decimals, and writes nothing", async () => {
    const id = await create({ title: "分数检查", points: "50" });
    await handIn(await s(1), id, "作业");
    const cases: [string, string][] = [
      ["51", "grading:scoreAbovePoints"],
      ["50.01", "grading:scoreAbovePoints"],
      ["abc", "grading:scoreInvalid"],
      ["-1", "grading:scoreInvalid"],
      ["1.234", "grading:scoreInvalid"],
      ["1e2", "grading:scoreInvalid"],
    ];
    for (const [score, key] of cases) {
      const error = await validationRefusal(async () => grade(await t1(), id, 1, { score, intent: "return" }));
      expect(error.fields.score?.key, score).toBe(key);
    }
    expect((await validationRefusal(async () => grade(await t1(), id, 1, { score: "51" }))).fields.score?.params).toEqual({ points: 50 });
    expect((await validationRefusal(async () => grade(await t1(), id, 1, { score: "", intent: "return" }))).fields.score?.key).toBe("grading:scoreRequired");
    expect(await submission(id, 1)).toMatchObject({ gradeState: "none", score: null, gradeVersion: 0 });
    expect(await auditsOf(id)).toEqual([]);
    expect(await returnedNotices(id, 1)).toEqual([]);
    // Up to two decimals, exactly the points, and an empty draft are fine.
    await grade(await t1(), id, 1, { score: "" });
    expect(await submission(id, 1)).toMatchObject({ gradeState: "draft", score: null });
    await grade(await t1(), id, 1, { score: "49.5" });
    expect((await submission(id, 1))?.score).toBe(49.5);
    await grade(await t1(), id, 1, { score: "50", intent: "return" });
    expect(await submission(id, 1)).toMatchObject({ gradeState: "returned", score: 50 });
  });

  it("refuses feedback of 1 MB and writes nothing", async () => {
    const id = await create({ title: "长评语" });
    await handIn(await s(1), id, "作业");
    const files = await upload(await t1(), "批注.pdf", "too long");
    const error = await validationRefusal(async () => grade(await t1(), id, 1, { score: "90", feedback: "好".repeat(1_000_000) }, files));
    expect(error.fields.feedback).toEqual({ key: "grading:feedbackTooLong", params: { max: FEEDBACK_MAX } });
    expect(await submission(id, 1)).toMatchObject({ gradeState: "none", score: null, feedback: null, gradeVersion: 0 });
    expect(await auditsOf(id)).toEqual([]);
    expect(await first(db().select().from(schema.files).where(eq(schema.files.id, files[0]!)).limit(1))).toBeUndefined();
    await grade(await t1(), id, 1, { score: "90", feedback: "好".repeat(FEEDBACK_MAX) });
    expect((await submission(id, 1))?.feedback).toHaveLength(FEEDBACK_MAX);
  });

  it("tells the second of two teachers grading at once, and keeps the first one's grade", async () => {
    const id = await create({ title: "两位老师" });
    await handIn(await s(1), id, "作业");
    const first = await gradingView(await t1(), id, await idOf(1), NOW);
    const second = await gradingView(await t3(), id, await idOf(1), NOW);
    expect(first.grade.gradeVersion).toBe(second.grade.gradeVersion);
    await grade(await t1(), id, 1, { score: "85", feedback: "很好", gradeVersion: first.grade.gradeVersion });
    const error = await validationRefusal(async () => grade(await t3(), id, 1, { score: "60", feedback: "一般", gradeVersion: second.grade.gradeVersion, intent: "return" }));
    expect(error.key).toBe("grading:gradedElsewhere");
    expect(error.params).toEqual({ name: (await userByLogin("wuhou-pri.t1")).realName });
    expect(await submission(id, 1)).toMatchObject({ score: 85, feedback: "很好", gradeState: "draft", gradedBy: (await userByLogin("wuhou-pri.t1")).id });
    expect(await auditsOf(id)).toHaveLength(1);
    expect(await returnedNotices(id, 1)).toEqual([]);
    // Reloaded, the second teacher sees who graded it and may go on from there.
    const reloaded = await gradingView(await t3(), id, await idOf(1), NOW);
    expect(reloaded.grade).toMatchObject({ score: 85, gradedBy: (await userByLogin("wuhou-pri.t1")).realName, gradeVersion: first.grade.gradeVersion + 1 });
    await grade(await t3(), id, 1, { score: "88", feedback: "很好", gradeVersion: reloaded.grade.gradeVersion, intent: "return" });
    expect(await submission(id, 1)).toMatchObject({ score: 88, gradeState: "returned", gradedBy: (await userByLogin("wuhou-pri.t3")).id });
    // A form without its version is refused as well.
    expect((await validationRefusal(async () => saveGrade(await t1(), id, await idOf(1), form({ score: "1" }), [], NOW))).key).toBe("grading:gradedElsewhere");
  });
});

describe("saving and returning", () => {
  it("audits every save and return, and tells the student when it is returned", async () => {
    const id = await create({ title: "审计" });
    await handIn(await s(1), id, "作业");
    await grade(await t1(), id, 1, { score: "70", feedback: "再努力" });
    await grade(await t1(), id, 1, { score: "75", feedback: "再努力" });
    expect(await returnedNotices(id, 1)).toEqual([]);
    await grade(await t1(), id, 1, { score: "80", feedback: "有进步", intent: "return" });
    const audits = await auditsOf(id);
    expect(audits.map((a) => a.action)).toEqual(["grade.save", "grade.save", "grade.return"]);
    expect((await everyInOrder(audits, async (a) => a.actorId === (await userByLogin("wuhou-pri.t1")).id && a.targetType === "user" && a.targetId === await idOf(1)))).toBe(true);
    expect(audits[0]!.detail).toMatchObject({ before: { score: null, state: "none" }, after: { score: 70, state: "draft" }, feedbackChanged: true });
    expect(audits[1]!.detail).toMatchObject({ before: { score: 70, state: "draft" }, after: { score: 75, state: "draft" }, feedbackChanged: false });
    expect(audits[2]!.detail).toMatchObject({ before: { score: 75, state: "draft" }, after: { score: 80, state: "returned" }, feedbackChanged: true });
    const told = await returnedNotices(id, 1);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ actorId: (await userByLogin("wuhou-pri.t1")).id, subjectType: "assignment" });
  });

  it("shows the student the grade and feedback only once returned", async () => {
    const id = await create({ title: "看成绩" });
    await handIn(await s(1), id, "作业");
    await grade(await t1(), id, 1, { score: "66", feedback: "注意书写" });
    expect((await viewAssignment(await s(1), id, NOW)).mine?.grade).toBeNull();
    await grade(await t1(), id, 1, { score: "68", feedback: "注意书写", intent: "return" });
    expect((await viewAssignment(await s(1), id, NOW)).mine?.grade).toMatchObject({ score: 68, points: 100, feedback: "注意书写", returnedAt: new Date(NOW), portfolioItemId: null });
    // Taken back into a draft, it is the teachers' again.
    await grade(await t1(), id, 1, { score: "69", feedback: "注意书写" });
    expect((await viewAssignment(await s(1), id, NOW)).mine?.grade).toBeNull();
  });

  it("returns together only the drafts with a score, of the teacher's own students", async () => {
    const id = await create({ title: "一起退回" });
    for (const n of [1, 2, 3, 5]) await handIn(await s(n), id, `作业 ${n}`);
    await grade(await t1(), id, 1, { score: "90" });
    await grade(await t1(), id, 2, { score: "" });
    await grade(await t1(), id, 3, { score: "70", intent: "return" });
    await grade(await t1(), id, 5, { score: "95" });
    const auditsBefore = (await auditsOf(id)).length;
    // t2 grades 三年级（1）班 only: s1's draft goes back, s5's (五年级) stays.
    expect(await returnGrades(await t2(), id, NOW)).toBe(1);
    expect((await mapInOrder([1, 2, 3, 5], async (n) => (await submission(id, n))?.gradeState))).toEqual(["returned", "draft", "returned", "draft"]);
    expect(await returnedNotices(id, 1)).toHaveLength(1);
    expect(await returnedNotices(id, 5)).toEqual([]);
    expect(await returnedNotices(id, 3)).toHaveLength(1);
    const added = (await auditsOf(id)).slice(auditsBefore);
    expect(added).toHaveLength(1);
    // issue 15 #8: one entry for the batch, its pupils inside.
    expect(added[0]).toMatchObject({ action: "grade.return_batch", actorId: (await userByLogin("wuhou-pri.t2")).id, targetType: "assignment", targetId: id });
    expect(added[0]!.detail).toMatchObject({ students: [await idOf(1)] });
    expect(await returnGrades(await t1(), id, NOW)).toBe(1);
    expect((await submission(id, 5))?.gradeState).toBe("returned");
    expect(await returnGrades(await t1(), id, NOW)).toBe(0);
    // The returned grade moved on a version: a form opened before is told.
    expect((await validationRefusal(async () => grade(await t1(), id, 5, { score: "1", gradeVersion: 1 }))).key).toBe("grading:gradedElsewhere");
  });

  it("grades missing work (a zero) without anything handed in, and that grade is as final as any", async () => {
    const id = await create({ title: "没交" });
    await grade(await t1(), id, 3, { score: "0", feedback: "未交", intent: "return" });
    expect(await submission(id, 3)).toMatchObject({ versionCount: 0, score: 0, gradeState: "returned", classId: classA });
    expect((await findInOrder((await gradingQueue(await t1(), id, NOW)).rows, async (r) => r.studentId === await idOf(3)))?.status).toBe("returned");
    // Work handed in now would sit unseen under a returned grade: it is refused, as after any return.
    const view = await viewAssignment(await s(3), id, NOW);
    expect(view.mine?.grade).toMatchObject({ score: 0, feedback: "未交" });
    expect(view.mine?.may).toEqual({ ok: false, reason: "returned" });
    expect((await validationRefusal(async () => handIn(await s(3), id, "补交"))).key).toBe("assignments:cannot.returned");
    expect((await submission(id, 3))?.versionCount).toBe(0);
    // The to-do list shows it as returned, not as still to do.
    const list = await todoList(await s(3), NOW);
    expect(list.todo.map((a) => a.id)).not.toContain(id);
    expect(list.done.find((a) => a.id === id)).toMatchObject({ status: "returned", overdue: false });
    // A draft zero changes nothing for the student yet.
    const other = await create({ title: "没交（草稿）" });
    await grade(await t1(), other, 3, { score: "0" });
    expect((await todoList(await s(3), NOW)).todo.find((a) => a.id === other)).toMatchObject({ status: "todo" });
    expect((await handIn(await s(3), other, "补交")).number).toBe(1);
  });
});

describe("feedback files", () => {
  it("are read by the graders, and by the student only once the grade is returned", async () => {
    const id = await create({ title: "批注文件" });
    await handIn(await s(1), id, "作业");
    const files = await upload(await t1(), "批注.pdf", "notes");
    await grade(await t1(), id, 1, { score: "77", feedback: "看批注" }, files);
    expect((await gradingView(await t1(), id, await idOf(1), NOW)).grade.files.map((f) => f.name)).toEqual(["批注.pdf"]);
    expect(await canOpen(await t1(), files[0]!)).toBe(true);
    expect(await canOpen(await t3(), files[0]!)).toBe(true);
    expect(await canOpen(await t2(), files[0]!)).toBe(true);
    expect(await canOpen(await s(1), files[0]!)).toBe(false);
    await grade(await t1(), id, 1, { score: "77", feedback: "看批注", intent: "return" });
    expect(await canOpen(await s(1), files[0]!)).toBe(true);
    expect((await viewAssignment(await s(1), id, NOW)).mine?.grade?.files.map((f) => f.id)).toEqual(files);
    // (t1 uploaded it: an uploader reads their own file in any role, as everywhere else.)
    for (const outsider of [await s(2), await s(5), await actorFor("wuhou-jun.t1", "teacher"), await actorFor("wuhou-pri.p1"), await actorFor("wuhou-pri.admin")]) {
      expect(await canOpen(outsider, files[0]!), outsider.loginName).toBe(false);
    }
    await expect(openFile(null, files[0]!)).rejects.toMatchObject({ status: 401 });
  });

  it("are kept when another teacher of the class adds theirs, and removed on request", async () => {
    const id = await create({ title: "两位老师的批注" });
    await handIn(await s(5), id, "作业");
    const mine = await upload(await t1(), "第一份.pdf", "first");
    await grade(await t1(), id, 5, { score: "60" }, mine);
    const theirs = await upload(await t3(), "第二份.pdf", "second");
    await grade(await t3(), id, 5, { score: "65" }, theirs);
    expect((await gradingView(await t1(), id, await idOf(5), NOW)).grade.files.map((f) => f.name)).toEqual(["第一份.pdf", "第二份.pdf"]);
    // t2 teaches only 三年级（1）班: s5's feedback is not theirs to read.
    expect(await canOpen(await t2(), theirs[0]!)).toBe(false);
    await saveGrade(await t1(), id, await idOf(5), form({ score: "65", feedback: "", gradeVersion: String(await gradeVersionOf(id, 5)), intent: "draft", [`removeFile.${mine[0]}`]: "on" }), [], NOW);
    expect((await gradingView(await t1(), id, await idOf(5), NOW)).grade.files.map((f) => f.name)).toEqual(["第二份.pdf"]);
    // A grader may take off a file another teacher of the class returned: the form offers it to them.
    await saveGrade(await t1(), id, await idOf(5), form({ score: "66", feedback: "", gradeVersion: String(await gradeVersionOf(id, 5)), intent: "draft", [`removeFile.${theirs[0]}`]: "on" }), [], NOW);
    expect((await gradingView(await t1(), id, await idOf(5), NOW)).grade).toMatchObject({ score: 66, files: [] });
    expect(await first(db().select().from(schema.files).where(eq(schema.files.id, theirs[0]!)).limit(1))).toBeUndefined();
    // A removeFile box for a file that is not returned with this grade removes nothing.
    const elsewhere = await upload(await t3(), "草稿.pdf", "draft");
    await saveGrade(await t1(), id, await idOf(5), form({ score: "66", feedback: "", gradeVersion: String(await gradeVersionOf(id, 5)), intent: "draft", [`removeFile.${elsewhere[0]}`]: "on" }), [], NOW);
    expect(await first(db().select().from(schema.files).where(eq(schema.files.id, elsewhere[0]!)).limit(1))).toMatchObject({ attachedTo: "draft" });
  });
});

describe("returned work into the portfolio", () => {
  it("makes one portfolio item with copies of the files, the same item when done again", async () => {
    const id = await create({ title: "我的小诗" });
    const files = await upload(await s(1), "小诗.pdf", "poem");
    await handIn(await s(1), id, "第一稿");
    await handIn(await s(1), id, "定稿：小雨沙沙", files, NOW + MINUTE);
    // Before the grade is returned: refused, nothing made.
    await expect(addReturnedWorkToPortfolio(await s(1), id)).rejects.toMatchObject({ key: "grading:notReturned" });
    await grade(await t1(), id, 1, { score: "92" });
    await expect(addReturnedWorkToPortfolio(await s(1), id)).rejects.toMatchObject({ key: "grading:notReturned" });
    await grade(await t1(), id, 1, { score: "92", intent: "return" });

    const { id: itemId } = await addReturnedWorkToPortfolio(await s(1), id);
    const item = await portfolioItem(await s(1), itemId);
    expect(item.title).toBe("我的小诗");
    expect(item.descriptionHtml).toContain("定稿：小雨沙沙");
    const copies = await db().select().from(schema.files).where(and(eq(schema.files.attachedTo, "portfolio_item"), eq(schema.files.attachedId, itemId)));
    const original = (await first(db().select().from(schema.files).where(eq(schema.files.id, files[0]!)).limit(1)))!;
    expect(copies).toHaveLength(1);
    expect(copies[0]!.id).not.toBe(original.id);
    expect(copies[0]!.storageKey).not.toBe(original.storageKey);
    expect(copies[0]).toMatchObject({ name: "小诗.pdf", sha256: original.sha256, size: original.size, ownerId: await idOf(1) });
    const { file, body } = await openFile(await s(1), copies[0]!.id);
    expect(file.sha256).toBe(original.sha256);
    if (!(body instanceof ReadableStream)) (body as NodeJS.ReadableStream & { destroy(): void }).destroy();
    // The original stays with the submission.
    expect(await first(db().select().from(schema.files).where(eq(schema.files.id, files[0]!)).limit(1))).toMatchObject({ attachedTo: "submission" });
    expect((await viewAssignment(await s(1), id, NOW)).mine?.grade?.portfolioItemId).toBe(itemId);

    expect(await addReturnedWorkToPortfolio(await s(1), id)).toEqual({ id: itemId });
    expect(await db().select().from(schema.portfolioItems).where(eq(schema.portfolioItems.title, "我的小诗"))).toHaveLength(1);
    expect(await db().select().from(schema.files).where(and(eq(schema.files.ownerId, await idOf(1)), eq(schema.files.sha256, original.sha256)))).toHaveLength(2);
  });

  it("is refused for another student's work, another class's assignment, a teacher and anonymous", async () => {
    const id = await create({ title: "别人的作品" }, [classA]);
    await handIn(await s(1), id, "s1 的作品");
    await grade(await t1(), id, 1, { score: "90", intent: "return" });
    await expect(addReturnedWorkToPortfolio(await s(2), id)).rejects.toMatchObject({ key: "grading:notReturned" });
    await expect(addReturnedWorkToPortfolio(await s(5), id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(addReturnedWorkToPortfolio(await actorFor("wuhou-jun.s5"), id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(addReturnedWorkToPortfolio(await t1(), id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(addReturnedWorkToPortfolio(await actorFor("wuhou-pri.p1"), id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(addReturnedWorkToPortfolio(null, id)).rejects.toMatchObject({ status: 401 });
    expect((await submission(id, 1))?.portfolioItemId).toBeNull();
  });
});

describe("the gradebook", () => {
  // A class made here, so that no demo assignment joins the averages: t1 and t3 teach it; s1–s3 are in it.
  let klass: string;
  let quiz: string;
  let project: string;

  beforeAll(async () => {
    klass = randomId();
    await db()
          .insert(schema.classes)
          .values({ id: klass, schoolId: (await userByLogin("wuhou-pri.t1")).schoolId!, grade: 3, name: "三年级兴趣班", year: 2026 });
    for (const login of ["wuhou-pri.t1", "wuhou-pri.t3"]) await db().insert(schema.classMemberships).values({ classId: klass, userId: (await userByLogin(login)).id, role: "teacher" });
    for (const n of [1, 2, 3]) await db().insert(schema.classMemberships).values({ classId: klass, userId: await idOf(n), role: "student" });

    // The quiz closed yesterday; the project is due tomorrow.
    quiz = await create({ title: "测验", openAt: local(NOW - 3 * DAY), dueAt: local(NOW - DAY), acceptLate: undefined, lateUntil: undefined }, [klass]);
    project = await create({ title: "手工", points: "20" }, [klass]);
    await handIn(await s(1), quiz, "测验答案", [], NOW - 2 * DAY);
    await handIn(await s(2), quiz, "测验答案", [], NOW - 2 * DAY);
    await handIn(await s(1), project, "手工照片");
    await grade(await t1(), quiz, 1, { score: "95", intent: "return" });
    await grade(await t1(), quiz, 2, { score: "72" });
    await grade(await t1(), project, 1, { score: "16" });
  });

  it("shows students × assignments with each cell's standing and score, and the averages", async () => {
    const book = await gradebook(await t1(), klass, NOW);
    expect(book.klass).toEqual({ id: klass, name: "三年级兴趣班" });
    expect(book.assignments.map((a) => a.id)).toEqual([quiz, project]);
    const row = async (n: number) => (await findInOrder(book.students, async (st) => st.id === await idOf(n)))!;
    expect(book.students).toHaveLength(3);
    expect((await row(1)).cells).toEqual([
      { status: "returned", score: 95 },
      { status: "draft", score: 16 },
    ]);
    expect((await row(2)).cells).toEqual([
      { status: "draft", score: 72 },
      { status: "toDo", score: null },
    ]);
    expect((await row(3)).cells).toEqual([
      { status: "missing", score: null },
      { status: "toDo", score: null },
    ]);
    expect((await row(1)).averagePercent).toBe(87.5);
    expect((await row(2)).averagePercent).toBe(72);
    expect((await row(3)).averagePercent).toBeNull();
    expect(book.assignments[0]).toMatchObject({ title: "测验", points: 100, state: "closed", average: 83.5, graded: 2, distribution: { excellent: 1, good: 0, fair: 1, pass: 0, fail: 0 } });
    expect(book.assignments[1]).toMatchObject({ title: "手工", points: 20, state: "open", average: 16, graded: 1, distribution: { excellent: 0, good: 1, fair: 0, pass: 0, fail: 0 } });
    // After the due time, nothing handed in is missing.
    expect((await findInOrder((await gradebook(await t3(), klass, NOW + 3 * DAY)).students, async (st) => st.id === await idOf(3)))!.cells[1]).toEqual({ status: "missing", score: null });
    expect(await mayReadGradebook(await t1(), klass)).toBe(true);
  });

  it("is refused to a teacher of another class or school, a student, a parent, the school's admin and anonymous", async () => {
    for (const outsider of [await t2(), await actorFor("wuhou-jun.t1", "teacher"), await actorFor("wuhou-pri.p1"), await actorFor("wuhou-pri.t1", "parent"), await s(5)]) {
      expect(await refusal(async () => gradebook(outsider, klass, NOW)), outsider.loginName).toBeInstanceOf(NotFoundError);
      expect(await mayReadGradebook(outsider, klass)).toBe(false);
    }
    for (const member of [await s(1), await actorFor("wuhou-pri.admin")]) {
      expect(await refusal(async () => gradebook(member, klass, NOW)), member.loginName).toBeInstanceOf(ForbiddenError);
      expect(await mayReadGradebook(member, klass)).toBe(false);
    }
    expect((await refusal(async () => gradebook(null, klass, NOW))).status).toBe(401);
    expect(await mayReadGradebook(null, klass)).toBe(false);
    expect(await refusal(async () => gradebook(await t1(), "nosuchclass", NOW))).toBeInstanceOf(NotFoundError);
  });
});

describe("points and scores given", () => {
  it("refuses lowering the points under a score already given, and allows down to it", async () => {
    const id = await create();
    await handIn(await s(1), id, "我的答案");
    await grade(await t1(), id, 1, { score: "80", intent: "return" });
    const edit = async (points: string) => {
      const current = (await first(db().select().from(schema.assignments).where(eq(schema.assignments.id, id)).limit(1)))!;
      return updateAssignment(
        await t1(),
        id,
        form({
          version: String(current.version),
          title: current.title,
          body: "完成练习册第 12 页。",
          [`class.${classA}`]: "on",
          [`class.${classB}`]: "on",
          openAt: local(current.openAt.getTime()),
          dueAt: local(current.dueAt.getTime()),
          acceptLate: "on",
          lateUntil: local(current.lateUntil!.getTime()),
          allowResubmit: "on",
          points,
        }),
        [],
        NOW,
      );
    };
    const error = await validationRefusal(async () => edit("50"));
    expect(error.fields.points).toEqual({ key: "assignments:pointsBelowScores", params: { score: 80 } });
    expect((await first(db().select().from(schema.assignments).where(eq(schema.assignments.id, id)).limit(1)))!.points).toBe(100);
    await edit("80");
    expect((await first(db().select().from(schema.assignments).where(eq(schema.assignments.id, id)).limit(1)))!.points).toBe(80);
  });
});
