import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
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
  classA = await classIdOf("wuhou-pri", "三年级（1）班");
  classB = await classIdOf("wuhou-pri", "五年级（2）班");
  otherSchoolClass = await classIdOf("wuhou-jun", "七年级（3）班");
  await db()
      .delete(schema.classMemberships)
      .where(and(eq(schema.classMemberships.classId, classB), eq(schema.classMemberships.userId, (await userByLogin("wuhou-pri.t2")).id)));
});

const form = (fields: Record<string, string>) => new Map(Object.entries(fields));
const write = async (actor: Actor, fields: Record<string, string> = {}, files: string[] = []) =>
  (await createLesson(actor, form({ title: "认识分数", body: "把一个苹果平均分成两份。", ...fields }), files)).id;

// What the editor posts: a paragraph with a link.
const linkedDoc = JSON.stringify({
  type: "doc",
  content: [{ type: "paragraph", content: [{ type: "text", text: "分数的故事", marks: [{ type: "link", attrs: { href: "https://example.org/fractions" } }] }] }],
});

describe("writing a lesson", () => {
  it("keeps rich text with links and the files, for the author only until published", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const files = await upload(t1, "分数练习.pdf", "fractions");
    const id = await write(t1, { bodyJson: linkedDoc }, files);
    const view = await viewLesson(t1, id);
    expect(view.isAuthor).toBe(true);
    expect(view.bodyHtml).toContain('href="https://example.org/fractions"');
    expect(view.files.map((f) => f.name)).toEqual(["分数练习.pdf"]);
    expect(view.publications).toEqual([]);
    expect(view.classChoices.map((c) => c.id).sort()).toEqual([classA, classB].sort());
    expect((await myLessons(t1)).map((l) => l.id)).toContain(id);
    // Not published anywhere: nobody else reads it or its file.
    expect(await refusal(async () => viewLesson(await actorFor("wuhou-pri.s1"), id))).toBeInstanceOf(NotFoundError);
    expect(await canOpen(await actorFor("wuhou-pri.s1"), files[0]!)).toBe(false);
    expect(await canOpen(t1, files[0]!)).toBe(true);
  });

  it("refuses an empty title or body beside each field, and discards the files uploaded with it", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const files = await upload(t1, "丢弃.pdf", "discard");
    const error = await validationRefusal(async () => write(t1, { title: "  ", body: "" }, files));
    expect(error.fields.title?.key).toBe("lessons:titleRequired");
    expect(error.fields.body?.key).toBe("lessons:bodyRequired");
    expect((await validationRefusal(async () => write(t1, { title: "长".repeat(201) }))).fields.title?.key).toBe("lessons:titleTooLong");
    expect(await first(db().select().from(schema.files).where(eq(schema.files.id, files[0]!)).limit(1))).toBeUndefined();
  });

  it("is refused to a student, a parent, a teacher acting as parent, a school admin and anonymous", async () => {
    for (const actor of [await actorFor("wuhou-pri.s1"), await actorFor("wuhou-pri.p1"), await actorFor("wuhou-pri.t1", "parent"), await actorFor("wuhou-pri.admin")]) {
      expect(await refusal(async () => write(actor))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => myLessons(actor))).toBeInstanceOf(ForbiddenError);
    }
    expect((await refusal(async () => write(null))).status).toBe(401);
  });
});

