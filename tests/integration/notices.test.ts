import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import i18next, { type Resource } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import type { NotificationKind } from "#db/schema";
import type { Actor } from "~/domain/foundation/actor.server";
import { createAssignment, submitWork } from "~/domain/classwork/assignments.server";
import { beijingLocalTimeOf } from "~/domain/foundation/beijing-time.server";
import { NotFoundError } from "~/domain/foundation/errors.server";
import { notificationLinks } from "~/domain/overviews/follows.server";
import { returnGrades, saveGrade } from "~/domain/grading/grading.server";
import { randomId } from "~/domain/foundation/ids.server";
import { dailyDigest, noticeText, type Translate } from "~/domain/overviews/notice-channels.server";
import {
  deliverMissingWorkNotices,
  digestKindsOf,
  listNotifications,
  markRead,
  noticeSettingsOf,
  saveNoticeSettings,
  tellOfReturnedGrade,
  unreadCount,
} from "~/domain/notices/notifications.server";
import { docFromPlainText, renderRichText } from "~/domain/foundation/richtext.server";
import { recordConsent } from "~/domain/rollout/rollout.server";
import type { Lng } from "~/i18n";
import { countStatements } from "../support/count-statements";
import { refusal } from "../support/refusal";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";

// wuhou-pri (phase 3): 三年级（1）班 (A) has s1–s4, 五年级（2）班 (B) s5–s8; t1–t3 teach both, except that
// here t3 is taken out of class B (t3 is "the other class's teacher" for B's work). p1 is s1's parent
// (consent given), p2 s2's (s2 under 14, no consent), p5 s5's (consent given). t1 is also a parent, of
// a pupil at another school. s3 gets consent here so that they may hand in.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
const local = (ms: number) => beijingLocalTimeOf(new Date(ms));
const form = (fields: Record<string, string | undefined>) => new Map(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));

let classA = "";
let classB = "";
const t1 = async () => actorFor("wuhou-pri.t1", "teacher");
const t2 = async () => actorFor("wuhou-pri.t2", "teacher");
const t3 = async () => actorFor("wuhou-pri.t3", "teacher");
const s = async (n: number) => actorFor(`wuhou-pri.s${n}`);
const p = async (n: number) => actorFor(`wuhou-pri.p${n}`, "parent");
const idOf = async (n: number) => (await userByLogin(`wuhou-pri.s${n}`)).id;

async function create(title: string, classes: string[]) {
  return (await createAssignment(
    await t1(),
    form({
      id: randomId(),
      title,
      body: "完成练习册第 12 页。",
      ...Object.fromEntries(classes.map((k) => [`class.${k}`, "on"])),
      openAt: local(NOW - DAY),
      dueAt: local(NOW + DAY),
      allowResubmit: "on",
      points: "10",
      intent: "publish",
    }),
    [],
    NOW - DAY,
  )).id;
}

const handIn = async (actor: Actor, id: string, now = NOW) => submitWork(actor, id, form({ versionId: randomId(), body: "我的作业" }), [], now);

/** The notices of `kind` a person holds about an assignment. */
async function noticesOf(userId: string, kind: NotificationKind, assignmentId: string) {
  const n = schema.notifications;
  return db().select().from(n).where(and(eq(n.userId, userId), eq(n.kind, kind), eq(n.subjectId, assignmentId)));
}

async function translator(lng: Lng): Promise<Translate> {
  const resources: Resource = {};
  for (const l of ["zh-Hans", "bo", "ii", "en"]) resources[l] = { social: JSON.parse(readFileSync(`locales/${l}/social.json`, "utf8")) };
  const i18n = i18next.createInstance();
  await i18n.init({ resources, lng, fallbackLng: "zh-Hans", ns: ["social"], interpolation: { escapeValue: false } });
  return i18n.getFixedT(lng) as unknown as Translate;
}

