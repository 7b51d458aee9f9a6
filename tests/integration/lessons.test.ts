import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { removalsSettled } from "~/domain/uploads/files.server";
import { FeatureClosedError, clearFlagOverride, setFlagOverride } from "~/domain/rollout/flags.server";
import {
  createLesson,
  deleteLesson,
  lessonForEdit,
  lessonsOfClass,
  myLessons,
  publishLesson,
  unpublishLesson,
  updateLesson,
  viewLesson,
} from "~/domain/classwork/lessons.server";
import { beijingLocalTimeOf, beijingTimeFrom } from "~/domain/foundation/beijing-time.server";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";
import { canOpen, upload } from "../support/files";

// wuhou-pri (primary, phase 3): 三年级（1）班 has s1–s4, 五年级（2）班 s5–s8; t1–t3 teach both, except that
// here t2 is taken out of 五年级（2）班 to be "a teacher of another class".
let classA: string;
let classB: string;
let otherSchoolClass: string;

beforeAll(async () => {
  await demoWorld();
  classA = classIdOf("wuhou-pri", "三年级（1）班");
  classB = classIdOf("wuhou-pri", "五年级（2）班");
  otherSchoolClass = classIdOf("wuhou-jun", "七年级（3）班");
  db()
    .delete(schema.classMemberships)
    .where(and(eq(schema.classMemberships.classId, classB), eq(schema.classMemberships.userId, userByLogin("wuhou-pri.t2").id)))
    .run();
});

const form = (fields: Record<string, string>) => new Map(Object.entries(fields));
const write = (actor: Actor, fields: Record<string, string> = {}, files: string[] = []) =>
  createLesson(actor, form({ title: "认识分数", body: "把一个苹果平均分成两份。", ...fields }), files).id;

// What the editor posts: a paragraph with a link.
const linkedDoc = JSON.stringify({
  type: "doc",
  content: [{ type: "paragraph", content: [{ type: "text", text: "分数的故事", marks: [{ type: "link", attrs: { href: "https://example.org/fractions" } }] }] }],
});

describe("writing a lesson", () => {
  it("keeps rich text with links and the files, for the author only until published", async () => {
    const t1 = actorFor("wuhou-pri.t1", "teacher");
    const files = await upload(t1, "分数练习.pdf", "fractions");
    const id = write(t1, { bodyJson: linkedDoc }, files);
    const view = viewLesson(t1, id);
    expect(view.isAuthor).toBe(true);
    expect(view.bodyHtml).toContain('href="https://example.org/fractions"');
    expect(view.files.map((f) => f.name)).toEqual(["分数练习.pdf"]);
    expect(view.publications).toEqual([]);
    expect(view.classChoices.map((c) => c.id).sort()).toEqual([classA, classB].sort());
    expect(myLessons(t1).map((l) => l.id)).toContain(id);
    // Not published anywhere: nobody else reads it or its file.
    expect(refusal(() => viewLesson(actorFor("wuhou-pri.s1"), id))).toBeInstanceOf(NotFoundError);
    expect(await canOpen(actorFor("wuhou-pri.s1"), files[0]!)).toBe(false);
    expect(await canOpen(t1, files[0]!)).toBe(true);
  });

  it("refuses an empty title or body beside each field, and discards the files uploaded with it", async () => {
    const t1 = actorFor("wuhou-pri.t1", "teacher");
    const files = await upload(t1, "丢弃.pdf", "discard");
    const error = validationRefusal(() => write(t1, { title: "  ", body: "" }, files));
    expect(error.fields.title?.key).toBe("lessons:titleRequired");
    expect(error.fields.body?.key).toBe("lessons:bodyRequired");
    expect(validationRefusal(() => write(t1, { title: "长".repeat(201) })).fields.title?.key).toBe("lessons:titleTooLong");
    expect(db().select().from(schema.files).where(eq(schema.files.id, files[0]!)).get()).toBeUndefined();
  });

  it("is refused to a student, a parent, a teacher acting as parent, a school admin and anonymous", () => {
    for (const actor of [actorFor("wuhou-pri.s1"), actorFor("wuhou-pri.p1"), actorFor("wuhou-pri.t1", "parent"), actorFor("wuhou-pri.admin")]) {
      expect(refusal(() => write(actor))).toBeInstanceOf(ForbiddenError);
      expect(refusal(() => myLessons(actor))).toBeInstanceOf(ForbiddenError);
    }
    expect(refusal(() => write(null)).status).toBe(401);
  });
});

