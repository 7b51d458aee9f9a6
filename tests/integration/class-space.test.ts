import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
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

// wuhou-pri: 三年级（1）班 (s1–s4) and 五年级（2）班 (s5–s8), taught by t1–t3, except that t2 is taken out
// of 五年级（2）班 here. wuhou-jun (junior; students' posts need no approval): 九年级（1）班 has s5–s8.
let classA: string;
let classB: string;
let juniorClass: string;

beforeAll(async () => {
  await demoWorld();
  classA = classIdOf("wuhou-pri", "三年级（1）班");
  classB = classIdOf("wuhou-pri", "五年级（2）班");
  juniorClass = classIdOf("wuhou-jun", "九年级（1）班");
  db()
    .delete(schema.classMemberships)
    .where(and(eq(schema.classMemberships.classId, classB), eq(schema.classMemberships.userId, userByLogin("wuhou-pri.t2").id)))
    .run();
});

const form = (fields: Record<string, string>) => new Map(Object.entries(fields));
const announce = (actor: Actor, klass: string, body: string, files: string[] = []) => postAnnouncement(actor, klass, form({ body }), files).id;

describe("who enters a class space", () => {
  it("shows the class's teachers and students by real name to its members", () => {
    const space = classSpace(actorFor("wuhou-pri.t1", "teacher"), classA);
    expect(space.klass.name).toBe("三年级（1）班");
    expect(space.standing).toBe("teacher");
    expect(space.mayAnnounce).toBe(true);
    expect(space.mayWriteLessons).toBe(true);
    expect(space.teachers.map((t) => t.realName).sort()).toEqual(["wuhou-pri.t1", "wuhou-pri.t2", "wuhou-pri.t3"].map((l) => userByLogin(l).realName).sort());
    expect(space.students.map((s) => s.realName).sort()).toEqual(["wuhou-pri.s1", "wuhou-pri.s2", "wuhou-pri.s3", "wuhou-pri.s4"].map((l) => userByLogin(l).realName).sort());
    // The head teacher comes first.
    expect(space.teachers[0]!.isHeadTeacher).toBe(true);

    const student = classSpace(actorFor("wuhou-pri.s1"), classA);
    expect(student.standing).toBe("student");
    expect(student.mayAnnounce).toBe(false);
    expect(student.mayWriteLessons).toBe(false);
  });

  it("lets the school's admin read, not post", () => {
    const admin = actorFor("wuhou-pri.admin");
    const space = classSpace(admin, classA);
    expect(space.standing).toBe("admin");
    expect(space.mayAnnounce).toBe(false);
    expect(refusal(() => announce(admin, classA, "管理员的通知"))).toBeInstanceOf(ForbiddenError);
  });

  it("is not found for a student of another class, a teacher of another class or school, a parent, a region admin, a teacher acting as parent", () => {
    for (const outsider of [
      actorFor("wuhou-pri.s5"),
      actorFor("wuhou-pri.t2", "teacher"),
      actorFor("wuhou-jun.t1", "teacher"),
      actorFor("wuhou-jun.admin"),
      actorFor("wuhou-pri.p1"),
      actorFor("sichuan.edu"),
      actorFor("wuhou-pri.t1", "parent"),
    ]) {
      const klass = outsider?.loginName === "wuhou-pri.t2" ? classB : classA;
      expect(refusal(() => classSpace(outsider, klass))).toBeInstanceOf(NotFoundError);
      expect(refusal(() => announce(outsider, klass, "不该发出的通知"))).toBeInstanceOf(NotFoundError);
    }
    expect(refusal(() => classSpace(null, classA)).status).toBe(401);
    expect(refusal(() => classSpace(actorFor("wuhou-pri.t1", "teacher"), "nosuchclass"))).toBeInstanceOf(NotFoundError);
  });

  it("follows the rollout for students: no guardian consent on record (under 14), no class space", () => {
    expect(refusal(() => classSpace(actorFor("wuhou-pri.s2"), classA)).key).toBe("rollout:spaceClosed");
  });

  it("follows the assignments capability for students", () => {
    const admin = actorFor("wuhou-pri.admin");
    const school = userByLogin("wuhou-pri.s1").schoolId!;
    setFlagOverride(admin, { flag: "assignments", scope: "school", scopeId: school, enabled: false, locked: false });
    try {
      expect(refusal(() => classSpace(actorFor("wuhou-pri.s1"), classA))).toBeInstanceOf(FeatureClosedError);
      // Teachers still see their class; they may not post in it.
      expect(classSpace(actorFor("wuhou-pri.t1", "teacher"), classA).mayAnnounce).toBe(false);
      expect(refusal(() => announce(actorFor("wuhou-pri.t1", "teacher"), classA, "关闭时"))).toBeInstanceOf(FeatureClosedError);
    } finally {
      clearFlagOverride(admin, { flag: "assignments", scope: "school", scopeId: school });
    }
  });
});