beforeAll(async () => {
  await demoWorld();
  classA = await classIdOf("wuhou-pri", "三年级（1）班");
  classB = await classIdOf("wuhou-pri", "五年级（2）班");
  await db()
      .delete(schema.classMemberships)
      .where(and(eq(schema.classMemberships.classId, classB), eq(schema.classMemberships.userId, (await userByLogin("wuhou-pri.t3")).id)));
  await recordConsent(await actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s3", guardianName: "王淑芬", signedOn: "2026-09-01", decision: "given" });
});

describe("hand-ins: the class's teachers are told, one unread notice per assignment that counts", () => {
  it("batches hand-ins, tells only the teachers of the pupil's class, and starts again once read", async () => {
    const id = await create("春天的诗", [classA, classB]);
    await handIn(await s(1), id);
    await handIn(await s(3), id);
    await handIn(await s(5), id);
    const mine = await noticesOf((await t1()).id, "handins", id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.facts).toEqual({ count: 3 });
    expect((await noticesOf((await t2()).id, "handins", id))[0]!.facts).toEqual({ count: 3 });
    // t3 does not teach class B: told of class A's two, not of s5's.
    expect((await noticesOf((await t3()).id, "handins", id))[0]!.facts).toEqual({ count: 2 });
    // Nobody else: not the pupils, not the parents, not another school's teacher.
    for (const other of [await idOf(1), await idOf(5), (await p(1)).id, (await p(5)).id, (await userByLogin("wuhou-jun.t1")).id]) expect(await noticesOf(other, "handins", id)).toEqual([]);

    const zh = await translator("zh-Hans");
    const row = (await listNotifications(await t1())).rows.find((r) => r.kind === "handins" && r.subjectId === id)!;
    expect(noticeText(row, zh, "zh-Hans")).toBe("《春天的诗》有 3 份新提交");
    expect((await notificationLinks(await t1(), [row])).get(row.id)).toBe(`/assignments/${id}/grading`);

    // Opened: read. The next hand-in starts a new notice of one.
    await markRead(await t1(), row.id);
    await handIn(await s(1), id, NOW + MINUTE);
    const after = await noticesOf((await t1()).id, "handins", id);
    expect(after).toHaveLength(2);
    expect(after.find((n) => n.readAt === null)!.facts).toEqual({ count: 1 });
  });
});

describe("returned grades: the pupil and the parents who may read them", () => {
  it("tells the pupil and their consented parent, with the title and the score; no one else", async () => {
    const id = await create("数一数花瓣", [classA, classB]);
    await handIn(await s(1), id);
    await saveGrade(await t1(), id, await idOf(1), form({ score: "8", feedback: "很好", gradeVersion: "0", intent: "return" }), [], NOW);
    expect(await noticesOf(await idOf(1), "grade_returned", id)).toHaveLength(1);
    const told = await noticesOf((await p(1)).id, "child_grade_returned", id);
    expect(told).toHaveLength(1);
    expect(told[0]!.facts).toEqual({ score: 8, points: 10 });
    expect(told[0]!.actorId).toBe(await idOf(1));
    // Another child's parent, the teachers (t1 is also a parent, of another child), the other pupils: nothing.
    for (const other of [(await p(2)).id, (await p(5)).id, (await t1()).id, (await t2()).id, await idOf(5)]) {
      expect(await noticesOf(other, "child_grade_returned", id)).toEqual([]);
      expect(await noticesOf(other, "grade_returned", id)).toEqual([]);
    }

    const parentRow = (await listNotifications(await p(1))).rows.find((r) => r.kind === "child_grade_returned" && r.subjectId === id)!;
    const name = (await userByLogin("wuhou-pri.s1")).realName;
    expect(noticeText(parentRow, await translator("zh-Hans"), "zh-Hans")).toBe(`${name} 的《数一数花瓣》已批改：8/10`);
    expect(noticeText(parentRow, await translator("en"), "en")).toBe(`${name}'s “数一数花瓣” is graded: 8/10`);
    expect(noticeText(parentRow, await translator("bo"), "bo")).toMatch(/[\u0F00-\u0FFF]/);
    expect(noticeText(parentRow, await translator("ii"), "ii")).toMatch(/[\uA000-\uA48F]/);
    expect((await notificationLinks(await p(1), [parentRow])).get(parentRow.id)).toBe(`/parent/children/${await idOf(1)}`);
    const pupilRow = (await listNotifications(await s(1))).rows.find((r) => r.kind === "grade_returned" && r.subjectId === id)!;
    expect(noticeText(pupilRow, await translator("zh-Hans"), "zh-Hans")).toBe("《数一数花瓣》已批改：8/10");
  });

  it("returning a batch tells each pupil's consented parent", async () => {
    const id = await create("观察日记", [classA, classB]);
    await handIn(await s(5), id);
    await saveGrade(await t1(), id, await idOf(5), form({ score: "9", feedback: "", gradeVersion: "0", intent: "draft" }), [], NOW);
    expect(await noticesOf((await p(5)).id, "child_grade_returned", id)).toEqual([]); // a draft tells no one
    expect(await returnGrades(await t1(), id, NOW)).toBe(1);
    expect(await noticesOf((await p(5)).id, "child_grade_returned", id)).toHaveLength(1);
    expect(await noticesOf((await p(1)).id, "child_grade_returned", id)).toEqual([]);
  });

  it("never tells the parent of an under-14 without consent", async () => {
    const id = await create("古诗两首", [classA]);
    await db().transaction(async (tx) => tellOfReturnedGrade(tx, await idOf(2), (await t1()).id, id, 7, 10));
    expect(await noticesOf(await idOf(2), "grade_returned", id)).toHaveLength(1);
    expect(await noticesOf((await p(2)).id, "child_grade_returned", id)).toEqual([]);
  });
});

describe("missing work: the parent is told once, after the due / late-until time", () => {
  async function pastAssignment(title: string, dueAt: number, lateUntil: number | null, classId: string) {
    const id = randomId();
    const doc = docFromPlainText(title);
    const teacher = await userByLogin("wuhou-pri.t1");
    await db()
          .insert(schema.assignments)
          .values({ id, authorId: teacher.id, schoolId: teacher.schoolId, title, bodyJson: doc, bodyHtml: renderRichText(doc), points: 10, openAt: new Date(dueAt - 3 * DAY), dueAt: new Date(dueAt), lateUntil: lateUntil ? new Date(lateUntil) : null, status: "published", publishedAt: new Date(dueAt - 3 * DAY) });
    await db().insert(schema.assignmentClasses).values({ assignmentId: id, classId });
    return id;
  }

  it("tells a consented parent of their child's missing work once, and no other parent", async () => {
    const missed = await pastAssignment("错过的作业", NOW - DAY, null, classA);
    const stillLate = await pastAssignment("还能补交", NOW - DAY, NOW + DAY, classA);
    const before = (await noticesOf((await p(1)).id, "child_missing", missed)).length;
    expect(before).toBe(0);
    await deliverMissingWorkNotices(await p(1), NOW);
    expect(await noticesOf((await p(1)).id, "child_missing", missed)).toHaveLength(1);
    expect(await noticesOf((await p(1)).id, "child_missing", stillLate)).toEqual([]); // late work is still accepted
    expect(await deliverMissingWorkNotices(await p(1), NOW)).toBe(0); // once
    // After the late-until time, that one too.
    await deliverMissingWorkNotices(await p(1), NOW + 2 * DAY);
    expect(await noticesOf((await p(1)).id, "child_missing", stillLate)).toHaveLength(1);
    // The parent of an under-14 without consent, another class's parent, a teacher: nothing.
    await deliverMissingWorkNotices(await p(2), NOW);
    await deliverMissingWorkNotices(await p(5), NOW);
    await deliverMissingWorkNotices(await t1(), NOW);
    for (const other of [(await p(2)).id, (await p(5)).id, (await t1()).id]) expect(await noticesOf(other, "child_missing", missed)).toEqual([]);

    const row = (await listNotifications(await p(1))).rows.find((r) => r.kind === "child_missing" && r.subjectId === missed)!;
    const text = noticeText(row, await translator("zh-Hans"), "zh-Hans");
    expect(text).toContain("没有交《错过的作业》");
    expect(text).toContain((await userByLogin("wuhou-pri.s1")).realName);
  });

  it("does not tell of work handed in", async () => {
    const done = await pastAssignment("交了的作业", NOW + HOUR, null, classA);
    await handIn(await s(1), done, NOW);
    await deliverMissingWorkNotices(await p(1), NOW + 2 * HOUR);
    expect(await noticesOf((await p(1)).id, "child_missing", done)).toEqual([]);
  });
});

describe("opening a notice", () => {
  it("marks it read; another person's notice is not found", async () => {
    const id = await create("打开就已读", [classA]);
    await handIn(await s(1), id);
    const notice = (await noticesOf((await t1()).id, "handins", id))[0]!;
    const unread = await unreadCount(await t1());
    expect(await refusal(async () => markRead(await t2(), notice.id))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => markRead(await p(1), notice.id))).toBeInstanceOf(NotFoundError);
    expect((await noticesOf((await t1()).id, "handins", id))[0]!.readAt).toBeNull();
    expect((await markRead(await t1(), notice.id)).read).toBe(true);
    expect(await unreadCount(await t1())).toBe(unread - 1);
    expect((await noticesOf((await t1()).id, "handins", id))[0]!.readAt).not.toBeNull();
  });
});

