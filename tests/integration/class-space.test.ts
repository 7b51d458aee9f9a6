import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { deleteAnnouncement, postAnnouncement, setAnnouncementPinned } from "~/domain/classwork/announcements.server";
import { classSpace } from "~/domain/overviews/class-space.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { removalsSettled } from "~/domain/uploads/files.server";
import { FeatureClosedError, clearFlagOverride, setFlagOverride } from "~/domain/rollout/flags.server";
import { randomId } from "~/domain/foundation/ids.server";
import { createLesson, publishLesson } from "~/domain/classwork/lessons.server";
import { createPost } from "~/domain/spaces/posts.server";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";
import { canOpen, upload } from "../support/files";
import { mapInOrder } from "~/lib/in-order";

// wuhou-pri: 三年级（1）班 (s1–s4) and 五年级（2）班 (s5–s8), taught by t1–t3, except that t2 is taken out
// of 五年级（2）班 here. wuhou-jun (junior; students' posts need no approval): 九年级（1）班 has s5–s8.
let classA: string;
let classB: string;
let juniorClass: string;

beforeAll(async () => {
  await demoWorld();
  classA = await classIdOf("wuhou-pri", "三年级（1）班");
  classB = await classIdOf("wuhou-pri", "五年级（2）班");
  juniorClass = await classIdOf("wuhou-jun", "九年级（1）班");
  await db()
      .delete(schema.classMemberships)
      .where(and(eq(schema.classMemberships.classId, classB), eq(schema.classMemberships.userId, (await userByLogin("wuhou-pri.t2")).id)));
});

const form = (fields: Record<string, string>) => new Map(Object.entries(fields));
const announce = async (actor: Actor, klass: string, body: string, files: string[] = []) => (await postAnnouncement(actor, klass, form({ body }), files)).id;

describe("who enters a class space", () => {
  it("shows the class's teachers and students by real name to its members", async () => {
    const space = await classSpace(await actorFor("wuhou-pri.t1", "teacher"), classA);
    expect(space.klass.name).toBe("三年级（1）班");
    expect(space.standing).toBe("teacher");
    expect(space.mayAnnounce).toBe(true);
    expect(space.mayWriteLessons).toBe(true);
    expect(space.teachers.map((t) => t.realName).sort()).toEqual((await mapInOrder(["wuhou-pri.t1", "wuhou-pri.t2", "wuhou-pri.t3"], async (l) => (await userByLogin(l)).realName)).sort());
    expect(space.students.map((s) => s.realName).sort()).toEqual((await mapInOrder(["wuhou-pri.s1", "wuhou-pri.s2", "wuhou-pri.s3", "wuhou-pri.s4"], async (l) => (await userByLogin(l)).realName)).sort());
    // The head teacher comes first.
    expect(space.teachers[0]!.isHeadTeacher).toBe(true);

    const student = await classSpace(await actorFor("wuhou-pri.s1"), classA);
    expect(student.standing).toBe("student");
    expect(student.mayAnnounce).toBe(false);
    expect(student.mayWriteLessons).toBe(false);
  });

  it("lets the school's admin read, not post", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const space = await classSpace(admin, classA);
    expect(space.standing).toBe("admin");
    expect(space.mayAnnounce).toBe(false);
    expect(await refusal(async () => announce(admin, classA, "管理员的通知"))).toBeInstanceOf(ForbiddenError);
  });

  it("is not found for a student of another class, a teacher of another class or school, a parent, a region admin, a teacher acting as parent", async () => {
    for (const outsider of [
      await actorFor("wuhou-pri.s5"),
      await actorFor("wuhou-pri.t2", "teacher"),
      await actorFor("wuhou-jun.t1", "teacher"),
      await actorFor("wuhou-jun.admin"),
      await actorFor("wuhou-pri.p1"),
      await actorFor("sichuan.edu"),
      await actorFor("wuhou-pri.t1", "parent"),
    ]) {
      const klass = outsider?.loginName === "wuhou-pri.t2" ? classB : classA;
      expect(await refusal(async () => classSpace(outsider, klass))).toBeInstanceOf(NotFoundError);
      expect(await refusal(async () => announce(outsider, klass, "不该发出的通知"))).toBeInstanceOf(NotFoundError);
    }
    expect((await refusal(async () => classSpace(null, classA))).status).toBe(401);
    expect(await refusal(async () => classSpace(await actorFor("wuhou-pri.t1", "teacher"), "nosuchclass"))).toBeInstanceOf(NotFoundError);
  });

  it("follows the rollout for students: no guardian consent on record (under 14), no class space", async () => {
    expect((await refusal(async () => classSpace(await actorFor("wuhou-pri.s2"), classA))).key).toBe("rollout:spaceClosed");
  });

  it("follows the assignments capability for students", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const school = (await userByLogin("wuhou-pri.s1")).schoolId!;
    await setFlagOverride(admin, { flag: "assignments", scope: "school", scopeId: school, enabled: false, locked: false });
    try {
      expect(await refusal(async () => classSpace(await actorFor("wuhou-pri.s1"), classA))).toBeInstanceOf(FeatureClosedError);
      // Teachers still see their class; they may not post in it.
      expect((await classSpace(await actorFor("wuhou-pri.t1", "teacher"), classA)).mayAnnounce).toBe(false);
      expect(await refusal(async () => announce(await actorFor("wuhou-pri.t1", "teacher"), classA, "关闭时"))).toBeInstanceOf(FeatureClosedError);
    } finally {
      await clearFlagOverride(admin, { flag: "assignments", scope: "school", scopeId: school });
    }
  });
});

