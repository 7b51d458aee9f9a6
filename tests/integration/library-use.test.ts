// The region library, reading and using: who finds an admitted resource (its library's teachers),
// who sees one under review (its author and that library's reviewers), versions as readers see them,
// its files, copying it into lessons and publishing it to a class, ratings and comments, the flag.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { FeatureClosedError, clearFlagOverride, setFlagOverride } from "~/domain/rollout/flags.server";
import { createLesson, viewLesson } from "~/domain/classwork/lessons.server";
import { unitCode } from "~/domain/library/catalogue.server";
import { decideListing } from "~/domain/library/reviews.server";
import { offerResource, reviseResource, withdrawResource } from "~/domain/library-use/offering.server";
import { resourcePage, searchLibrary } from "~/domain/library/resources.server";
import { commentOnResource, rateResource } from "~/domain/library/ratings.server";
import { copyIntoLessonChoices, copyIntoLesson } from "~/domain/library-use/using.server";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";
import { canOpen, upload } from "../support/files";
import { admit, appointTestReviewers, listingOf, offerFields, offeredAndAdmitted, regionIdOf } from "../support/library";

const AUTHOR = "wuhou-jun.t1";
let author: Actor;
let reviewer: Actor; // of 武侯区
let provinceReviewer: Actor;
let otherReviewer: Actor; // of 康定市
let reader: Actor; // a teacher of 武侯区实验小学, who teaches 三年级（1）班
let reader2: Actor; // a teacher of 成都市武侯职业技术学校
let farTeacher: Actor; // 昭觉县
let student: Actor;
let parent: Actor;
let classA: string;

beforeAll(async () => {
  await demoWorld();
  await appointTestReviewers();
  author = await actorFor(AUTHOR, "teacher");
  reviewer = await actorFor("wuhou-voc.t2", "teacher");
  provinceReviewer = await actorFor("kangding-jun.t3", "teacher");
  otherReviewer = await actorFor("kangding-pri.t2", "teacher");
  reader = await actorFor("wuhou-pri.t1", "teacher");
  reader2 = await actorFor("wuhou-voc.t1", "teacher");
  farTeacher = await actorFor("zhaojue-jun.t1", "teacher");
  student = await actorFor("wuhou-pri.s1");
  parent = await actorFor("wuhou-pri.p1");
  classA = await classIdOf("wuhou-pri", "三年级（1）班");
});

const found = async (actor: Actor, filters: Record<string, string> = {}) => (await searchLibrary(actor, filters)).results.map((r) => r.id);

describe("who finds what", () => {
  it("admitted to a county library: that county's teachers find it, another county's do not", async () => {
    const id = await offeredAndAdmitted(author, reviewer, "武侯区", { title: "县级可见" });
    for (const t of [reader, reader2, await actorFor("wuhou-jun.t3", "teacher")]) {
      expect(await found(t, { q: "县级可见" })).toEqual([id]);
      expect((await resourcePage(t, id)).version.title).toBe("县级可见");
    }
    for (const t of [farTeacher, await actorFor("kangding-pri.t1", "teacher"), otherReviewer]) {
      expect(await found(t, { q: "县级可见" })).toEqual([]);
      expect(await refusal(() => resourcePage(t, id))).toBeInstanceOf(NotFoundError);
    }
  });

  it("admitted to the province: every teacher in the province", async () => {
    const id = await offeredAndAdmitted(author, provinceReviewer, "四川省", { title: "全省可见" });
    for (const login of ["wuhou-pri.t1", "kangding-pri.t1", "garze-voc.t1", "zhaojue-pri.t1", "zhaojue-voc.t3"]) {
      expect(await found(await actorFor(login, "teacher"), { q: "全省可见" })).toEqual([id]);
    }
  });

  it("pending, returned or refused: only the author and that library's reviewers", async () => {
    const states = ["pending", "return", "refuse"] as const;
    for (const state of states) {
      const { id } = await offerResource(author, offerFields(await regionIdOf("武侯区"), { title: `审核中-${state}` }));
      if (state !== "pending") {
        const listing = await listingOf(id, "武侯区");
        await decideListing(reviewer, listing.id, { decision: state, round: listing.round, comment: "请修改", checklist: [] });
      }
      expect((await resourcePage(author, id)).isAuthor).toBe(true);
      expect((await resourcePage(reviewer, id)).listings[0]!.mayReview).toBe(true);
      for (const t of [reader, reader2, farTeacher, otherReviewer, provinceReviewer]) {
        expect(await found(t, { q: `审核中-${state}` })).toEqual([]);
        expect(await refusal(() => resourcePage(t, id))).toBeInstanceOf(NotFoundError);
      }
    }
  });

  it("students and parents are refused the search and every resource page", async () => {
    const id = await offeredAndAdmitted(author, provinceReviewer, "四川省", { title: "学生看不到" });
    for (const actor of [student, parent, await actorFor("wuhou-pri.t1", "parent"), await actorFor("wuhou-pri.admin")]) {
      expect(await refusal(() => searchLibrary(actor, {}))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(() => resourcePage(actor, id))).toBeInstanceOf(NotFoundError);
    }
    expect(await refusal(() => resourcePage(null, id))).toBeInstanceOf(ForbiddenError);
  });
});

