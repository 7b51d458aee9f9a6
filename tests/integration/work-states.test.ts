// One vocabulary (issue 16): every state of a pupil's piece of work, the boundaries around open / due /
// late-until in Beijing time, pupils who cannot hand in (no consent, never activated), a fixed number of
// queries for a whole class, and the grading queue, gradebook, to-do, parent pages and weekly summary
// agreeing on the same class.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { createAssignment, dueSoonFor, submitWork, todoList, viewAssignment } from "~/domain/classwork/assignments.server";
import { ForbiddenError } from "~/domain/foundation/errors.server";
import { beijingLocalTimeOf } from "~/domain/foundation/beijing-time.server";
import { gradebook, gradingQueue, saveGrade, toGradeByAssignment } from "~/domain/grading/grading.server";
import { parentHome } from "~/domain/overviews/home.server";
import { randomId } from "~/domain/foundation/ids.server";
import { childProgress, progressOverview } from "~/domain/overviews/progress.server";
import { recordConsent } from "~/domain/rollout/rollout.server";
import { currentWeekStart, weeklySummary } from "~/domain/overviews/weekly-summary.server";
import { countWork, pupilsNotExpected, teacherStateOf, workStateOf, workStates, type WorkState } from "~/domain/classwork/work-states.server";
import { countStatements } from "../support/count-statements";
import { refusal } from "../support/refusal";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";
import { findInOrder, mapInOrder } from "~/lib/in-order";

// wuhou-pri 三年级（1）班: s1 has consent (parent p1), s3 gets it here, s2 has none (parent p2, not
// consented), s4 never activated. NOW is a Wednesday noon in Beijing, so the whole story stays in one week.
const bj = (local: string) => new Date(`${local}+08:00`).getTime();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = bj("2026-12-09T12:00:00");
let klass: string;

