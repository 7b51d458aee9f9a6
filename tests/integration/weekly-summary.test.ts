import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import i18next, { type Resource } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { acknowledge } from "~/domain/grading/acknowledgements.server";
import { NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { notificationLinks } from "~/domain/overviews/follows.server";
import { randomId } from "~/domain/foundation/ids.server";
import { gradeAcknowledgers } from "~/domain/grading/acknowledgements.server";
import { listNotifications } from "~/domain/notices/notifications.server";
import { docFromPlainText, renderRichText } from "~/domain/foundation/richtext.server";
import {
  SUMMARY_TEXT_MAX,
  currentWeekStart,
  deliverWeeklySummaries,
  mondayOf,
  summaryText,
  weekBounds,
  weeklySummary,
  type Translate,
} from "~/domain/overviews/weekly-summary.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal } from "../support/refusal";

// A week of our own, long before the demo's (which is relative to today): Monday 3 March 2025.
const WEEK = "2025-03-03";
const bj = (local: string) => new Date(`${local}+08:00`); // Beijing wall-clock time
const LATER = bj("2025-03-20T12:00:00").getTime();

let classId = "";
let s1 = "";
const ids: Record<string, string> = {};

async function assignment(title: string, openAt: string, dueAt: string, points = 20) {
  const id = randomId();
  const doc = docFromPlainText(title);
  const teacher = await userByLogin("wuhou-pri.t1");
  await db()
      .insert(schema.assignments)
      .values({ id, authorId: teacher.id, schoolId: teacher.schoolId, title, bodyJson: doc, bodyHtml: renderRichText(doc), points, openAt: bj(openAt), dueAt: bj(dueAt), status: "published", publishedAt: bj(openAt) });
  await db().insert(schema.assignmentClasses).values({ assignmentId: id, classId });
  return id;
}

async function handIn(assignmentId: string, studentId: string, at: string, late = false, grade?: { score: number; feedback: string; returnedAt: string }) {
  const submissionId = randomId();
  await db()
      .insert(schema.submissions)
      .values({
        id: submissionId,
        assignmentId,
        studentId,
        classId,
        versionCount: 1,
        lastSubmittedAt: bj(at),
        late,
        score: grade?.score ?? null,
        feedback: grade?.feedback ?? null,
        gradeState: grade ? "returned" : "none",
        returnedAt: grade ? bj(grade.returnedAt) : null,
      });
  const doc = docFromPlainText("work");
  await db().insert(schema.submissionVersions).values({ id: randomId(), submissionId, number: 1, bodyJson: doc, bodyHtml: renderRichText(doc), checksum: "x", late, submittedAt: bj(at) });
  return submissionId;
}

async function portfolioItem(ownerId: string, title: string, visibility: "private" | "classes", at: string) {
  const doc = docFromPlainText(title);
  await db()
      .insert(schema.portfolioItems)
      .values({ id: randomId(), ownerId, schoolId: (await userByLogin("wuhou-pri.s1")).schoolId, title, kind: "work", occurredOn: at.slice(0, 10), descriptionJson: doc, descriptionHtml: renderRichText(doc), visibility, createdAt: bj(at) });
}

async function translator(lng: string): Promise<Translate> {
  const resources: Resource = {};
  for (const l of ["zh-Hans", "bo", "ii", "en"]) resources[l] = { consent: JSON.parse(readFileSync(`locales/${l}/consent.json`, "utf8")) };
  const i18n = i18next.createInstance();
  await i18n.init({ resources, lng, fallbackLng: "zh-Hans", ns: ["consent"], interpolation: { escapeValue: false } });
  return i18n.getFixedT(lng) as unknown as Translate;
}

beforeAll(async () => {
  await demoWorld();
  s1 = (await userByLogin("wuhou-pri.s1")).id;
  const s2 = (await userByLogin("wuhou-pri.s2")).id;
  classId = (await first(db()
      .select({ id: schema.classMemberships.classId })
      .from(schema.classMemberships)
      .where(and(eq(schema.classMemberships.userId, s1), eq(schema.classMemberships.role, "student"))).limit(1)))!.id;
  ids.onTime = await assignment("春天的诗", "2025-02-28T08:00", "2025-03-05T18:00");
  ids.late = await assignment("数一数花瓣", "2025-02-28T08:00", "2025-03-04T18:00");
  ids.missing = await assignment("观察日记", "2025-03-01T08:00", "2025-03-06T18:00");
  ids.nextWeek = await assignment("下周的作业", "2025-03-05T08:00", "2025-03-10T18:00");
  ids.lastWeek = await assignment("上周的作业", "2025-02-20T08:00", "2025-03-02T23:30");
  // Handed in Monday 00:30 Beijing (Sunday in UTC): this week.
  ids.onTimeSubmission = await handIn(ids.onTime, s1, "2025-03-03T00:30", false, { score: 18, feedback: "写得很好，".repeat(20), returnedAt: "2025-03-07T16:00" });
  await handIn(ids.late, s1, "2025-03-05T09:00", true);
  await handIn(ids.lastWeek, s1, "2025-03-02T23:30"); // Sunday 23:30 Beijing: the week before
  await handIn(ids.missing, s2, "2025-03-05T09:00"); // another child's work never counts for s1
  const doc = docFromPlainText("周五下午开家长会，请准时参加。");
  await db().insert(schema.announcements).values({ id: randomId(), classId, authorId: (await userByLogin("wuhou-pri.t1")).id, bodyJson: doc, bodyHtml: renderRichText(doc), createdAt: bj("2025-03-04T10:00") });
  await portfolioItem(s1, "我的春天画", "classes", "2025-03-06T20:00");
  await portfolioItem(s1, "日记（只给自己）", "private", "2025-03-06T20:00");
  await portfolioItem(s2, "别人的画", "classes", "2025-03-06T20:00");
});

describe("weeks in Beijing time", () => {
  it("takes any date to its Monday and bounds the week at Monday 00:00 Beijing", async () => {
    expect(mondayOf("2025-03-09")).toBe("2025-03-03");
    expect(mondayOf("2025-03-03")).toBe("2025-03-03");
    expect(mondayOf("2025-03-10")).toBe("2025-03-10");
    expect(weekBounds("2025-03-03").start.toISOString()).toBe("2025-03-02T16:00:00.000Z");
    expect(weekBounds("2025-03-03").end.toISOString()).toBe("2025-03-09T16:00:00.000Z");
    // Sunday 20:00 UTC is already Monday in Beijing.
    expect(currentWeekStart(Date.parse("2025-03-09T20:00:00Z"))).toBe("2025-03-10");
    expect((await refusal(() => mondayOf("2025-02-30"), ValidationError)).key).toBe("consent:weekInvalid");
  });
});

describe("a child's week", () => {
  it("lists work handed in (on time / late), missing, grades returned, announcements and shared portfolio items", async () => {
    const week = await weeklySummary(await actorFor("wuhou-pri.p1"), s1, "2025-03-06", LATER);
    expect(week).toMatchObject({ weekStart: WEEK, weekEnd: "2025-03-09", previousWeek: "2025-02-24", nextWeek: "2025-03-10", complete: true });
    expect(week.handedIn.map((h) => [h.title, h.late])).toEqual([
      ["春天的诗", false],
      ["数一数花瓣", true],
    ]);
    expect(week.missing.map((m) => m.title)).toEqual(["观察日记"]);
    expect(week.grades).toHaveLength(1);
    expect(week.grades[0]).toMatchObject({ title: "春天的诗", score: 18, points: 20, submissionId: ids.onTimeSubmission });
    expect([...week.grades[0]!.feedback].length).toBeLessThanOrEqual(60);
    expect(week.announcements.map((a) => a.text)).toEqual(["周五下午开家长会，请准时参加。"]);
    expect(week.portfolio.map((p) => p.title)).toEqual(["我的春天画"]);
  });

  it("in the current week, work not yet due is not missing and there is no next week", async () => {
    const wednesday = bj("2025-03-05T12:00").getTime();
    const week = await weeklySummary(await actorFor("wuhou-pri.p1"), s1, WEEK, wednesday);
    expect(week).toMatchObject({ complete: false, nextWeek: null });
    expect(week.missing).toEqual([]);
    expect((await refusal(async () => weeklySummary(await actorFor("wuhou-pri.p1"), s1, "2025-03-10", wednesday), ValidationError)).key).toBe("consent:weekInFuture");
  });

  it("is refused to everyone but the child's parent, and before the school opens to parents", async () => {
    for (const actor of [await actorFor("wuhou-pri.p2"), await actorFor("wuhou-pri.p5"), await actorFor("kangding-pri.p1"), await actorFor("wuhou-pri.t1", "parent")]) {
      expect(await refusal(async () => weeklySummary(actor, s1, WEEK, LATER))).toBeInstanceOf(NotFoundError);
    }
    expect((await refusal(async () => weeklySummary(await actorFor("wuhou-pri.t1", "teacher"), s1, WEEK, LATER))).status).toBe(403);
    expect((await refusal(async () => weeklySummary(await actorFor("wuhou-pri.s1"), s1, WEEK, LATER))).status).toBe(403);
    expect((await refusal(async () => weeklySummary(null, s1, WEEK, LATER))).status).toBe(401);
    // kangding-pri is at phase 2: parents' pages are not open yet.
    const kangdingChild = (await userByLogin("kangding-pri.s1")).id;
    expect((await refusal(async () => weeklySummary(await actorFor("kangding-pri.p1"), kangdingChild, WEEK, LATER))).key).toBe("rollout:spaceClosed");
  });

  it("reads as short plain text in the parent's locale", async () => {
    const week = await weeklySummary(await actorFor("wuhou-pri.p1"), s1, WEEK, LATER);
    const name = (await userByLogin("wuhou-pri.s1")).realName;
    const zh = summaryText(week, await translator("zh-Hans"));
    expect(zh).toContain(name);
    expect(zh).toContain("按时交作业1项，迟交1项，缺交1项");
    expect(zh).toContain("春天的诗 18/20分");
    for (const lng of ["zh-Hans", "bo", "ii", "en"]) expect([...summaryText(week, await translator(lng))].length).toBeLessThanOrEqual(SUMMARY_TEXT_MAX);
    expect(summaryText(week, await translator("bo"))).toMatch(/[\u0F00-\u0FFF]/);
    expect(summaryText(week, await translator("ii"))).toMatch(/[\uA000-\uA48F]/);
    // Many grades: cut to the limit, never beyond.
    const crowded = { ...week, grades: Array.from({ length: 30 }, (_, i) => ({ ...week.grades[0]!, title: `第${i}次练习` })) };
    expect([...summaryText(crowded, await translator("zh-Hans"))].length).toBeLessThanOrEqual(SUMMARY_TEXT_MAX);
  });
});

describe("the weekly notice", () => {
  it("is written once per child per week after it ends, dated the Monday after, and links to the week's page", async () => {
    const parent = await actorFor("wuhou-pri.p1");
    const monday = bj("2025-03-10T00:00").getTime();
    const written = await deliverWeeklySummaries(parent, monday + 3_600_000);
    expect(written).toBe(1);
    expect(await deliverWeeklySummaries(parent, monday + 7_200_000)).toBe(0);
    const notices = await db()
          .select()
          .from(schema.notifications)
          .where(and(eq(schema.notifications.userId, parent.id), eq(schema.notifications.kind, "weekly_summary")));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ subjectType: "user", subjectId: s1, actorId: s1, createdAt: new Date(monday) });
    const rows = (await listNotifications(parent)).rows.filter((r) => r.kind === "weekly_summary");
    expect((await notificationLinks(parent, rows)).get(rows[0]!.id)).toBe(`/parent/children/${s1}/week?week=${WEEK}`);
    // The next week: one more.
    expect(await deliverWeeklySummaries(parent, monday + 7 * 86_400_000)).toBe(1);
  });

  it("is written for nobody else, nor for a child whose school is not open to parents", async () => {
    expect(await deliverWeeklySummaries(await actorFor("wuhou-pri.t1", "teacher"), LATER)).toBe(0);
    expect(await deliverWeeklySummaries(await actorFor("wuhou-pri.s1"), LATER)).toBe(0);
    expect(await deliverWeeklySummaries(null, LATER)).toBe(0);
    expect(await deliverWeeklySummaries(await actorFor("kangding-pri.p1"), LATER)).toBe(0);
    const teacherParent = await actorFor("wuhou-pri.t1", "parent");
    expect(await deliverWeeklySummaries(teacherParent, LATER)).toBe(1);
    const notice = (await first(db().select().from(schema.notifications).where(and(eq(schema.notifications.userId, teacherParent.id), eq(schema.notifications.kind, "weekly_summary"))).limit(1)))!;
    expect(notice.subjectId).toBe((await userByLogin("wuhou-jun.s3")).id);
  });
});

describe("家长已阅 on the grading side", () => {
  it("shows the class's teacher who acknowledged each returned grade, and nobody else", async () => {
    const parent = await actorFor("wuhou-pri.p1");
    await acknowledge(parent, s1, "grade", ids.onTimeSubmission!);
    const teacher = await actorFor("wuhou-pri.t1", "teacher");
    const acks = await gradeAcknowledgers(teacher, ids.onTime!);
    expect(acks.get(s1)?.map((a) => a.guardianName)).toEqual([parent.realName]);
    expect(acks.size).toBe(1);
    expect((await gradeAcknowledgers(teacher, ids.late!)).size).toBe(0);
    expect((await refusal(async () => gradeAcknowledgers(await actorFor("kangding-pri.t1"), ids.onTime!))).status).toBe(404);
    expect((await refusal(async () => gradeAcknowledgers(await actorFor("wuhou-pri.s1"), ids.onTime!))).status).toBe(403);
    expect((await refusal(async () => gradeAcknowledgers(parent, ids.onTime!))).status).toBe(403);
    expect((await refusal(async () => gradeAcknowledgers(null, ids.onTime!))).status).toBe(401);
  });
});
