// Issue 13 #8: consent gates. A child under 14 without guardian consent on record: their parent sees
// that consent is needed and how to give it online, and nothing of the child's work; the child reads
// nothing of others until their own space opens. Each rule before and after consent.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { acknowledge } from "~/domain/grading/acknowledgements.server";
import { decideConsent } from "~/domain/families/consent.server";
import { classReader, mayReadLesson } from "~/domain/classwork/class-access.server";
import { NotFoundError } from "~/domain/foundation/errors.server";
import { feed } from "~/domain/overviews/feed.server";
import { groupDirectory } from "~/domain/groups/groups.server";
import { randomId } from "~/domain/foundation/ids.server";
import { createPost, viewPost } from "~/domain/spaces/posts.server";
import { spaceHome } from "~/domain/spaces/spaces.server";
import { canSee } from "~/domain/rollout/visibility.server";
import { myChildren } from "~/domain/people/guardians.server";
import { childProgress, progressOverview } from "~/domain/overviews/progress.server";
import { summaryText, weeklySummary } from "~/domain/overviews/weekly-summary.server";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";
import { refusal } from "../support/refusal";

const READ_AFTER = "《秋天的雨》读后感";
const FEEDBACK = "内容真实"; // the teacher's feedback on s2's work
const t = (key: string, options?: Record<string, unknown>) => `${key}${options?.name ? ` ${String(options.name)}` : ""}`;

let s2 = "";
let submissionId = "";
let returnedWeek = "";