const t1 = async () => actorFor("wuhou-pri.t1", "teacher");
const s = async (n: number) => actorFor(`wuhou-pri.s${n}`);
const idOf = async (n: number) => (await userByLogin(`wuhou-pri.s${n}`)).id;
const form = (fields: Record<string, string | undefined>) => new Map(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
const local = (ms: number) => beijingLocalTimeOf(new Date(ms));

async function create(title: string, times: { openAt: number; dueAt: number; lateUntil?: number }) {
  return (await createAssignment(
    await t1(),
    form({
      id: randomId(),
      title,
      body: "完成练习。",
      [`class.${klass}`]: "on",
      openAt: local(times.openAt),
      dueAt: local(times.dueAt),
      acceptLate: times.lateUntil ? "on" : undefined,
      lateUntil: times.lateUntil ? local(times.lateUntil) : undefined,
      allowResubmit: "on",
      points: "100",
      intent: "publish",
    }),
    [],
    NOW - 3 * DAY,
  )).id;
}
const handIn = async (actor: Actor, id: string, at: number) => submitWork(actor, id, form({ versionId: randomId(), body: "我的作业" }), [], at);
const grade = async (id: string, n: number, score: string, intent: "draft" | "return") => {
  const gradeVersion = (await first(db().select().from(schema.submissions).where(and(eq(schema.submissions.assignmentId, id), eq(schema.submissions.studentId, await idOf(n)))).limit(1)))?.gradeVersion ?? 0;
  await saveGrade(await t1(), id, await idOf(n), form({ score, feedback: "", gradeVersion: String(gradeVersion), intent }), [], NOW);
};

beforeAll(async () => {
  await demoWorld();
  klass = await classIdOf("wuhou-pri", "三年级（1）班");
  await recordConsent(await actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s3", guardianName: "王淑芬", signedOn: "2026-09-01", decision: "given" });
});

describe("the states of a piece of work", () => {
  // Open Wednesday 08:00, due Thursday 20:00, late work until Friday 08:00 (Beijing time).
  const a = { id: "a", status: "published", openAt: new Date(bj("2026-12-09T08:00:00")), dueAt: new Date(bj("2026-12-10T20:00:00")), lateUntil: new Date(bj("2026-12-11T08:00:00")) };
  const state = (now: number, sub?: Parameters<typeof workStateOf>[1]) => workStateOf(a, sub, null, now);

  it("names every state, at the boundaries of open, due and late-until in Beijing time", () => {
    expect(state(a.openAt.getTime() - 1).state).toBe("notOpen");
    expect(state(a.openAt.getTime()).state).toBe("toDo");
    // The due minute itself is still on time; a millisecond after, nothing handed in is missing.
    expect(state(a.dueAt.getTime()).state).toBe("toDo");
    expect(state(a.dueAt.getTime() + 1)).toMatchObject({ state: "missing", lateOpen: true });
    expect(state(a.lateUntil.getTime())).toMatchObject({ state: "missing", lateOpen: true });
    expect(state(a.lateUntil.getTime() + 1)).toMatchObject({ state: "missing", lateOpen: false });
    expect(workStateOf({ ...a, lateUntil: null }, undefined, null, a.dueAt.getTime() + 1)).toMatchObject({ state: "missing", lateOpen: false });
    expect(workStateOf({ ...a, status: "draft" }, undefined, null, a.openAt.getTime() + 1).state).toBe("notOpen");

    const handed = { versionCount: 1, late: false, gradeState: "none" as const, score: null };
    expect(state(a.dueAt.getTime() + DAY, handed).state).toBe("handedIn");
    expect(state(a.dueAt.getTime() + DAY, { ...handed, late: true }).state).toBe("late");
    // A draft grade changes nothing for the pupil; teachers see "draft".
    const draft = state(a.dueAt.getTime(), { ...handed, gradeState: "draft", score: 60 });
    expect(draft).toMatchObject({ state: "handedIn", draft: true, score: null });
    expect(teacherStateOf(draft)).toBe("draft");
    expect(state(a.dueAt.getTime(), { ...handed, gradeState: "returned", score: 88 })).toMatchObject({ state: "returned", score: 88 });
    // A mark given for missing work is returned work too.
    expect(state(a.lateUntil.getTime() + DAY, { versionCount: 0, late: false, gradeState: "returned", score: 0 })).toMatchObject({ state: "returned", score: 0 });
  });

  it("says a pupil without consent or never activated is not expected — unless they handed in", async () => {
    expect(workStateOf(a, undefined, "consent", a.dueAt.getTime() + 1)).toMatchObject({ state: "notExpected", reason: "consent" });
    expect(workStateOf(a, undefined, "notActivated", a.openAt.getTime())).toMatchObject({ state: "notExpected", reason: "notActivated" });
    // Not open yet is not open for everyone.
    expect(workStateOf(a, undefined, "consent", a.openAt.getTime() - 1).state).toBe("notOpen");
    // Work handed in before the space closed keeps its state.
    expect(workStateOf(a, { versionCount: 1, late: false, gradeState: "none", score: null }, "consent", a.dueAt.getTime() + 1).state).toBe("handedIn");

    const reasons = await pupilsNotExpected(await mapInOrder([1, 2, 3, 4], idOf), NOW);
    expect(reasons.get(await idOf(1))).toBeUndefined();
    expect(reasons.get(await idOf(2))).toBe("consent");
    expect(reasons.get(await idOf(3))).toBeUndefined();
    expect(reasons.get(await idOf(4))).toBe("notActivated");
  });

  it("computes a whole class × many assignments in a fixed number of queries", async () => {
    const rows = await db().select().from(schema.assignments);
    const school = (await userByLogin("wuhou-pri.s1")).schoolId!;
    const pupils = (await db().select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.schoolId, school))).map((p) => p.id);
    const one = await countStatements(async () => (await workStates(rows.slice(0, 1), pupils.slice(0, 1), NOW)).get(rows[0]!.id, pupils[0]!));
    const many = await countStatements(async () => {
      const grid = await workStates(rows, pupils, NOW);
      for (const r of rows) for (const p of pupils) grid.get(r.id, p);
    });
    expect(pupils.length).toBeGreaterThan(8);
    expect(rows.length).toBeGreaterThan(1);
    // The same queries for one pupil × one assignment as for the whole school × every assignment.
    expect(many).toBe(one);
  });
});

