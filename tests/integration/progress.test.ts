// The parent's progress view: a parent sees exactly their own children's class work, grades, shared
// content and announcements, and nothing of anyone else — another child of the same class, of another
// class, of another school — not even a name.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { acknowledge, acknowledgersOf } from "~/domain/grading/acknowledgements.server";
import { postAnnouncement } from "~/domain/classwork/announcements.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { FeatureClosedError } from "~/domain/rollout/flags.server";
import { randomId } from "~/domain/foundation/ids.server";
import { createPortfolioItem } from "~/domain/portfolio/portfolio.server";
import { createPost } from "~/domain/spaces/posts.server";
import { childProgress, progressOverview, shanghaiWeekStart } from "~/domain/overviews/progress.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";

const form = (o: Record<string, string>) => new Map(Object.entries(o));

async function className(login: string): Promise<{ id: string; name: string }> {
  const user = await userByLogin(login);
  return (await first(db()
      .select({ id: schema.classes.id, name: schema.classes.name })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .where(and(eq(schema.classMemberships.userId, user.id), eq(schema.classMemberships.role, "student"))).limit(1)))!;
}

async function submissionOf(login: string, title: string): Promise<string> {
  const user = await userByLogin(login);
  return (await first(db()
      .select({ id: schema.submissions.id })
      .from(schema.submissions)
      .innerJoin(schema.assignments, eq(schema.assignments.id, schema.submissions.assignmentId))
      .where(and(eq(schema.submissions.studentId, user.id), eq(schema.assignments.title, title))).limit(1)))!.id;
}

const READ_AFTER = "《秋天的雨》读后感";
const COLOURS = "找一找秋天的颜色";
let ownAnnouncement = "";
let otherClassAnnouncement = "";

beforeAll(async () => {
  await demoWorld();
  const k3 = await className("wuhou-pri.s1");
  const k5 = await className("wuhou-pri.s5");
  ownAnnouncement = (await postAnnouncement(await actorFor("wuhou-pri.t1", "teacher"), k3.id, form({ body: "周五下午开家长会。" }))).id;
  otherClassAnnouncement = (await postAnnouncement(await actorFor("wuhou-pri.t2", "teacher"), k5.id, form({ body: "五年级春游通知。" }))).id;
  // What s1 keeps to themselves, or what still waits for a teacher, must never reach the parent.
  const s1 = await actorFor("wuhou-pri.s1", "student");
  await createPortfolioItem(s1, form({ title: "只给自己看的日记", kind: "reflection", occurredOn: "2026-10-20", description: "秘密。", visibility: "private" }));
  const pending = await createPost(s1, form({ id: randomId(), title: "等老师审核的文章", body: "我的周末。", visibility: "classes", intent: "publish" }));
  expect(pending.approval).toBe("pending");
});