beforeAll(async () => {
  await demoWorld();
  s2 = (await userByLogin("wuhou-pri.s2")).id; // under 14, linked to wuhou-pri.p2, no consent on record
  const row = (await first(db()
      .select({ id: schema.submissions.id, returnedAt: schema.submissions.returnedAt })
      .from(schema.submissions)
      .innerJoin(schema.assignments, eq(schema.assignments.id, schema.submissions.assignmentId))
      .where(and(eq(schema.submissions.studentId, s2), eq(schema.assignments.title, READ_AFTER))).limit(1)))!;
  submissionId = row.id;
  returnedWeek = new Date(row.returnedAt!.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
});

const form = (o: Record<string, string>) => new Map(Object.entries(o));

// In file order: the pupil without consent, the parent before and after consent, the pupil after it.
let teacherPost = "";
let lessonId = "";

describe("issue 13 #8b: a pupil whose own space is closed reads nothing of others", () => {
  beforeAll(async () => {
    teacherPost = (await createPost(await actorFor("wuhou-pri.t1", "teacher"), form({ id: randomId(), title: "给三年级（1）班的读书建议", body: "每天读二十分钟。", visibility: "classes", intent: "publish" }))).id;
    lessonId = (await first(db()
          .select({ id: schema.lessonPublications.lessonId })
          .from(schema.lessonPublications)
          .where(eq(schema.lessonPublications.classId, await classIdOf("wuhou-pri", "三年级（1）班"))).limit(1)))!.id;
  });

  it("an under-14 pupil without consent: no teacher's post, classmate's or teacher's space, feed, class, lesson or group; their own space still opens", async () => {
    const s2Actor = await actorFor("wuhou-pri.s2");
    expect(await refusal(async () => viewPost(s2Actor, teacherPost))).toBeInstanceOf(NotFoundError);
    expect(await canSee(s2Actor, { ownerId: (await userByLogin("wuhou-pri.t1")).id, schoolId: (await userByLogin("wuhou-pri.t1")).schoolId, visibility: "school" })).toBe(false);
    expect(await refusal(async () => spaceHome(s2Actor, (await userByLogin("wuhou-pri.t1")).handle))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => spaceHome(s2Actor, (await userByLogin("wuhou-pri.s1")).handle))).toBeInstanceOf(NotFoundError);
    expect((await feed(s2Actor)).entries).toEqual([]);
    expect((await refusal(async () => classReader(s2Actor, await classIdOf("wuhou-pri", "三年级（1）班")))).status).toBe(403);
    expect(await mayReadLesson(s2Actor, lessonId)).toBe(false);
    expect((await refusal(async () => groupDirectory(s2Actor))).status).toBe(403);
    expect(await spaceHome(s2Actor, (await userByLogin("wuhou-pri.s2")).handle)).toMatchObject({ isOwner: true, status: { open: false, reason: "consent" } });
  });

  it("a classmate with consent (the right reader) reads the same post, space, class and lesson", async () => {
    const s1Actor = await actorFor("wuhou-pri.s1");
    expect((await viewPost(s1Actor, teacherPost)).title).toBe("给三年级（1）班的读书建议");
    expect((await spaceHome(s1Actor, (await userByLogin("wuhou-pri.t1")).handle)).isOwner).toBe(false);
    expect((await classReader(s1Actor, await classIdOf("wuhou-pri", "三年级（1）班"))).standing).toBe("student");
    expect(await mayReadLesson(s1Actor, lessonId)).toBe(true);
  });

  it("a pupil of a school whose phase does not reach students yet reads nothing of their teachers", async () => {
    const teacher = await actorFor("zhaojue-pri.t1", "teacher");
    const post = (await createPost(teacher, form({ id: randomId(), title: "昭觉的老师写给全校", body: "欢迎。", visibility: "school", intent: "publish" }))).id;
    expect(await refusal(async () => viewPost(await actorFor("zhaojue-pri.s1"), post))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => spaceHome(await actorFor("zhaojue-pri.s1"), (await userByLogin("zhaojue-pri.t1")).handle))).toBeInstanceOf(NotFoundError);
  });

describe("issue 13 #8a: a parent of an under-14 child without consent", () => {
  it("sees on /parent, the child's page, the week page and its text that consent is needed, and no assignment, count, grade, feedback or shared work", async () => {
    const p2 = await actorFor("wuhou-pri.p2", "parent");
    expect(await myChildren(p2)).toEqual([expect.objectContaining({ studentId: s2, awaitsConsent: true })]);
    expect(await progressOverview(p2)).toEqual([expect.objectContaining({ awaitsConsent: true, counts: null })]);
    const progress = await childProgress(p2, s2);
    expect(progress).toMatchObject({ awaitsConsent: true, classes: [], scores: [], shared: [] });
    expect(Object.values(progress.counts).every((n) => n === 0)).toBe(true);
    const week = await weeklySummary(p2, s2, returnedWeek);
    expect(week).toMatchObject({ awaitsConsent: true, handedIn: [], missing: [], grades: [], announcements: [], portfolio: [] });
    expect(summaryText(week, t)).toContain("consent:sms.consentNeeded");
    for (const text of [JSON.stringify(progress), JSON.stringify(week)]) {
      expect(text).not.toContain(READ_AFTER);
      expect(text).not.toContain(FEEDBACK);
    }
  });

  it("cannot mark the child's grade as read (已阅) before consent", async () => {
    expect((await refusal(async () => acknowledge(await actorFor("wuhou-pri.p2", "parent"), s2, "grade", submissionId))).status).toBe(403);
  });

  it("another parent (of a consented child in the same class) still reads nothing of this child", async () => {
    expect(await refusal(async () => childProgress(await actorFor("wuhou-pri.p1", "parent"), s2))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => weeklySummary(await actorFor("wuhou-pri.p1", "parent"), s2, returnedWeek))).toBeInstanceOf(NotFoundError);
  });

  it("a consented child's parent sees the work (the gate is consent, not being a parent)", async () => {
    const p1 = await actorFor("wuhou-pri.p1", "parent");
    const s1 = (await userByLogin("wuhou-pri.s1")).id;
    expect(await childProgress(p1, s1)).toMatchObject({ awaitsConsent: false });
    expect((await childProgress(p1, s1)).classes.flatMap((k) => k.assignments).map((a) => a.title)).toContain(READ_AFTER);
  });

  it("once the parent consents online, the same pages show the child's work, grade and feedback", async () => {
    const p2 = await actorFor("wuhou-pri.p2", "parent");
    await decideConsent(p2, s2, "given");
    const progress = await childProgress(p2, s2);
    expect(progress.awaitsConsent).toBe(false);
    const read = progress.classes.flatMap((k) => k.assignments).find((a) => a.title === READ_AFTER)!;
    expect(read.grade).toMatchObject({ score: 78 });
    expect(read.grade!.feedback).toContain(FEEDBACK);
    expect((await progressOverview(p2))[0]!.counts).not.toBeNull();
    expect((await weeklySummary(p2, s2, returnedWeek)).grades.map((g) => g.title)).toContain(READ_AFTER);
    await acknowledge(p2, s2, "grade", submissionId);
  });
});

describe("issue 13 #8b: once the guardian has consented", () => {
  it("after the guardian consents online, the pupil reads the post, the spaces, the class and the lesson", async () => {
    // The parent gave consent online in the last #8a test.
    const s2Actor = await actorFor("wuhou-pri.s2");
    expect((await viewPost(s2Actor, teacherPost)).title).toBe("给三年级（1）班的读书建议");
    expect((await spaceHome(s2Actor, (await userByLogin("wuhou-pri.t1")).handle)).isOwner).toBe(false);
    expect((await classReader(s2Actor, await classIdOf("wuhou-pri", "三年级（1）班"))).standing).toBe("student");
    expect(await mayReadLesson(s2Actor, lessonId)).toBe(true);
  });
});
});
