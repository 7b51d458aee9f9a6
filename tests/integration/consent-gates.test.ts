// Issue 13 #8: consent gates. A child under 14 without guardian consent on record: their parent sees
// that consent is needed and how to give it online, and nothing of the child's work; the child reads
// nothing of others until their own space opens. Each rule before and after consent.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
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
  s2 = userByLogin("wuhou-pri.s2").id; // under 14, linked to wuhou-pri.p2, no consent on record
  const row = db()
    .select({ id: schema.submissions.id, returnedAt: schema.submissions.returnedAt })
    .from(schema.submissions)
    .innerJoin(schema.assignments, eq(schema.assignments.id, schema.submissions.assignmentId))
    .where(and(eq(schema.submissions.studentId, s2), eq(schema.assignments.title, READ_AFTER)))
    .get()!;
  submissionId = row.id;
  returnedWeek = new Date(row.returnedAt!.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
});

const form = (o: Record<string, string>) => new Map(Object.entries(o));

// In file order: the pupil without consent, the parent before and after consent, the pupil after it.
let teacherPost = "";
let lessonId = "";

describe("issue 13 #8b: a pupil whose own space is closed reads nothing of others", () => {
  beforeAll(() => {
    teacherPost = createPost(actorFor("wuhou-pri.t1", "teacher"), form({ id: randomId(), title: "给三年级（1）班的读书建议", body: "每天读二十分钟。", visibility: "classes", intent: "publish" })).id;
    lessonId = db()
      .select({ id: schema.lessonPublications.lessonId })
      .from(schema.lessonPublications)
      .where(eq(schema.lessonPublications.classId, classIdOf("wuhou-pri", "三年级（1）班")))
      .get()!.id;
  });

  it("an under-14 pupil without consent: no teacher's post, classmate's or teacher's space, feed, class, lesson or group; their own space still opens", () => {
    const s2Actor = actorFor("wuhou-pri.s2");
    expect(refusal(() => viewPost(s2Actor, teacherPost))).toBeInstanceOf(NotFoundError);
    expect(canSee(s2Actor, { ownerId: userByLogin("wuhou-pri.t1").id, schoolId: userByLogin("wuhou-pri.t1").schoolId, visibility: "school" })).toBe(false);
    expect(refusal(() => spaceHome(s2Actor, userByLogin("wuhou-pri.t1").handle))).toBeInstanceOf(NotFoundError);
    expect(refusal(() => spaceHome(s2Actor, userByLogin("wuhou-pri.s1").handle))).toBeInstanceOf(NotFoundError);
    expect(feed(s2Actor).entries).toEqual([]);
    expect(refusal(() => classReader(s2Actor, classIdOf("wuhou-pri", "三年级（1）班"))).status).toBe(403);
    expect(mayReadLesson(s2Actor, lessonId)).toBe(false);
    expect(refusal(() => groupDirectory(s2Actor)).status).toBe(403);
    expect(spaceHome(s2Actor, userByLogin("wuhou-pri.s2").handle)).toMatchObject({ isOwner: true, status: { open: false, reason: "consent" } });
  });

  it("a classmate with consent (the right reader) reads the same post, space, class and lesson", () => {
    const s1Actor = actorFor("wuhou-pri.s1");
    expect(viewPost(s1Actor, teacherPost).title).toBe("给三年级（1）班的读书建议");
    expect(spaceHome(s1Actor, userByLogin("wuhou-pri.t1").handle).isOwner).toBe(false);
    expect(classReader(s1Actor, classIdOf("wuhou-pri", "三年级（1）班")).standing).toBe("student");
    expect(mayReadLesson(s1Actor, lessonId)).toBe(true);
  });

  it("a pupil of a school whose phase does not reach students yet reads nothing of their teachers", () => {
    const teacher = actorFor("zhaojue-pri.t1", "teacher");
    const post = createPost(teacher, form({ id: randomId(), title: "昭觉的老师写给全校", body: "欢迎。", visibility: "school", intent: "publish" })).id;
    expect(refusal(() => viewPost(actorFor("zhaojue-pri.s1"), post))).toBeInstanceOf(NotFoundError);
    expect(refusal(() => spaceHome(actorFor("zhaojue-pri.s1"), userByLogin("zhaojue-pri.t1").handle))).toBeInstanceOf(NotFoundError);
  });

describe("issue 13 #8a: a parent of an under-14 child without consent", () => {
  it("sees on /parent, the child's page, the week page and its text that consent is needed, and no assignment, count, grade, feedback or shared work", () => {
    const p2 = actorFor("wuhou-pri.p2", "parent");
    expect(myChildren(p2)).toEqual([expect.objectContaining({ studentId: s2, awaitsConsent: true })]);
    expect(progressOverview(p2)).toEqual([expect.objectContaining({ awaitsConsent: true, counts: null })]);
    const progress = childProgress(p2, s2);
    expect(progress).toMatchObject({ awaitsConsent: true, classes: [], scores: [], shared: [] });
    expect(Object.values(progress.counts).every((n) => n === 0)).toBe(true);
    const week = weeklySummary(p2, s2, returnedWeek);
    expect(week).toMatchObject({ awaitsConsent: true, handedIn: [], missing: [], grades: [], announcements: [], portfolio: [] });
    expect(summaryText(week, t)).toContain("consent:sms.consentNeeded");
    for (const text of [JSON.stringify(progress), JSON.stringify(week)]) {
      expect(text).not.toContain(READ_AFTER);
      expect(text).not.toContain(FEEDBACK);
    }
  });

  it("cannot mark the child's grade as read (已阅) before consent", () => {
    expect(refusal(() => acknowledge(actorFor("wuhou-pri.p2", "parent"), s2, "grade", submissionId)).status).toBe(403);
  });

  it("another parent (of a consented child in the same class) still reads nothing of this child", () => {
    expect(refusal(() => childProgress(actorFor("wuhou-pri.p1", "parent"), s2))).toBeInstanceOf(NotFoundError);
    expect(refusal(() => weeklySummary(actorFor("wuhou-pri.p1", "parent"), s2, returnedWeek))).toBeInstanceOf(NotFoundError);
  });

  it("a consented child's parent sees the work (the gate is consent, not being a parent)", () => {
    const p1 = actorFor("wuhou-pri.p1", "parent");
    const s1 = userByLogin("wuhou-pri.s1").id;
    expect(childProgress(p1, s1)).toMatchObject({ awaitsConsent: false });
    expect(childProgress(p1, s1).classes.flatMap((k) => k.assignments).map((a) => a.title)).toContain(READ_AFTER);
  });

  it("once the parent consents online, the same pages show the child's work, grade and feedback", () => {
    const p2 = actorFor("wuhou-pri.p2", "parent");
    decideConsent(p2, s2, "given");
    const progress = childProgress(p2, s2);
    expect(progress.awaitsConsent).toBe(false);
    const read = progress.classes.flatMap((k) => k.assignments).find((a) => a.title === READ_AFTER)!;
    expect(read.grade).toMatchObject({ score: 78 });
    expect(read.grade!.feedback).toContain(FEEDBACK);
    expect(progressOverview(p2)[0]!.counts).not.toBeNull();
    expect(weeklySummary(p2, s2, returnedWeek).grades.map((g) => g.title)).toContain(READ_AFTER);
    acknowledge(p2, s2, "grade", submissionId);
  });
});

describe("issue 13 #8b: once the guardian has consented", () => {
  it("after the guardian consents online, the pupil reads the post, the spaces, the class and the lesson", () => {
    // The parent gave consent online in the last #8a test.
    const s2Actor = actorFor("wuhou-pri.s2");
    expect(viewPost(s2Actor, teacherPost).title).toBe("给三年级（1）班的读书建议");
    expect(spaceHome(s2Actor, userByLogin("wuhou-pri.t1").handle).isOwner).toBe(false);
    expect(classReader(s2Actor, classIdOf("wuhou-pri", "三年级（1）班")).standing).toBe("student");
    expect(mayReadLesson(s2Actor, lessonId)).toBe(true);
  });
});
});