describe("the announcement stream", () => {
  it("puts pinned announcements on top, then the newest, and lets the class's teachers pin and remove", async () => {
    const t1 = actorFor("wuhou-pri.t1", "teacher");
    const t3 = actorFor("wuhou-pri.t3", "teacher");
    const first = announce(t1, classA, "周五春游，请带水壶。");
    await new Promise((r) => setTimeout(r, 5));
    const second = announce(t3, classA, "下周一交作业本。");
    expect(classSpace(t1, classA).announcements.map((a) => a.id).slice(0, 2)).toEqual([second, first]);
    setAnnouncementPinned(t3, classA, first, true);
    const stream = classSpace(actorFor("wuhou-pri.s1"), classA).announcements;
    expect(stream.map((a) => a.id).slice(0, 2)).toEqual([first, second]);
    expect(stream[0]).toMatchObject({ pinned: true, author: { realName: userByLogin("wuhou-pri.t1").realName } });
    expect(stream[0]!.bodyHtml).toContain("周五春游");
    setAnnouncementPinned(t1, classA, first, false);
    expect(classSpace(t1, classA).announcements[0]!.id).toBe(second);

    // Students, the school's admin and a teacher of another class may not pin or remove.
    for (const other of [actorFor("wuhou-pri.s1"), actorFor("wuhou-pri.admin")]) {
      expect(refusal(() => setAnnouncementPinned(other, classA, first, true))).toBeInstanceOf(ForbiddenError);
      expect(refusal(() => deleteAnnouncement(other, classA, first))).toBeInstanceOf(ForbiddenError);
    }
    expect(refusal(() => deleteAnnouncement(actorFor("wuhou-pri.t2", "teacher"), classB, first))).toBeInstanceOf(NotFoundError);
    // An announcement is only reached through its own class.
    expect(refusal(() => deleteAnnouncement(t1, classB, first))).toBeInstanceOf(NotFoundError);
    deleteAnnouncement(t3, classA, second);
    expect(classSpace(t1, classA).announcements.map((a) => a.id)).not.toContain(second);
  });

  it("refuses an empty announcement and posts from a student", () => {
    const t1 = actorFor("wuhou-pri.t1", "teacher");
    expect(validationRefusal(() => announce(t1, classA, "   ")).fields.body?.key).toBe("classSpace:announcementEmpty");
    expect(refusal(() => announce(actorFor("wuhou-pri.s1"), classA, "我是学生"))).toBeInstanceOf(ForbiddenError);
  });

  it("lets the class (and only the class) download an announcement's files, gone with it", async () => {
    const t1 = actorFor("wuhou-pri.t1", "teacher");
    const files = await upload(t1, "春游须知.pdf");
    const id = announce(t1, classA, "须知见附件", files);
    expect(classSpace(actorFor("wuhou-pri.s1"), classA).announcements.find((a) => a.id === id)!.files.map((f) => f.name)).toEqual(["春游须知.pdf"]);
    expect(await canOpen(actorFor("wuhou-pri.s1"), files[0]!)).toBe(true);
    expect(await canOpen(actorFor("wuhou-pri.admin"), files[0]!)).toBe(true);
    for (const outsider of [actorFor("wuhou-pri.s5"), actorFor("wuhou-jun.t1", "teacher"), actorFor("wuhou-pri.p1")]) {
      expect(await canOpen(outsider, files[0]!)).toBe(false);
    }
    expect(refusal(() => classSpace(null, classA)).status).toBe(401);
    deleteAnnouncement(t1, classA, id);
    await removalsSettled();
    expect(db().select().from(schema.files).where(eq(schema.files.id, files[0]!)).get()).toBeUndefined();
  });
});

describe("what else the class space shows", () => {
  it("lists the lessons published to the class by now, not scheduled or other classes' ones", () => {
    const t1 = actorFor("wuhou-pri.t1", "teacher");
    const now = createLesson(t1, form({ title: "已发布的课", body: "正文" })).id;
    const later = createLesson(t1, form({ title: "明天的课", body: "正文" })).id;
    const elsewhere = createLesson(t1, form({ title: "别班的课", body: "正文" })).id;
    publishLesson(t1, now, { classIds: [classA], publishAt: "" });
    publishLesson(t1, later, { classIds: [classA], publishAt: "2099-01-01T08:00" });
    publishLesson(t1, elsewhere, { classIds: [classB], publishAt: "" });
    const lessons = classSpace(actorFor("wuhou-pri.s1"), classA).lessons.map((l) => l.title);
    expect(lessons).toContain("已发布的课");
    expect(lessons).not.toContain("明天的课");
    expect(lessons).not.toContain("别班的课");
  });

  it("shows students' recent posts as visibility allows the reader", () => {
    const s5 = actorFor("wuhou-jun.s5");
    const mine = (title: string, visibility: string) => createPost(s5, form({ id: randomId(), title, body: "正文", visibility, intent: "publish" }));
    mine("给同学们看的", "classes");
    mine("只给自己看的", "private");
    const classmate = classSpace(actorFor("wuhou-jun.s6"), juniorClass).recentPosts.map((p) => p.title);
    expect(classmate).toContain("给同学们看的");
    expect(classmate).not.toContain("只给自己看的");
    expect(classSpace(actorFor("wuhou-jun.t1", "teacher"), juniorClass).recentPosts.map((p) => p.title)).toContain("给同学们看的");
  });
});