describe("publishing", () => {
  it("shows a published lesson to its class's students and teachers and the school's admin, and to nobody else", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const files = await upload(t1, "课件.pdf", "slides");
    const id = await write(t1, { title: "面积单位" }, files);
    await publishLesson(t1, id, { classIds: [classB], publishAt: "" });

    for (const reader of [await actorFor("wuhou-pri.s5"), await actorFor("wuhou-pri.t3", "teacher"), await actorFor("wuhou-pri.admin")]) {
      expect((await viewLesson(reader, id)).title).toBe("面积单位");
      expect((await viewLesson(reader, id)).isAuthor).toBe(false);
      expect(await canOpen(reader, files[0]!)).toBe(true);
    }
    expect((await lessonsOfClass(classB)).map((l) => l.id)).toContain(id);
    // A student of another class, a teacher of another class (t2 no longer teaches 五年级（2）班), a teacher
    // of another school, a parent, a region admin, a teacher acting as parent: not found, file included.
    for (const outsider of [
      await actorFor("wuhou-pri.s1"),
      await actorFor("wuhou-pri.t2", "teacher"),
      await actorFor("wuhou-jun.t1", "teacher"),
      await actorFor("wuhou-pri.p5"),
      await actorFor("sichuan.edu"),
    ]) {
      expect(await refusal(async () => viewLesson(outsider, id))).toBeInstanceOf(NotFoundError);
      expect(await canOpen(outsider, files[0]!)).toBe(false);
    }
    // The author acting as a parent reads the lesson page no more than any parent (the file stays theirs).
    expect(await refusal(async () => viewLesson(await actorFor("wuhou-pri.t1", "parent"), id))).toBeInstanceOf(NotFoundError);
    expect((await refusal(async () => viewLesson(null, id))).status).toBe(401);
    // Only the author changes it: another teacher of the class (who reads it) finds no lesson of theirs
    // to change (404, issue 13 item 9b); the school's admin and a student are refused by role.
    for (const other of [await actorFor("wuhou-pri.t3", "teacher"), await actorFor("wuhou-pri.admin"), await actorFor("wuhou-pri.s5")]) {
      const refused = other.activeRole === "teacher" ? NotFoundError : ForbiddenError;
      expect(await refusal(async () => updateLesson(other, id, form({ title: "改", body: "改", version: "1" })))).toBeInstanceOf(refused);
      expect(await refusal(async () => publishLesson(other, id, { classIds: [classB], publishAt: "" }))).toBeInstanceOf(refused);
      expect(await refusal(async () => unpublishLesson(other, id, classB))).toBeInstanceOf(refused);
      expect(await refusal(async () => deleteLesson(other, id))).toBeInstanceOf(refused);
    }
  });

  it("shows a scheduled lesson from its publish time (Beijing time), not before", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const s1 = await actorFor("wuhou-pri.s1");
    const id = await write(t1, { title: "定时发布" });
    const at = Date.UTC(2026, 11, 1, 0, 0); // 2026-12-01 08:00 in Beijing
    const { publishAt } = await publishLesson(t1, id, { classIds: [classA], publishAt: "2026-12-01T08:00" }, at - 86_400_000);
    expect(publishAt.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(beijingLocalTimeOf(publishAt)).toBe("2026-12-01T08:00");
    expect(await refusal(async () => viewLesson(s1, id, at - 1))).toBeInstanceOf(NotFoundError);
    expect((await lessonsOfClass(classA, at - 1)).map((l) => l.id)).not.toContain(id);
    expect((await viewLesson(s1, id, at)).title).toBe("定时发布");
    expect((await lessonsOfClass(classA, at)).map((l) => l.id)).toContain(id);
    // The author sees it as scheduled before its time.
    expect((await viewLesson(t1, id, at - 1)).publications).toMatchObject([{ classId: classA, live: false }]);
    expect((await viewLesson(t1, id, at)).publications).toMatchObject([{ classId: classA, live: true }]);
  });

  it("refuses a class that is not theirs, no class, and a time that cannot be read", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const t2 = await actorFor("wuhou-pri.t2", "teacher");
    const id = await write(t1);
    expect((await validationRefusal(async () => publishLesson(t1, id, { classIds: [otherSchoolClass], publishAt: "" }))).fields.classIds?.key).toBe("lessons:classNotYours");
    expect((await validationRefusal(async () => publishLesson(t1, id, { classIds: [classA, "nosuchclass"], publishAt: "" }))).fields.classIds?.key).toBe("lessons:classNotYours");
    expect((await validationRefusal(async () => publishLesson(t1, id, { classIds: [], publishAt: "" }))).fields.classIds?.key).toBe("lessons:classRequired");
    for (const bad of ["tomorrow", "2026-02-30T08:00", "2026-12-01T25:00", "2026-12-01", "1999-12-01T08:00"]) {
      expect((await validationRefusal(async () => publishLesson(t1, id, { classIds: [classA], publishAt: bad }))).fields.publishAt?.key).toBe("lessons:publishAtInvalid");
    }
    // t2's own lesson may not go to 五年级（2）班, which t2 does not teach.
    const own = await write(t2);
    expect((await validationRefusal(async () => publishLesson(t2, own, { classIds: [classB], publishAt: "" }))).fields.classIds?.key).toBe("lessons:classNotYours");
    expect(await db().select().from(schema.lessonPublications).where(eq(schema.lessonPublications.lessonId, own))).toEqual([]);
    expect(beijingTimeFrom("", 123, "publishAt", "lessons:publishAtInvalid").getTime()).toBe(123);
  });

  it("copies a lesson to another class as a second publication: one edit reaches both", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const id = await write(t1, { title: "古诗两首" });
    await publishLesson(t1, id, { classIds: [classA], publishAt: "" });
    expect((await viewLesson(t1, id)).classChoices.map((c) => c.id)).toEqual([classB]);
    await publishLesson(t1, id, { classIds: [classB], publishAt: "" });
    const { version } = await lessonForEdit(t1, id);
    await updateLesson(t1, id, form({ title: "古诗三首", body: "新增一首。", version: String(version) }));
    expect((await viewLesson(await actorFor("wuhou-pri.s1"), id)).title).toBe("古诗三首");
    expect((await viewLesson(await actorFor("wuhou-pri.s5"), id)).title).toBe("古诗三首");
    expect((await viewLesson(await actorFor("wuhou-pri.s5"), id)).bodyHtml).toContain("新增一首。");
    expect(await db().select().from(schema.lessons).where(eq(schema.lessons.title, "古诗三首"))).toHaveLength(1);
  });
});