describe("childProgress", () => {
  it("shows the parent their child's assignments, returned grade with feedback, score series, shared work and announcements", async () => {
    const p1 = await actorFor("wuhou-pri.p1", "parent");
    const s1 = await userByLogin("wuhou-pri.s1");
    const p = await childProgress(p1, s1.id);
    expect(p.child.realName).toBe(s1.realName);
    expect(p.space.open).toBe(true);
    expect(p.classes.map((k) => k.name)).toEqual(["三年级（1）班"]);
    const work = p.classes[0]!.assignments;
    const read = work.find((a) => a.title === READ_AFTER)!;
    expect(read.status).toBe("returned");
    expect(read.grade).toMatchObject({ score: 92, feedback: "比喻用得好，字也写得工整。", acknowledgedAt: null });
    // Handed in before the due time, not graded yet: on time, and no grade (a draft would not show either).
    const colours = work.find((a) => a.title === COLOURS)!;
    expect(colours.status).toBe("handedIn");
    expect(colours.grade).toBeNull();
    expect(p.counts.returned).toBe(1);
    expect(p.counts.handedIn).toBe(1);
    expect(p.scores).toEqual([expect.objectContaining({ title: READ_AFTER, percent: 92, score: 92, points: 100 })]);
    expect(p.classes[0]!.announcements.map((a) => a.id)).toContain(ownAnnouncement);
    expect(p.classes[0]!.announcements.map((a) => a.id)).not.toContain(otherClassAnnouncement);
    const shared = p.shared.map((s) => s.title);
    expect(shared).toContain("我的第一幅水彩画");
    expect(shared).not.toContain("只给自己看的日记");
    expect(shared).not.toContain("等老师审核的文章");
  });

  it("never carries another student's name, score or feedback", async () => {
    const p = await childProgress(await actorFor("wuhou-pri.p1", "parent"), (await userByLogin("wuhou-pri.s1")).id);
    const text = JSON.stringify(p);
    for (const login of ["wuhou-pri.s2", "wuhou-pri.s3", "wuhou-pri.s4", "wuhou-pri.s5", "wuhou-jun.s3"]) {
      expect(text).not.toContain((await userByLogin(login)).realName);
    }
    expect(text).not.toContain("内容真实"); // s2's feedback
    expect(text).not.toContain("注意标点"); // s3's feedback
    expect(text).not.toMatch(/"score":(78|85)\b/);
  });

  it("reads another child — same class, other class, other school, made up — as not found", async () => {
    const p1 = await actorFor("wuhou-pri.p1", "parent");
    for (const login of ["wuhou-pri.s2", "wuhou-pri.s5", "wuhou-jun.s3", "kangding-pri.s1"]) {
      await expect(childProgress(p1, (await userByLogin(login)).id)).rejects.toThrow(NotFoundError);
    }
    await expect(childProgress(p1, "no-such-child-0001")).rejects.toThrow(NotFoundError);
  });

  it("refuses anyone not acting as a parent", async () => {
    const s1 = (await userByLogin("wuhou-pri.s1")).id;
    await expect(childProgress(await actorFor("wuhou-pri.t1", "teacher"), s1)).rejects.toThrow(ForbiddenError);
    await expect(childProgress(await actorFor("wuhou-pri.s1", "student"), s1)).rejects.toThrow(ForbiddenError);
    await expect(childProgress(await actorFor("wuhou-pri.admin", "school_admin"), s1)).rejects.toThrow(ForbiddenError);
    await expect(childProgress(null, s1)).rejects.toThrow(ForbiddenError);
  });

  it("issue 13 #8a: shows nothing of an under-14 child's work while no consent is on record, only that consent is needed", async () => {
    const p2 = await actorFor("wuhou-pri.p2", "parent");
    const p = await childProgress(p2, (await userByLogin("wuhou-pri.s2")).id);
    expect(p.consentState).toBe("none");
    expect(p.awaitsConsent).toBe(true);
    expect(p.space).toEqual({ open: false, reason: "consent" });
    expect(p).toMatchObject({ classes: [], scores: [], shared: [], counts: { toDo: 0, handedIn: 0, late: 0, missing: 0, returned: 0, notExpected: 0 } });
    expect(JSON.stringify(p)).not.toContain(READ_AFTER);
    expect(await progressOverview(p2)).toEqual([expect.objectContaining({ admitted: true, awaitsConsent: true, counts: null })]);
  });

  it("is not open to parents of a school below phase 3", async () => {
    const parent = await actorFor("kangding-pri.p1", "parent");
    await expect(childProgress(parent, (await userByLogin("kangding-pri.s1")).id)).rejects.toThrow(FeatureClosedError);
    expect(await progressOverview(parent)).toEqual([expect.objectContaining({ admitted: false, counts: null })]);
  });

  it("lets a teacher who is a parent see their own child only while acting as a parent", async () => {
    const child = await userByLogin("wuhou-jun.s3");
    const asParent = await actorFor("wuhou-pri.t1", "parent");
    expect((await childProgress(asParent, child.id)).child.realName).toBe(child.realName);
    expect((await progressOverview(asParent)).map((c) => c.studentId)).toEqual([child.id]);
    await expect(childProgress(await actorFor("wuhou-pri.t1", "teacher"), child.id)).rejects.toThrow(ForbiddenError);
    // Their pupils are not their children.
    await expect(childProgress(asParent, (await userByLogin("wuhou-pri.s1")).id)).rejects.toThrow(NotFoundError);
  });
});