describe("publishing", () => {
  it("shows a published lesson to its class's students and teachers and the school's admin, and to nobody else", async () => {
    const t1 = actorFor("wuhou-pri.t1", "teacher");
    const files = await upload(t1, "课件.pdf", "slides");
    const id = write(t1, { title: "面积单位" }, files);
    publishLesson(t1, id, { classIds: [classB], publishAt: "" });

    for (const reader of [actorFor("wuhou-pri.s5"), actorFor("wuhou-pri.t3", "teacher"), actorFor("wuhou-pri.admin")]) {
      expect(viewLesson(reader, id).title).toBe("面积单位");
      expect(viewLesson(reader, id).isAuthor).toBe(false);
      expect(await canOpen(reader, files[0]!)).toBe(true);
    }
    expect(lessonsOfClass(classB).map((l) => l.id)).toContain(id);
    // A student of another class, a teacher of another class (t2 no longer teaches 五年级（2）班), a teacher
    // of another school, a parent, a region admin, a teacher acting as parent: not found, file included.
    for (const outsider of [
      actorFor("wuhou-pri.s1"),
      actorFor("wuhou-pri.t2", "teacher"),
      actorFor("wuhou-jun.t1", "teacher"),
      actorFor("wuhou-pri.p5"),
      actorFor("sichuan.edu"),
    ]) {
      expect(refusal(() => viewLesson(outsider, id))).toBeInstanceOf(NotFoundError);
      expect(await canOpen(outsider, files[0]!)).toBe(false);
    }
    // The author acting as a parent reads the lesson page no more than any parent (the file stays theirs).
    expect(refusal(() => viewLesson(actorFor("wuhou-pri.t1", "parent"), id))).toBeInstanceOf(NotFoundError);
    expect(refusal(() => viewLesson(null, id)).status).toBe(401);
    // Only the author changes it: another teacher of the class (who reads it) finds no lesson of theirs
    // to change (404, issue 13 item 9b); the school's admin and a student are refused by role.
    for (const other of [actorFor("wuhou-pri.t3", "teacher"), actorFor("wuhou-pri.admin"), actorFor("wuhou-pri.s5")]) {
      const refused = other.activeRole === "teacher" ? NotFoundError : ForbiddenError;
      expect(refusal(() => updateLesson(other, id, form({ title: "改", body: "改", version: "1" })))).toBeInstanceOf(refused);
      expect(refusal(() => publishLesson(other, id, { classIds: [classB], publishAt: "" }))).toBeInstanceOf(refused);
      expect(refusal(() => unpublishLesson(other, id, classB))).toBeInstanceOf(refused);
      expect(refusal(() => deleteLesson(other, id))).toBeInstanceOf(refused);
    }
  });

  it("shows a scheduled lesson from its publish time (Beijing time), not before", () => {
    const t1 = actorFor("wuhou-pri.t1", "teacher");
    const s1 = actorFor("wuhou-pri.s1");
    const id = write(t1, { title: "定时发布" });
    const at = Date.UTC(2026, 11, 1, 0, 0); // 2026-12-01 08:00 in Beijing
    const { publishAt } = publishLesson(t1, id, { classIds: [classA], publishAt: "2026-12-01T08:00" }, at - 86_400_000);
    expect(publishAt.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(beijingLocalTimeOf(publishAt)).toBe("2026-12-01T08:00");
    expect(refusal(() => viewLesson(s1, id, at - 1))).toBeInstanceOf(NotFoundError);
    expect(lessonsOfClass(classA, at - 1).map((l) => l.id)).not.toContain(id);
    expect(viewLesson(s1, id, at).title).toBe("定时发布");
    expect(lessonsOfClass(classA, at).map((l) => l.id)).toContain(id);
    // The author sees it as scheduled before its time.
    expect(viewLesson(t1, id, at - 1).publications).toMatchObject([{ classId: classA, live: false }]);
    expect(viewLesson(t1, id, at).publications).toMatchObject([{ classId: classA, live: true }]);
  });

  it("refuses a class that is not theirs, no class, and a time that cannot be read", () => {
    const t1 = actorFor("wuhou-pri.t1", "teacher");
    const t2 = actorFor("wuhou-pri.t2", "teacher");
    const id = write(t1);
    expect(validationRefusal(() => publishLesson(t1, id, { classIds: [otherSchoolClass], publishAt: "" })).fields.classIds?.key).toBe("lessons:classNotYours");
    expect(validationRefusal(() => publishLesson(t1, id, { classIds: [classA, "nosuchclass"], publishAt: "" })).fields.classIds?.key).toBe("lessons:classNotYours");
    expect(validationRefusal(() => publishLesson(t1, id, { classIds: [], publishAt: "" })).fields.classIds?.key).toBe("lessons:classRequired");
    for (const bad of ["tomorrow", "2026-02-30T08:00", "2026-12-01T25:00", "2026-12-01", "1999-12-01T08:00"]) {
      expect(validationRefusal(() => publishLesson(t1, id, { classIds: [classA], publishAt: bad })).fields.publishAt?.key).toBe("lessons:publishAtInvalid");
    }
    // t2's own lesson may not go to 五年级（2）班, which t2 does not teach.
    const own = write(t2);
    expect(validationRefusal(() => publishLesson(t2, own, { classIds: [classB], publishAt: "" })).fields.classIds?.key).toBe("lessons:classNotYours");
    expect(db().select().from(schema.lessonPublications).where(eq(schema.lessonPublications.lessonId, own)).all()).toEqual([]);
    expect(beijingTimeFrom("", 123, "publishAt", "lessons:publishAtInvalid").getTime()).toBe(123);
  });

  it("copies a lesson to another class as a second publication: one edit reaches both", () => {
    const t1 = actorFor("wuhou-pri.t1", "teacher");
    const id = write(t1, { title: "古诗两首" });
    publishLesson(t1, id, { classIds: [classA], publishAt: "" });
    expect(viewLesson(t1, id).classChoices.map((c) => c.id)).toEqual([classB]);
    publishLesson(t1, id, { classIds: [classB], publishAt: "" });
    const { version } = lessonForEdit(t1, id);
    updateLesson(t1, id, form({ title: "古诗三首", body: "新增一首。", version: String(version) }));
    expect(viewLesson(actorFor("wuhou-pri.s1"), id).title).toBe("古诗三首");
    expect(viewLesson(actorFor("wuhou-pri.s5"), id).title).toBe("古诗三首");
    expect(viewLesson(actorFor("wuhou-pri.s5"), id).bodyHtml).toContain("新增一首。");
    expect(db().select().from(schema.lessons).where(eq(schema.lessons.title, "古诗三首")).all()).toHaveLength(1);
  });
});

describe("changing a lesson", () => {
  it("refuses an edit made from an older version and keeps the first one", () => {
    const t1 = actorFor("wuhou-pri.t1", "teacher");
    const id = write(t1, { title: "原稿" });
    const tabA = lessonForEdit(t1, id);
    const tabB = lessonForEdit(t1, id);
    updateLesson(t1, id, form({ title: "窗口一", body: "一", version: String(tabA.version) }));
    const error = validationRefusal(() => updateLesson(t1, id, form({ title: "窗口二", body: "二", version: String(tabB.version) })));
    expect(error.key).toBe("lessons:editConflict");
    expect(viewLesson(t1, id).title).toBe("窗口一");
    expect(validationRefusal(() => updateLesson(t1, id, form({ title: "无版本", body: "x" }))).key).toBe("lessons:editConflict");
  });

  it("unpublishes from a class, and deletes with its files", async () => {
    const t1 = actorFor("wuhou-pri.t1", "teacher");
    const s1 = actorFor("wuhou-pri.s1");
    const files = await upload(t1, "旧课件.pdf", "old");
    const id = write(t1, { title: "要撤回的课" }, files);
    publishLesson(t1, id, { classIds: [classA], publishAt: "" });
    expect(await canOpen(s1, files[0]!)).toBe(true);
    unpublishLesson(t1, id, classA);
    expect(refusal(() => viewLesson(s1, id))).toBeInstanceOf(NotFoundError);
    expect(await canOpen(s1, files[0]!)).toBe(false);
    deleteLesson(t1, id);
    await removalsSettled();
    expect(refusal(() => viewLesson(t1, id))).toBeInstanceOf(NotFoundError);
    expect(db().select().from(schema.files).where(eq(schema.files.id, files[0]!)).get()).toBeUndefined();
  });

  it("follows the assignments capability: closed for the school, no lessons are written", () => {
    const admin = actorFor("wuhou-pri.admin");
    const school = userByLogin("wuhou-pri.t1").schoolId!;
    setFlagOverride(admin, { flag: "assignments", scope: "school", scopeId: school, enabled: false, locked: false });
    try {
      expect(refusal(() => write(actorFor("wuhou-pri.t1", "teacher")))).toBeInstanceOf(FeatureClosedError);
    } finally {
      clearFlagOverride(admin, { flag: "assignments", scope: "school", scopeId: school });
    }
    expect(write(actorFor("wuhou-pri.t1", "teacher"))).toBeTruthy();
  });
});