describe("the announcement stream", () => {
  it("puts pinned announcements on top, then the newest, and lets the class's teachers pin and remove", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const t3 = await actorFor("wuhou-pri.t3", "teacher");
    const first = await announce(t1, classA, "周五春游，请带水壶。");
    await new Promise((r) => setTimeout(r, 5));
    const second = await announce(t3, classA, "下周一交作业本。");
    expect((await classSpace(t1, classA)).announcements.map((a) => a.id).slice(0, 2)).toEqual([second, first]);
    await setAnnouncementPinned(t3, classA, first, true);
    const stream = (await classSpace(await actorFor("wuhou-pri.s1"), classA)).announcements;
    expect(stream.map((a) => a.id).slice(0, 2)).toEqual([first, second]);
    expect(stream[0]).toMatchObject({ pinned: true, author: { realName: (await userByLogin("wuhou-pri.t1")).realName } });
    expect(stream[0]!.bodyHtml).toContain("周五春游");
    await setAnnouncementPinned(t1, classA, first, false);
    expect((await classSpace(t1, classA)).announcements[0]!.id).toBe(second);

    // Students, the school's admin and a teacher of another class may not pin or remove.
    for (const other of [await actorFor("wuhou-pri.s1"), await actorFor("wuhou-pri.admin")]) {
      expect(await refusal(async () => setAnnouncementPinned(other, classA, first, true))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => deleteAnnouncement(other, classA, first))).toBeInstanceOf(ForbiddenError);
    }
    expect(await refusal(async () => deleteAnnouncement(await actorFor("wuhou-pri.t2", "teacher"), classB, first))).toBeInstanceOf(NotFoundError);
    // An announcement is only reached through its own class.
    expect(await refusal(async () => deleteAnnouncement(t1, classB, first))).toBeInstanceOf(NotFoundError);
    await deleteAnnouncement(t3, classA, second);
    expect((await classSpace(t1, classA)).announcements.map((a) => a.id)).not.toContain(second);
  });

  it("refuses an empty announcement and posts from a student", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    expect((await validationRefusal(async () => announce(t1, classA, "   "))).fields.body?.key).toBe("classSpace:announcementEmpty");
    expect(await refusal(async () => announce(await actorFor("wuhou-pri.s1"), classA, "我是学生"))).toBeInstanceOf(ForbiddenError);
  });

  it("lets the class (and only the class) download an announcement's files, gone with it", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const files = await upload(t1, "春游须知.pdf");
    const id = await announce(t1, classA, "须知见附件", files);
    expect((await classSpace(await actorFor("wuhou-pri.s1"), classA)).announcements.find((a) => a.id === id)!.files.map((f) => f.name)).toEqual(["春游须知.pdf"]);
    expect(await canOpen(await actorFor("wuhou-pri.s1"), files[0]!)).toBe(true);
    expect(await canOpen(await actorFor("wuhou-pri.admin"), files[0]!)).toBe(true);
    for (const outsider of [await actorFor("wuhou-pri.s5"), await actorFor("wuhou-jun.t1", "teacher"), await actorFor("wuhou-pri.p1")]) {
      expect(await canOpen(outsider, files[0]!)).toBe(false);
    }
    expect((await refusal(async () => classSpace(null, classA))).status).toBe(401);
    await deleteAnnouncement(t1, classA, id);
    await removalsSettled();
    expect(await first(db().select().from(schema.files).where(eq(schema.files.id, files[0]!)).limit(1))).toBeUndefined();
  });
});

describe("what else the class space shows", () => {
  it("lists the lessons published to the class by now, not scheduled or other classes' ones", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const now = (await createLesson(t1, form({ title: "已发布的课", body: "正文" }))).id;
    const later = (await createLesson(t1, form({ title: "明天的课", body: "正文" }))).id;
    const elsewhere = (await createLesson(t1, form({ title: "别班的课", body: "正文" }))).id;
    await publishLesson(t1, now, { classIds: [classA], publishAt: "" });
    await publishLesson(t1, later, { classIds: [classA], publishAt: "2099-01-01T08:00" });
    await publishLesson(t1, elsewhere, { classIds: [classB], publishAt: "" });
    const lessons = (await classSpace(await actorFor("wuhou-pri.s1"), classA)).lessons.map((l) => l.title);
    expect(lessons).toContain("已发布的课");
    expect(lessons).not.toContain("明天的课");
    expect(lessons).not.toContain("别班的课");
  });

  it("shows students' recent posts as visibility allows the reader", async () => {
    const s5 = await actorFor("wuhou-jun.s5");
    const mine = async (title: string, visibility: string) => createPost(s5, form({ id: randomId(), title, body: "正文", visibility, intent: "publish" }));
    await mine("给同学们看的", "classes");
    await mine("只给自己看的", "private");
    const classmate = (await classSpace(await actorFor("wuhou-jun.s6"), juniorClass)).recentPosts.map((p) => p.title);
    expect(classmate).toContain("给同学们看的");
    expect(classmate).not.toContain("只给自己看的");
    expect((await classSpace(await actorFor("wuhou-jun.t1", "teacher"), juniorClass)).recentPosts.map((p) => p.title)).toContain("给同学们看的");
  });
});