describe("progressOverview", () => {
  it("lists each of the parent's children with counts, and nobody else", async () => {
    const rows = await progressOverview(await actorFor("wuhou-pri.p1", "parent"));
    expect(rows.map((r) => r.studentId)).toEqual([(await userByLogin("wuhou-pri.s1")).id]);
    expect(rows[0]).toMatchObject({ admitted: true, consentState: "given", counts: { toDo: 0, late: 0, missing: 0 } });
  });

  it("counts a grade returned since Monday (Beijing time) as returned this week", async () => {
    const s1 = (await userByLogin("wuhou-pri.s1")).id;
    const returnedAt = (await first(db().select({ at: schema.submissions.returnedAt }).from(schema.submissions).where(eq(schema.submissions.id, await submissionOf("wuhou-pri.s1", READ_AFTER))).limit(1)))!.at!;
    const sameWeek = await progressOverview(await actorFor("wuhou-pri.p1", "parent"), returnedAt.getTime() + 1000);
    expect(sameWeek.find((c) => c.studentId === s1)!.counts!.returnedThisWeek).toBe(1);
    const weekLater = await progressOverview(await actorFor("wuhou-pri.p1", "parent"), returnedAt.getTime() + 8 * 86_400_000);
    expect(weekLater.find((c) => c.studentId === s1)!.counts!.returnedThisWeek).toBe(0);
  });

  it("starts the week on Monday 00:00 in Beijing", () => {
    // 2026-03-02 is a Monday; 01:00 Beijing is 17:00 UTC on Sunday.
    expect(shanghaiWeekStart(Date.parse("2026-03-01T17:00:00Z")).toISOString()).toBe("2026-03-01T16:00:00.000Z");
    expect(shanghaiWeekStart(Date.parse("2026-03-01T15:00:00Z")).toISOString()).toBe("2026-02-22T16:00:00.000Z");
  });
});

describe("家长已阅 from the progress view", () => {
  it("marks the child's returned grade and class announcement as read, shown with its date; the teacher sees it", async () => {
    const p1 = await actorFor("wuhou-pri.p1", "parent");
    const s1 = (await userByLogin("wuhou-pri.s1")).id;
    const grade = await submissionOf("wuhou-pri.s1", READ_AFTER);
    await acknowledge(p1, s1, "grade", grade);
    await acknowledge(p1, s1, "announcement", ownAnnouncement);
    const p = await childProgress(p1, s1);
    expect(p.classes[0]!.assignments.find((a) => a.title === READ_AFTER)!.grade!.acknowledgedAt).toBeInstanceOf(Date);
    expect(p.classes[0]!.announcements.find((a) => a.id === ownAnnouncement)!.acknowledgedAt).toBeInstanceOf(Date);
    const seen = await acknowledgersOf(await actorFor("wuhou-pri.t1", "teacher"), (await className("wuhou-pri.s1")).id, "grade", [grade]);
    expect(seen.get(grade)?.map((a) => a.studentId)).toEqual([s1]);
  });

  it("refuses another child's grade, a grade not returned yet, another class's announcement, and another child", async () => {
    const p1 = await actorFor("wuhou-pri.p1", "parent");
    const s1 = (await userByLogin("wuhou-pri.s1")).id;
    await expect(acknowledge(p1, s1, "grade", await submissionOf("wuhou-pri.s2", READ_AFTER))).rejects.toThrow(NotFoundError);
    await expect(acknowledge(p1, s1, "grade", await submissionOf("wuhou-pri.s1", COLOURS))).rejects.toThrow(NotFoundError);
    await expect(acknowledge(p1, s1, "announcement", otherClassAnnouncement)).rejects.toThrow(NotFoundError);
    await expect(acknowledge(p1, (await userByLogin("wuhou-pri.s2")).id, "grade", await submissionOf("wuhou-pri.s2", READ_AFTER))).rejects.toThrow(NotFoundError);
    await expect(acknowledge(await actorFor("wuhou-pri.t1", "teacher"), s1, "grade", await submissionOf("wuhou-pri.s1", READ_AFTER))).rejects.toThrow(ForbiddenError);
  });
});
