// Home = what's next (issue 16): each role's lists, who sees what (a parent only their own children, a
// teacher only the queues of their classes), "returned since the last visit", and a fixed number of
// SQL statements per home page whatever the number of items.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { acknowledge } from "~/domain/grading/acknowledgements.server";
import { ForbiddenError } from "~/domain/foundation/errors.server";
import { NEW_VISIT_AFTER, parentHome, pupilHome, schoolAdminHome, teacherHome } from "~/domain/overviews/home.server";
import { randomId } from "~/domain/foundation/ids.server";
import { countStatements } from "../support/count-statements";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";
import { findInOrder } from "~/lib/in-order";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.now();

type Made = { id: string };

async function makeAssignment(title: string, dueIn: number, classId: string, author = "wuhou-pri.t1", extra: Partial<typeof schema.assignments.$inferInsert> = {}): Promise<Made> {
  const id = randomId();
  await db()
      .insert(schema.assignments)
      .values({ id, authorId: (await userByLogin(author)).id, schoolId: (await userByLogin(author)).schoolId, title, bodyJson: { type: "doc", content: [] }, bodyHtml: "", points: 10, openAt: new Date(now - 20 * DAY), dueAt: new Date(now + dueIn), status: "published", publishedAt: new Date(now - 20 * DAY), ...extra });
  await db().insert(schema.assignmentClasses).values({ assignmentId: id, classId });
  return { id };
}

async function makeSubmission(assignmentId: string, login: string, values: Partial<typeof schema.submissions.$inferInsert>): Promise<Made> {
  const id = randomId();
  await db()
      .insert(schema.submissions)
      .values({ id, assignmentId, studentId: (await userByLogin(login)).id, classId: null, versionCount: 1, lastSubmittedAt: new Date(now - HOUR), ...values });
  return { id };
}

async function announce(classId: string, text: string, at = now - HOUR): Promise<Made> {
  const id = randomId();
  await db()
      .insert(schema.announcements)
      .values({ id, classId, authorId: (await userByLogin("wuhou-pri.t1")).id, bodyJson: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] }, bodyHtml: `<p>${text}</p>`, createdAt: new Date(at) });
  return { id };
}

let klass: string;
let dueTomorrow: Made;
let overdue: Made;
let returnedWork: Made;
let returnedSub: Made;
let news: Made;
const guardianOf = async (login: string) =>
  (await first(db().select({ g: schema.guardianLinks.guardianId }).from(schema.guardianLinks).where(eq(schema.guardianLinks.studentId, (await userByLogin(login)).id)).limit(1)))!.g;
const loginOf = async (id: string) => (await first(db().select({ l: schema.users.loginName }).from(schema.users).where(eq(schema.users.id, id)).limit(1)))!.l;

beforeAll(async () => {
  await demoWorld();
  klass = await classIdOf("wuhou-pri", "三年级（1）班");
  // s3 is 14 or older in this test: their space is open without consent (a second open pupil of the class).
  await db().update(schema.users).set({ birthDate: "2010-01-01" }).where(eq(schema.users.loginName, "wuhou-pri.s3"));
  dueTomorrow = await makeAssignment("明天交的口算练习", 30 * HOUR, klass);
  overdue = await makeAssignment("昨天截止的生字抄写", -DAY, klass, "wuhou-pri.t1", { lateUntil: new Date(now + 2 * DAY) });
  returnedWork = await makeAssignment("已经发回的看图写话", -2 * DAY, klass);
  returnedSub = await makeSubmission(returnedWork.id, "wuhou-pri.s1", { gradeState: "returned", score: 9, returnedAt: new Date(now - HOUR) });
  await makeSubmission(dueTomorrow.id, "wuhou-pri.s1", { versionCount: 1 }); // s1 handed in: to grade for the teacher
  news = await announce(klass, "周五带上彩笔。");
});