describe("searching", () => {
  let zh: string;
  let bo: string;
  let ii: string;
  let voc: string;
  let mine: Set<string>;

  beforeAll(async () => {
    zh = await offeredAndAdmitted(author, provinceReviewer, "四川省", { title: "一元一次方程的应用题", kind: "exercises" });
    bo = await offeredAndAdmitted(await actorFor("kangding-pri.t1", "teacher"), provinceReviewer, "四川省", {
      title: "བོད་ཡིག་གི་གསལ་བྱེད་སློབ་ཚན",
      stage: "primary",
      grade: "3",
      subject: "tibetan",
      edition: "five_provinces_tibetan",
      unit: unitCode("five_provinces_tibetan", 3, "a", 1),
      language: "bo",
    });
    ii = await offeredAndAdmitted(await actorFor("zhaojue-pri.t1", "teacher"), provinceReviewer, "四川省", {
      title: "ꆈꌠꉙ ꀊꆨꌠ ꉢꁨ 彝文",
      stage: "primary",
      grade: "2",
      subject: "yi",
      edition: "sichuan_yi",
      unit: unitCode("sichuan_yi", 2, "b", 3),
      language: "zh-ii",
      kind: "micro_video",
    });
    voc = await offeredAndAdmitted(await actorFor("garze-voc.t1", "teacher"), provinceReviewer, "四川省", {
      title: "唐卡矿物颜料",
      stage: "vocational",
      grade: "1",
      subject: "thangka",
      edition: "school_based",
      unit: unitCode("school_based", 1, "a", 4),
      kind: "material",
    });
    mine = new Set([zh, bo, ii, voc]);
  });
  const ours = async (filters: Record<string, string>) => (await found(reader, filters)).filter((id) => mine.has(id)).sort();

  it("by a substring of the title in Chinese, Tibetan and Yi", async () => {
    expect(await ours({ q: "次方程" })).toEqual([zh]);
    expect(await ours({ q: "གསལ་བྱེད" })).toEqual([bo]);
    expect(await ours({ q: "ꀊꆨꌠ" })).toEqual([ii]);
    expect(await ours({ q: "彝文" })).toEqual([ii]);
    expect(await ours({ q: "不存在的标题" })).toEqual([]);
    // The card says which script the title is in.
    expect((await searchLibrary(reader, { q: "གསལ་བྱེད" })).results.find((r) => r.id === bo)?.lang).toBe("bo");
  });

  it("by stage, subject, kind and language", async () => {
    expect(await ours({ stage: "primary" })).toEqual([bo, ii].sort());
    expect(await ours({ stage: "vocational", subject: "thangka" })).toEqual([voc]);
    expect(await ours({ subject: "math" })).toEqual([zh]);
    expect(await ours({ kind: "micro_video" })).toEqual([ii]);
    expect(await ours({ kind: "exercises", stage: "junior" })).toEqual([zh]);
    expect(await ours({ language: "bo" })).toEqual([bo]);
    expect(await ours({ language: "zh-ii" })).toEqual([ii]);
    expect(await ours({ grade: "2", subject: "yi" })).toEqual([ii]);
    // Nonsense filters are ignored, not errors.
    expect(await ours({ stage: "kindergarten", kind: "poster" })).toEqual([...mine].sort());
  });
});