describe("settings per kind", () => {
  it("lists the role's kinds (in-app only by default), saves the digest choice, and feeds the digest", async () => {
    const parent = await p(1);
    const before = await noticeSettingsOf(parent);
    expect(before.map((s) => s.kind)).toContain("child_grade_returned");
    expect(before.map((s) => s.kind)).not.toContain("handins");
    expect(before.every((s) => !s.digest)).toBe(true);
    // A kind not of the role is ignored.
    const saved = await saveNoticeSettings(parent, form({ "digest.child_grade_returned": "on", "digest.handins": "on" }));
    expect(saved.find((s) => s.kind === "child_grade_returned")!.digest).toBe(true);
    expect(saved.find((s) => s.kind === "child_missing")!.digest).toBe(false);
    expect(await digestKindsOf(parent.id)).toEqual(["child_grade_returned"]);
    // Another person's settings are their own.
    expect((await noticeSettingsOf(await p(5))).every((s) => !s.digest)).toBe(true);

    const lines = await dailyDigest(parent, NOW - DAY, await translator("zh-Hans"), "zh-Hans");
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes("已批改"))).toBe(true);
    expect(await dailyDigest(await p(5), NOW - DAY, await translator("zh-Hans"), "zh-Hans")).toEqual([]);
  });
});

describe("the notices page's SQL", () => {
  it("is bounded: as many statements for a page of thirty notices as for a page of five", async () => {
    const lone = await actorFor("wuhou-jun.t1", "teacher");
    const ids = [await create("一", [classA]), await create("二", [classA])];
    const n = schema.notifications;
    const add = async (count: number) => {
      for (let i = 0; i < count; i++) {
        await db()
                  .insert(n)
                  .values({ id: randomId(), userId: lone.id, kind: i % 2 ? "handins" : "comment", actorId: i % 3 ? (await userByLogin(`wuhou-pri.s${1 + (i % 4)}`)).id : null, subjectType: i % 2 ? "assignment" : "post", subjectId: i % 2 ? ids[i % 2]! : randomId(), facts: { count: i } });
      }
    };
    await add(5);
    const five = await countStatements(async () => listNotifications(lone));
    await add(40);
    const thirty = await countStatements(async () => listNotifications(lone));
    expect((await listNotifications(lone)).rows).toHaveLength(30);
    expect(thirty).toBeLessThanOrEqual(five); // one lookup per kind of subject, never one per notice (the reader's children are remembered)
    expect(thirty).toBeLessThanOrEqual(8);
  });
});