describe("a pupil's home", () => {
  it("shows work due soon with its time, not what was handed in, and late work still taken", async () => {
    const s3 = await actorFor("wuhou-pri.s3");
    const home = await pupilHome(s3, now);
    expect(home.space.open).toBe(true);
    const tomorrow = home.dueSoon.find((d) => d.id === dueTomorrow.id)!;
    expect(tomorrow.due.msLeft).toBe(30 * HOUR);
    expect(tomorrow.due.dayOffset).toBeGreaterThanOrEqual(1);
    expect(tomorrow.classNames).toEqual(["三年级（1）班"]);
    expect(home.dueSoon.find((d) => d.id === overdue.id)?.overdue).toBe(true);
    // s1 handed in the one due tomorrow: it is no longer "to do" for them.
    expect((await pupilHome(await actorFor("wuhou-pri.s1"), now)).dueSoon.map((d) => d.id)).not.toContain(dueTomorrow.id);
  });

  it("shows grades returned since the last visit, kept over a reload, gone on the next visit", async () => {
    const s1 = await actorFor("wuhou-pri.s1");
    const first = await pupilHome(s1, now + 1);
    expect(first.returned.find((r) => r.submissionId === returnedSub.id)).toMatchObject({ score: 9, points: 10, title: "已经发回的看图写话" });
    expect(first.announcements.map((a) => a.id)).toContain(news.id);
    expect(first.announcements.find((a) => a.id === news.id)!.excerpt).toBe("周五带上彩笔。");
    const reload = await pupilHome(s1, now + 60_000);
    expect(reload.returned.map((r) => r.submissionId)).toContain(returnedSub.id);
    const nextVisit = await pupilHome(s1, now + 60_000 + NEW_VISIT_AFTER + 1);
    expect(nextVisit.returned.map((r) => r.submissionId)).not.toContain(returnedSub.id);
    expect(nextVisit.announcements.map((a) => a.id)).not.toContain(news.id);
  });

  it("never lists another pupil's returned grade", async () => {
    expect((await pupilHome(await actorFor("wuhou-pri.s3"), now)).returned.map((r) => r.submissionId)).not.toContain(returnedSub.id);
  });

  it("tells a pupil without consent how much waits, and nothing of it", async () => {
    const home = await pupilHome(await actorFor("wuhou-pri.s2"), now);
    expect(home.space).toEqual({ open: false, reason: "consent" });
    expect(home.dueSoon).toEqual([]);
    expect(home.returned).toEqual([]);
    expect(home.announcements).toEqual([]);
    expect(home.waiting!.assignments).toBeGreaterThanOrEqual(1);
    expect(home.waiting!.announcements).toBeGreaterThanOrEqual(1);
  });

  it("is refused to anyone not acting as a pupil", async () => {
    await expect(pupilHome(await actorFor("wuhou-pri.t1", "teacher"), now)).rejects.toThrow(ForbiddenError);
    await expect(pupilHome(await actorFor("wuhou-pri.p1"), now)).rejects.toThrow(ForbiddenError);
    await expect(pupilHome(null, now)).rejects.toThrow(ForbiddenError);
  });
});

describe("a teacher's home", () => {
  it("lists hand-ins to grade per assignment and work due this week, linking by assignment", async () => {
    const home = await teacherHome(await actorFor("wuhou-pri.t1", "teacher"), now);
    expect(home.toGrade.find((a) => a.id === dueTomorrow.id)).toMatchObject({ count: 1, classNames: ["三年级（1）班"] });
    expect(home.dueThisWeek.find((a) => a.id === dueTomorrow.id)).toMatchObject({ handedIn: 1 });
    expect(home.dueThisWeek.map((a) => a.id)).not.toContain(overdue.id);
  });

  it("never shows another school's class queue", async () => {
    const other = await teacherHome(await actorFor("kangding-pri.t1", "teacher"), now);
    const ids = [...other.toGrade, ...other.dueThisWeek].map((a) => a.id);
    expect(ids).not.toContain(dueTomorrow.id);
    expect(ids).not.toContain(overdue.id);
  });

  it("shows group requests and open reports of groups the teacher moderates only", async () => {
    const t1 = await userByLogin("wuhou-pri.t1");
    const groupId = randomId();
    await db().insert(schema.groups).values({ id: groupId, name: "三年级阅读小组", kind: "study", reach: "school", joinPolicy: "approval", schoolId: t1.schoolId!, createdBy: t1.id, createdAs: "teacher" } as typeof schema.groups.$inferInsert);
    await db().insert(schema.groupMembers).values({ groupId, userId: t1.id, role: "owner", state: "active", memberAs: "teacher", schoolId: t1.schoolId });
    await db().insert(schema.groupMembers).values({ groupId, userId: (await userByLogin("wuhou-pri.s3")).id, state: "requested", memberAs: "student", schoolId: t1.schoolId });
    const home = await teacherHome(await actorFor("wuhou-pri.t1", "teacher"), now);
    expect(home.groups).toContainEqual({ id: groupId, name: "三年级阅读小组", requests: 1, reports: 0 });
    expect((await teacherHome(await actorFor("kangding-pri.t1", "teacher"), now)).groups.map((g) => g.id)).not.toContain(groupId);
  });

  it("is refused to a pupil and a parent", async () => {
    await expect(teacherHome(await actorFor("wuhou-pri.s1"), now)).rejects.toThrow(ForbiddenError);
    await expect(teacherHome(await actorFor("wuhou-pri.t1", "parent"), now)).rejects.toThrow(ForbiddenError);
  });
});