describe("every page agrees", () => {
  let later: string, lateOpen: string, returned: string, missed: string, notYet: string;

  beforeAll(async () => {
    notYet = await create("下周的作业", { openAt: NOW + HOUR, dueAt: NOW + 2 * DAY });
    later = await create("明天交的作业", { openAt: NOW - DAY, dueAt: NOW + DAY });
    lateOpen = await create("还能迟交的作业", { openAt: NOW - 2 * DAY, dueAt: NOW - HOUR, lateUntil: NOW + DAY });
    returned = await create("发还的作业", { openAt: NOW - 2 * DAY, dueAt: NOW - 2 * HOUR });
    missed = await create("缺交的作业", { openAt: NOW - 2 * DAY, dueAt: NOW - HOUR });
    await handIn(await s(1), later, NOW - 10 * MINUTE);
    await handIn(await s(1), lateOpen, NOW - 30 * MINUTE);
    await handIn(await s(1), returned, NOW - 3 * HOUR);
    await handIn(await s(3), returned, NOW - 3 * HOUR);
    await grade(returned, 1, "90", "return");
    await grade(returned, 3, "80", "draft");
  });

  const expected: Record<number, Record<string, WorkState>> = {};
  beforeAll(() => {
    expected[1] = { [later]: "handedIn", [lateOpen]: "late", [returned]: "returned", [missed]: "missing" };
    expected[3] = { [later]: "toDo", [lateOpen]: "missing", [returned]: "handedIn", [missed]: "missing" };
  });

  it("the grading queue and the gradebook show the same states and counts, those who cannot hand in apart", async () => {
    const book = await gradebook(await t1(), klass, NOW);
    for (const id of [notYet, later, lateOpen, returned, missed]) {
      const queue = await gradingQueue(await t1(), id, NOW);
      const column = book.assignments.findIndex((a) => a.id === id);
      expect(column).toBeGreaterThanOrEqual(0);
      for (const row of queue.rows) {
        const cell = book.students.find((st) => st.id === row.studentId)!.cells[column]!;
        expect(cell.status).toBe(row.status);
      }
      const bookCounts = countWork(book.students.map((st) => ({ state: st.cells[column]!.status === "draft" ? queue.rows.find((r) => r.studentId === st.id)!.state : (st.cells[column]!.status as WorkState) })));
      expect(bookCounts).toEqual(queue.workCounts);
      expect(queue.counts.missing + queue.counts.notExpected + queue.counts.notOpen).toBeGreaterThanOrEqual(0);
    }
    const notYetQueue = await gradingQueue(await t1(), notYet, NOW);
    expect(notYetQueue.workCounts.notOpen).toBe(4);
    const q = await gradingQueue(await t1(), lateOpen, NOW);
    expect(q.workCounts).toMatchObject({ late: 1, missing: 1, notExpected: 2 });
    expect(q.rows.filter((r) => r.status === "notExpected").map((r) => r.reason).sort()).toEqual(["consent", "notActivated"]);
    // Before the due time the queue and the gradebook both say "to do" (not "missing").
    expect((await findInOrder((await gradingQueue(await t1(), later, NOW)).rows, async (r) => r.studentId === await idOf(3)))?.status).toBe("toDo");
    // The teacher sees the draft; the pupil's word stays "handed in".
    const r3 = (await findInOrder((await gradingQueue(await t1(), returned, NOW)).rows, async (r) => r.studentId === await idOf(3)))!;
    expect([r3.status, r3.state]).toEqual(["draft", "handedIn"]);
    // Gradebook: the two who cannot hand in come last, with the reason.
    expect(book.students.slice(-2).map((st) => st.notExpected).sort()).toEqual(["consent", "notActivated"]);
  });

  it("the queue, the pupil's to-do, the parent's pages and the weekly summary agree for a pupil", async () => {
    const mine = [later, lateOpen, returned, missed];
    const fromQueue = Object.fromEntries((await mapInOrder(mine, async (id) => [id, (await findInOrder((await gradingQueue(await t1(), id, NOW)).rows, async (r) => r.studentId === await idOf(1)))!.state])));
    expect(fromQueue).toEqual(expected[1]);

    const { todo, done } = await todoList(await s(1), NOW);
    const fromTodo = Object.fromEntries([...todo, ...done].filter((a) => mine.includes(a.id)).map((a) => [a.id, a.work]));
    expect(fromTodo).toEqual(expected[1]);
    expect([...todo, ...done].some((a) => a.id === notYet)).toBe(false);
    // Missing while late work is still taken: on the to-do list, saying so.
    expect(todo.find((a) => a.id === lateOpen)).toBeUndefined();
    expect((await todoList(await s(3), NOW)).todo.find((a) => a.id === lateOpen)).toMatchObject({ work: "missing", lateOpen: true });
    // The assignment page after a return says "returned" (not the assignment's "open"), and no hand-in.
    expect((await viewAssignment(await s(1), returned, NOW)).mine).toMatchObject({ work: "returned", may: { ok: false } });

    const p1 = await actorFor("wuhou-pri.p1", "parent");
    const progress = await childProgress(p1, await idOf(1), NOW);
    const fromParent = Object.fromEntries(progress.classes.flatMap((k) => k.assignments).filter((a) => mine.includes(a.id)).map((a) => [a.id, a.status]));
    expect(fromParent).toEqual(expected[1]);
    const count = (states: Record<string, WorkState>, s: WorkState) => Object.values(states).filter((x) => x === s).length;
    const overview = (await findInOrder((await progressOverview(p1, NOW)), async (c) => c.studentId === await idOf(1)))!;
    // The demo may hold assignments of its own: the overview counts at least ours, and exactly the child page's.
    expect(overview.counts).toMatchObject({ toDo: progress.counts.toDo, late: progress.counts.late, missing: progress.counts.missing });
    expect(progress.counts.late).toBeGreaterThanOrEqual(count(expected[1]!, "late"));

    const week = await weeklySummary(p1, await idOf(1), currentWeekStart(NOW), NOW);
    const handed = week.handedIn.filter((h) => mine.includes(h.assignmentId));
    expect(Object.fromEntries(handed.map((h) => [h.assignmentId, h.state]))).toEqual({ [later]: "handedIn", [lateOpen]: "late", [returned]: "returned" });
    expect(week.missing.filter((m) => mine.includes(m.assignmentId)).map((m) => m.assignmentId)).toEqual([missed]);
    // Same counts: handed in (on time, late, returned) and missing, whichever page is read.
    for (const s of ["handedIn", "late", "returned"] as const) expect(handed.filter((h) => h.state === s).length).toBe(count(fromParent, s));
    expect(count(fromParent, "missing")).toBe(1);

    // The parent's home says the same: late and missing in the same words, due soon only what is to do.
    const home = (await findInOrder((await parentHome(p1, NOW)), async (c) => c.studentId === await idOf(1)))!;
    const fromHome = Object.fromEntries(home.lateOrMissing.filter((a) => mine.includes(a.id)).map((a) => [a.id, a.state]));
    expect(fromHome).toEqual(Object.fromEntries(Object.entries(fromParent).filter(([, s]) => s === "late" || s === "missing")));
    for (const a of home.dueSoon.filter((a) => mine.includes(a.id))) expect(fromParent[a.id]).toBe("toDo");
  });

  it("gives the home pages what's next: due soon for a pupil, to grade per assignment for a teacher; others are refused", async () => {
    const soon = (await dueSoonFor(await s(3), 2 * DAY, NOW)).map((a) => a.id);
    expect(soon).toContain(later);
    expect(soon).toContain(lateOpen);
    expect(soon).not.toContain(missed); // closed: nothing more to do
    expect(soon).not.toContain(returned);
    const toGrade = new Map((await toGradeByAssignment(await t1())).map((a) => [a.assignmentId, a.toGrade]));
    // The queue's own count: handed in or late, or graded as a draft, not yet returned.
    for (const id of [later, lateOpen, returned]) {
      const q = (await gradingQueue(await t1(), id, NOW)).counts;
      expect(toGrade.get(id)).toBe(q.handedIn + q.late + q.draft);
    }
    expect(toGrade.has(missed)).toBe(false);
    expect(await refusal(async () => toGradeByAssignment(await s(1)))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(async () => dueSoonFor(await t1(), DAY, NOW))).toBeInstanceOf(ForbiddenError);
  });

  it("a pupil without consent is not expected everywhere, and never missing", async () => {
    const p2 = await actorFor("wuhou-pri.p2", "parent");
    // The parent's pages of a child awaiting consent list nothing (and count nothing as missing).
    expect((await childProgress(p2, await idOf(2), NOW)).counts.missing).toBe(0);
    expect((await weeklySummary(p2, await idOf(2), currentWeekStart(NOW), NOW)).missing).toEqual([]);
    for (const id of [later, lateOpen, missed]) {
      expect((await findInOrder((await gradingQueue(await t1(), id, NOW)).rows, async (r) => r.studentId === await idOf(2)))).toMatchObject({ status: "notExpected", reason: "consent" });
      expect((await findInOrder((await gradingQueue(await t1(), id, NOW)).rows, async (r) => r.studentId === await idOf(4)))).toMatchObject({ status: "notExpected", reason: "notActivated" });
    }
  });
});