describe("changing a lesson", () => {
  it("refuses an edit made from an older version and keeps the first one", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const id = await write(t1, { title: "原稿" });
    const tabA = await lessonForEdit(t1, id);
    const tabB = await lessonForEdit(t1, id);
    await updateLesson(t1, id, form({ title: "窗口一", body: "一", version: String(tabA.version) }));
    const error = await validationRefusal(async () => updateLesson(t1, id, form({ title: "窗口二", body: "二", version: String(tabB.version) })));
    expect(error.key).toBe("lessons:editConflict");
    expect((await viewLesson(t1, id)).title).toBe("窗口一");
    expect((await validationRefusal(async () => updateLesson(t1, id, form({ title: "无版本", body: "x" })))).key).toBe("lessons:editConflict");
  });

  it("unpublishes from a class, and deletes with its files", async () => {
    const t1 = await actorFor("wuhou-pri.t1", "teacher");
    const s1 = await actorFor("wuhou-pri.s1");
    const files = await upload(t1, "旧课件.pdf", "old");
    const id = await write(t1, { title: "要撤回的课" }, files);
    await publishLesson(t1, id, { classIds: [classA], publishAt: "" });
    expect(await canOpen(s1, files[0]!)).toBe(true);
    await unpublishLesson(t1, id, classA);
    expect(await refusal(async () => viewLesson(s1, id))).toBeInstanceOf(NotFoundError);
    expect(await canOpen(s1, files[0]!)).toBe(false);
    await deleteLesson(t1, id);
    await removalsSettled();
    expect(await refusal(async () => viewLesson(t1, id))).toBeInstanceOf(NotFoundError);
    expect(await first(db().select().from(schema.files).where(eq(schema.files.id, files[0]!)).limit(1))).toBeUndefined();
  });

  it("follows the assignments capability: closed for the school, no lessons are written", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const school = (await userByLogin("wuhou-pri.t1")).schoolId!;
    await setFlagOverride(admin, { flag: "assignments", scope: "school", scopeId: school, enabled: false, locked: false });
    try {
      expect(await refusal(async () => write(await actorFor("wuhou-pri.t1", "teacher")))).toBeInstanceOf(FeatureClosedError);
    } finally {
      await clearFlagOverride(admin, { flag: "assignments", scope: "school", scopeId: school });
    }
    expect(await write(await actorFor("wuhou-pri.t1", "teacher"))).toBeTruthy();
  });
});