describe("a parent's home", () => {
  it("shows their child's returned grades and announcements until 已阅, late or missing work, and work due soon", async () => {
    const parent = await actorFor(await loginOf(await guardianOf("wuhou-pri.s1")), "parent");
    const child = (await findInOrder((await parentHome(parent, now)), async (c) => c.studentId === (await userByLogin("wuhou-pri.s1")).id))!;
    expect(child.awaitsConsent).toBe(false);
    expect(child.returned.map((r) => r.submissionId)).toContain(returnedSub.id);
    expect(child.announcements.map((a) => a.id)).toContain(news.id);
    expect(child.lateOrMissing.find((a) => a.id === overdue.id)?.state).toBe("missing");
    expect(child.dueSoon.map((a) => a.id)).not.toContain(dueTomorrow.id); // handed in already
    await acknowledge(parent, child.studentId, "grade", returnedSub.id, now);
    await acknowledge(parent, child.studentId, "announcement", news.id, now);
    const after = (await parentHome(parent, now)).find((c) => c.studentId === child.studentId)!;
    expect(after.returned.map((r) => r.submissionId)).not.toContain(returnedSub.id);
    expect(after.announcements.map((a) => a.id)).not.toContain(news.id);
  });

  it("never shows another child's work: another parent, the teacher acting as a parent", async () => {
    const s1 = (await userByLogin("wuhou-pri.s1")).id;
    for (const parent of [await actorFor(await loginOf(await guardianOf("wuhou-pri.s2")), "parent"), await actorFor("wuhou-pri.t1", "parent")]) {
      const children = await parentHome(parent, now);
      expect(children.map((c) => c.studentId)).not.toContain(s1);
      const ids = children.flatMap((c) => [...c.returned.map((r) => r.submissionId), ...c.dueSoon.map((d) => d.id), ...c.lateOrMissing.map((d) => d.id)]);
      expect(ids).not.toContain(returnedSub.id);
    }
  });

  it("shows nothing of a child who waits for consent, only that consent is needed", async () => {
    const parent = await actorFor(await loginOf(await guardianOf("wuhou-pri.s2")), "parent");
    const child = (await findInOrder((await parentHome(parent, now)), async (c) => c.studentId === (await userByLogin("wuhou-pri.s2")).id))!;
    expect(child).toMatchObject({ awaitsConsent: true, dueSoon: [], lateOrMissing: [], returned: [], announcements: [] });
  });

  it("is refused to a teacher and a pupil", async () => {
    await expect(parentHome(await actorFor("wuhou-pri.t1", "teacher"), now)).rejects.toThrow(ForbiddenError);
    await expect(parentHome(await actorFor("wuhou-pri.s1"), now)).rejects.toThrow(ForbiddenError);
  });
});

describe("a school admin's home", () => {
  it("counts previews waiting, pupils without consent and approvals, for their own school only", async () => {
    const admin = await userByLogin("wuhou-pri.admin");
    const previewId = randomId();
    await db().insert(schema.rosterImports).values({ id: previewId, schoolId: admin.schoolId!, uploadedBy: admin.id, fileName: "三年级名册.xlsx", rowCount: 12, rows: [] });
    const home = await schoolAdminHome(await actorFor("wuhou-pri.admin"), now);
    expect(home.previews).toContainEqual(expect.objectContaining({ id: previewId, fileName: "三年级名册.xlsx", rowCount: 12 }));
    expect(home.consentMissing).toBeGreaterThanOrEqual(1);
    expect((await schoolAdminHome(await actorFor("zhaojue-pri.admin"), now)).previews.map((p) => p.id)).not.toContain(previewId);
    await expect(schoolAdminHome(await actorFor("wuhou-pri.t1", "teacher"), now)).rejects.toThrow(ForbiddenError);
  });
});

describe("a fixed number of statements per home, whatever the number of items", () => {
  it("costs the same with three more assignments, hand-ins, grades and announcements", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const s3 = await actorFor("wuhou-pri.s3");
    const parent = await actorFor(await loginOf(await guardianOf("wuhou-pri.s1")), "parent");
    const admin = await actorFor("wuhou-pri.admin");
    const measure = async () => [await countStatements(async () => teacherHome(t1, now)), await countStatements(async () => pupilHome(s3, now)), await countStatements(async () => parentHome(parent, now)), await countStatements(async () => schoolAdminHome(admin, now))];
    await measure(); // caches (flags, phases) warm up on the first read
    const before = await measure();
    for (let i = 0; i < 3; i++) {
      const a = await makeAssignment(`加练 ${i}`, (i + 1) * DAY, klass);
      await makeSubmission(a.id, "wuhou-pri.s4", { versionCount: 1 });
      const b = await makeAssignment(`已发回 ${i}`, -(i + 1) * HOUR, klass);
      await makeSubmission(b.id, "wuhou-pri.s1", { gradeState: "returned", score: i, returnedAt: new Date(now - HOUR) });
      await makeSubmission(b.id, "wuhou-pri.s3", { gradeState: "returned", score: i, returnedAt: new Date(now - HOUR) });
      await announce(klass, `通知 ${i}`);
    }
    const after = await measure();
    expect(after).toEqual(before);
    // And the lists did grow, so the measure saw items.
    expect((await teacherHome(t1, now)).toGrade.length).toBeGreaterThanOrEqual(4);
    expect(before.every((n) => n > 0 && n < 40)).toBe(true);
  });
});