describe("versions and files", () => {
  it("readers see admitted version 1 and its files until version 2 is admitted", async () => {
    const v1Files = await upload(author, "第一版讲义.pdf");
    const id = await offeredAndAdmitted(author, reviewer, "武侯区", { title: "版本一" }, v1Files);
    const { versionId: v2 } = await reviseResource(author, id, offerFields(await regionIdOf("武侯区"), { title: "版本二", [`removeFile.${v1Files[0]}`]: "on" }), await upload(author, "第二版讲义.pdf"));
    const v2Files = (await resourcePage(author, id)).version.files.map((f) => f.id);
    expect((await resourcePage(author, id)).version).toMatchObject({ number: 2, title: "版本二" });

    const page = await resourcePage(reader, id);
    expect(page.version).toMatchObject({ number: 1, title: "版本一" });
    expect(page.version.files.map((f) => f.id)).toEqual(v1Files);
    expect((await searchLibrary(reader, { q: "版本" })).results.filter((r) => r.id === id).map((r) => r.title)).toEqual(["版本一"]);
    expect(await canOpen(reader, v1Files[0]!)).toBe(true);
    expect(await canOpen(reader, v2Files[0]!)).toBe(false);
    // The reviewer sees version 2 before them, and may open both.
    expect((await resourcePage(reviewer, id)).version.id).toBe(v2);
    expect(await canOpen(reviewer, v2Files[0]!)).toBe(true);
    expect(await canOpen(reviewer, v1Files[0]!)).toBe(true);

    await admit(reviewer, id, "武侯区");
    expect((await resourcePage(reader, id)).version).toMatchObject({ number: 2, title: "版本二" });
    expect((await searchLibrary(reader, { q: "版本" })).results.filter((r) => r.id === id).map((r) => r.title)).toEqual(["版本二"]);
    expect(await canOpen(reader, v2Files[0]!)).toBe(true);
  });

  it("a version's files open for its readers, reviewers and author, not for another region's teacher, a student, a parent", async () => {
    const files = await upload(author, "可下载.pdf");
    const { id } = await offerResource(author, offerFields(await regionIdOf("武侯区"), { title: "文件权限" }), files);
    // Under review: the author and the library's reviewers only.
    expect(await canOpen(author, files[0]!)).toBe(true);
    expect(await canOpen(reviewer, files[0]!)).toBe(true);
    expect(await canOpen(reader, files[0]!)).toBe(false);
    await admit(reviewer, id, "武侯区");
    expect(await canOpen(reader, files[0]!)).toBe(true);
    expect(await canOpen(reader2, files[0]!)).toBe(true);
    for (const actor of [farTeacher, otherReviewer, student, parent, await actorFor("wuhou-pri.t1", "parent"), null]) expect(await canOpen(actor, files[0]!)).toBe(false);
  });
});

describe("using a resource", () => {
  let id: string;
  let versionFiles: string[];

  beforeAll(async () => {
    const files = await upload(author, "方程练习.pdf");
    id = await offeredAndAdmitted(author, reviewer, "武侯区", { title: "解方程", body: "移项要变号。" }, files);
    versionFiles = files;
  });

  it("into a new lesson: title, text and files as the teacher's own; the lesson names the resource and its author", async () => {
    expect((await copyIntoLessonChoices(reader, id)).classes.map((c) => c.id)).toContain(classA);
    const { lessonId } = await copyIntoLesson(reader, id, { lessonId: "new", classIds: [] });
    const lesson = await viewLesson(reader, lessonId);
    expect(lesson).toMatchObject({ title: "解方程", isAuthor: true });
    expect(lesson.bodyHtml).toContain("移项要变号");
    expect(lesson.files.map((f) => f.name)).toEqual(["方程练习.pdf"]);
    expect(lesson.files[0]!.id).not.toBe(versionFiles[0]);
    expect((await first(db().select().from(schema.files).where(eq(schema.files.id, lesson.files[0]!.id)).limit(1)))!.ownerId).toBe((await userByLogin("wuhou-pri.t1")).id);
    expect(lesson.sources).toEqual([{ resourceId: id, title: "解方程", author: (await userByLogin(AUTHOR)).realName, schoolName: "武侯区第一初级中学" }]);
    const use = (await first(db().select().from(schema.libraryUses).where(eq(schema.libraryUses.lessonId, lessonId)).limit(1)))!;
    expect(use).toMatchObject({ resourceId: id, schoolId: (await userByLogin("wuhou-pri.t1")).schoolId, published: false });
  });

  it("into an existing lesson of theirs (files added), never another teacher's", async () => {
    const own = (await createLesson(reader, new Map([["title", "我的复习课"], ["body", "复习"]]))).id;
    await copyIntoLesson(reader, id, { lessonId: own, classIds: [] });
    expect((await viewLesson(reader, own)).files.map((f) => f.name)).toEqual(["方程练习.pdf"]);
    const others = (await createLesson(reader2, new Map([["title", "别人的课"], ["body", "内容"]]))).id;
    expect((await validationRefusal(() => copyIntoLesson(reader, id, { lessonId: others, classIds: [] }))).fields.lessonId?.key).toBe("library:errors.lessonNotYours");
    expect((await viewLesson(reader2, others)).files).toEqual([]);
  });

  it("published straight to their class: its pupils read it; a class not theirs is refused", async () => {
    const { lessonId } = await copyIntoLesson(reader, id, { lessonId: "new", classIds: [classA] });
    const seen = await viewLesson(student, lessonId);
    expect(seen.title).toBe("解方程");
    expect(await canOpen(student, seen.files[0]!.id)).toBe(true);
    expect((await first(db().select().from(schema.libraryUses).where(eq(schema.libraryUses.lessonId, lessonId)).limit(1)))!.published).toBe(true);
    const notTheirs = await classIdOf("wuhou-jun", "七年级（3）班");
    const before = (await db().select().from(schema.libraryUses).where(eq(schema.libraryUses.resourceId, id))).length;
    expect((await validationRefusal(() => copyIntoLesson(reader, id, { lessonId: "new", classIds: [notTheirs] }))).fields.classIds?.key).toBe("lessons:classNotYours");
    expect((await db().select().from(schema.libraryUses).where(eq(schema.libraryUses.resourceId, id))).length).toBe(before);
  });

  it("is refused to a teacher who cannot read it, a student, a parent", async () => {
    expect(await refusal(() => copyIntoLesson(farTeacher, id, { lessonId: "new", classIds: [] }))).toBeInstanceOf(NotFoundError);
    expect(await refusal(() => copyIntoLessonChoices(farTeacher, id))).toBeInstanceOf(NotFoundError);
    for (const actor of [student, parent]) expect(await refusal(() => copyIntoLesson(actor, id, { lessonId: "new", classIds: [] }))).toBeInstanceOf(ForbiddenError);
  });

  it("the author sees uses by school, never by pupil; readers see only the total", async () => {
    await copyIntoLesson(reader2, id, { lessonId: "new", classIds: [] });
    const page = await resourcePage(author, id);
    expect(page.uses.bySchool).toEqual([
      { schoolName: "武侯区实验小学", uses: 3 },
      { schoolName: "成都市武侯职业技术学校", uses: 1 },
    ]);
    expect(page.uses.total).toBe(4);
    expect(JSON.stringify(page)).not.toContain((await userByLogin("wuhou-pri.s1")).realName);
    expect(JSON.stringify(page)).not.toContain((await userByLogin("wuhou-pri.t1")).realName);
    const readerPage = await resourcePage(reader2, id);
    expect(readerPage.uses).toEqual({ total: 4, bySchool: [] });
  });

  it("a resource that is only a file makes a lesson too", async () => {
    const files = await upload(author, "只有附件.pdf");
    const fileOnly = await offeredAndAdmitted(author, reviewer, "武侯区", { title: "只有附件", body: "" }, files);
    const { lessonId } = await copyIntoLesson(reader, fileOnly, { lessonId: "new", classIds: [] });
    expect((await viewLesson(reader, lessonId)).files.map((f) => f.name)).toEqual(["只有附件.pdf"]);
  });

  it("withdrawn: gone from search and from readers, while the lessons that copied it keep their copy", async () => {
    const files = await upload(author, "撤回前.pdf");
    const gone = await offeredAndAdmitted(author, reviewer, "武侯区", { title: "即将撤回的资源" }, files);
    const { lessonId } = await copyIntoLesson(reader, gone, { lessonId: "new", classIds: [classA] });
    await withdrawResource(author, gone);
    expect(await found(reader, { q: "即将撤回" })).toEqual([]);
    expect(await refusal(() => resourcePage(reader, gone))).toBeInstanceOf(NotFoundError);
    expect(await canOpen(reader, files[0]!)).toBe(false);
    expect(await refusal(() => copyIntoLesson(reader2, gone, { lessonId: "new", classIds: [] }))).toBeInstanceOf(NotFoundError);
    const lesson = await viewLesson(reader, lessonId);
    expect(lesson.title).toBe("即将撤回的资源");
    expect(await canOpen(reader, lesson.files[0]!.id)).toBe(true);
    expect(await canOpen(student, lesson.files[0]!.id)).toBe(true);
    expect((await viewLesson(student, lessonId)).title).toBe("即将撤回的资源");
  });
});

describe("ratings and comments", () => {
  let id: string;
  beforeAll(async () => {
    id = await offeredAndAdmitted(author, reviewer, "武侯区", { title: "评分资源" });
  });

  it("1–5 stars, a second rating replaces the first", async () => {
    expect(await rateResource(reader, id, "4")).toEqual({ stars: 4 });
    await rateResource(reader2, id, "2");
    expect((await resourcePage(reader, id)).rating).toEqual({ average: 3, count: 2, mine: 4 });
    await rateResource(reader, id, "5");
    expect((await resourcePage(reader, id)).rating).toEqual({ average: 3.5, count: 2, mine: 5 });
    expect((await found(reader, { q: "评分资源" })).length).toBe(1);
    expect((await searchLibrary(reader, { q: "评分资源" })).results[0]).toMatchObject({ rating: 3.5, ratings: 2 });
  });

  it("bad stars are refused; the author may not rate; one who cannot see it gets not found", async () => {
    for (const stars of ["0", "6", "x", "2.5", "", null]) expect((await validationRefusal(() => rateResource(reader, id, stars))).fields.stars?.key).toBe("library:errors.starsInvalid");
    expect(await refusal(() => rateResource(author, id, "5"))).toBeInstanceOf(ForbiddenError);
    for (const actor of [farTeacher, otherReviewer, student, parent]) expect(await refusal(() => rateResource(actor, id, "5"))).toBeInstanceOf(NotFoundError);
    expect((await resourcePage(author, id)).rating.count).toBe(2);
  });

  it("readers and the author comment; nobody else", async () => {
    await commentOnResource(reader, id, "课堂上很好用，谢谢！");
    await commentOnResource(author, id, "欢迎提出修改意见。");
    expect((await resourcePage(reader2, id)).comments.map((c) => c.body)).toEqual(["课堂上很好用，谢谢！", "欢迎提出修改意见。"]);
    expect((await validationRefusal(() => commentOnResource(reader, id, "   "))).fields.comment?.key).toBe("library:errors.commentEmpty");
    for (const actor of [farTeacher, student, parent]) expect(await refusal(() => commentOnResource(actor, id, "我也来说两句"))).toBeInstanceOf(NotFoundError);
    expect((await resourcePage(author, id)).comments).toHaveLength(2);
  });
});

describe("the lesson_sharing flag", () => {
  it("off for a school: its teachers may neither offer nor use; others still may", async () => {
    const admin = await actorFor("chengdu.edu");
    const school = (await userByLogin("wuhou-voc.t1")).schoolId!;
    const id = await offeredAndAdmitted(author, reviewer, "武侯区", { title: "开关测试" });
    await setFlagOverride(admin, { flag: "lesson_sharing", scope: "school", scopeId: school, enabled: false });
    try {
      const closed = await actorFor("wuhou-voc.t1", "teacher");
      expect(await refusal(async () => offerResource(closed, offerFields(await regionIdOf("武侯区"))))).toBeInstanceOf(FeatureClosedError);
      expect(await refusal(() => copyIntoLesson(closed, id, { lessonId: "new", classIds: [] }))).toBeInstanceOf(FeatureClosedError);
      expect(await refusal(() => searchLibrary(closed, {}))).toBeInstanceOf(FeatureClosedError);
      expect(await refusal(() => resourcePage(closed, id))).toBeInstanceOf(NotFoundError);
      await expect(copyIntoLesson(reader, id, { lessonId: "new", classIds: [] })).resolves.toMatchObject({ lessonId: expect.any(String) });
    } finally {
      await clearFlagOverride(admin, { flag: "lesson_sharing", scope: "school", scopeId: school });
    }
    await expect(copyIntoLesson(await actorFor("wuhou-voc.t1", "teacher"), id, { lessonId: "new", classIds: [] })).resolves.toMatchObject({ lessonId: expect.any(String) });
  });
});
