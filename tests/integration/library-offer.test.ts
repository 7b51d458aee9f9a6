// The region library, offering: a teacher offers a lesson (its text and files) or a standalone
// resource to their county's, prefecture's or the province's library; nothing else, and nobody else.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { unitCode } from "~/domain/library/catalogue.server";
import { createLesson, viewLesson } from "~/domain/classwork/lessons.server";
import { offerForm, offerResource, offerableLessons, reviseResource, withdrawResource } from "~/domain/library-use/offering.server";
import { myResources, resourcePage } from "~/domain/library/resources.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";
import { canOpen, upload } from "../support/files";
import { appointTestReviewers, auditsOf, listingOf, offerFields, regionIdOf } from "../support/library";

const AUTHOR = "wuhou-jun.t1";
let wuhou: string;
let chengdu: string;
let sichuan: string;

beforeAll(async () => {
  await demoWorld();
  await appointTestReviewers();
  wuhou = await regionIdOf("武侯区");
  chengdu = await regionIdOf("成都市");
  sichuan = await regionIdOf("四川省");
});

const fileRow = async (id: string) => first(db().select().from(schema.files).where(eq(schema.files.id, id)).limit(1));

describe("offering a resource", () => {
  it("a standalone resource with a file goes to the county's library as version 1, pending, with an audit event", async () => {
    const author = await actorFor(AUTHOR, "teacher");
    const files = await upload(author, "有理数练习.pdf");
    const { id } = await offerResource(author, offerFields(wuhou, { title: "有理数练习", kind: "exercises" }), files);
    const page = await resourcePage(author, id);
    expect(page.isAuthor).toBe(true);
    expect(page.version).toMatchObject({ number: 1, title: "有理数练习", kind: "exercises", stage: "junior", grade: 1, subject: "math", edition: "pep", unit: "pep:1a:2", licence: "platform_adapt" });
    expect(page.version.files.map((f) => f.id)).toEqual(files);
    expect(page.listings).toMatchObject([{ regionId: wuhou, state: "pending", versionNumber: 1, admittedNumber: null }]);
    const resource = (await first(db().select().from(schema.libraryResources).where(eq(schema.libraryResources.id, id)).limit(1)))!;
    expect(resource.schoolId).toBe((await userByLogin(AUTHOR)).schoolId);
    expect(await auditsOf(id)).toEqual(["library.offer"]);
    expect((await myResources(author)).find((r) => r.id === id)).toMatchObject({ latestNumber: 1, withdrawn: false, listings: [{ regionName: "武侯区", state: "pending" }] });
  });

  it("a lesson goes with its text and its files as the library's own copies; the lesson stays the author's", async () => {
    const author = await actorFor(AUTHOR, "teacher");
    const lessonFiles = await upload(author, "数轴.pdf");
    const lessonId = (await createLesson(author, new Map([["title", "数轴上的加法"], ["body", "从原点出发，向右走三步。"]]), lessonFiles)).id;
    expect((await offerableLessons(author)).map((l) => l.id)).toContain(lessonId);
    const form = await offerForm(author, { lessonId });
    expect(form.values).toMatchObject({ lessonId, title: "数轴上的加法", stage: "junior" });
    expect(form.libraries.map((l) => l.name)).toEqual(["武侯区", "成都市", "四川省"]);
    expect(form.files.map((f) => f.id)).toEqual(lessonFiles);

    const { id } = await offerResource(author, offerFields(chengdu, { title: "数轴上的加法", body: "从原点出发，向右走三步。", lessonId }));
    const page = await resourcePage(author, id);
    expect(page.version.bodyHtml).toContain("从原点出发");
    expect(page.version.files.map((f) => f.name)).toEqual(["数轴.pdf"]);
    expect(page.version.files[0]!.id).not.toBe(lessonFiles[0]);
    expect(page.listings.map((l) => l.regionId)).toEqual([chengdu]);
    // The lesson keeps its own file.
    expect((await viewLesson(author, lessonId)).files.map((f) => f.id)).toEqual(lessonFiles);
    expect(await canOpen(author, lessonFiles[0]!)).toBe(true);
  });

  it("goes to the province's library too, but not to a library off the teacher's path", async () => {
    const author = await actorFor(AUTHOR, "teacher");
    const { id } = await offerResource(author, offerFields(sichuan, { title: "省级投稿" }));
    expect((await listingOf(id, "四川省")).state).toBe("pending");
    for (const name of ["康定市", "凉山彝族自治州", "甘孜藏族自治州"]) {
      const error = await validationRefusal(async () => offerResource(author, offerFields(await regionIdOf(name))));
      expect(error.fields.regionId?.key).toBe("library:errors.libraryNotYours");
    }
    expect((await validationRefusal(async () => offerResource(author, offerFields("")))).fields.regionId?.key).toBe("library:errors.libraryNotYours");
  });

  it("refuses bad input on the right field, and discards the files sent with it", async () => {
    const author = await actorFor(AUTHOR, "teacher");
    const offer = (overrides: Record<string, string>, files: string[] = []) => offerResource(author, offerFields(wuhou, overrides), files);
    const files = await upload(author, "丢弃.pdf");
    expect((await validationRefusal(() => offer({ body: "  " }))).fields.body?.key).toBe("library:errors.emptyResource");
    expect((await validationRefusal(() => offer({ licence: "" }, files))).fields.licence?.key).toBe("library:errors.licenceRequired");
    expect(await fileRow(files[0]!)).toBeUndefined();
    // A unit of another edition, or of another grade of the same edition.
    expect((await validationRefusal(() => offer({ unit: unitCode("bnu", 1, "a", 2) }))).fields.unit?.key).toBe("library:errors.unitNotOfEdition");
    expect((await validationRefusal(() => offer({ unit: unitCode("pep", 2, "a", 2) }))).fields.unit?.key).toBe("library:errors.unitNotOfEdition");
    expect((await validationRefusal(() => offer({ unit: "nonsense" }))).fields.unit?.key).toBe("library:errors.unitNotOfEdition");
    expect((await validationRefusal(() => offer({ title: "   " }))).fields.title?.key).toBe("library:errors.titleRequired");
    expect((await validationRefusal(() => offer({ title: "长".repeat(201) }))).fields.title?.key).toBe("library:errors.titleTooLong");
    expect((await validationRefusal(() => offer({ grade: "4" }))).fields.grade?.key).toBe("library:errors.gradeNotOfStage");
    expect((await validationRefusal(() => offer({ subject: "thangka" }))).fields.subject?.key).toBe("library:errors.subjectNotOfStage");
    expect((await validationRefusal(() => offer({ edition: "fltrp" }))).fields.edition?.key).toBe("library:errors.editionNotOfSubject");
    expect((await validationRefusal(() => offer({ kind: "poster" }))).fields.kind?.key).toBe("library:errors.kindRequired");
    expect((await validationRefusal(() => offer({ language: "fr" }))).fields.language?.key).toBe("library:errors.languageRequired");
    // Several at once, each beside its field, with a library off the path too.
    const all = await validationRefusal(async () => offer({ title: "", licence: "", regionId: await regionIdOf("昭觉县") }));
    expect(Object.keys(all.fields).sort()).toEqual(["licence", "regionId", "title"]);
    // A file alone is enough.
    const onlyFile = await upload(author, "只有文件.pdf");
    await expect(offer({ title: "只有文件", body: "" }, onlyFile)).resolves.toMatchObject({ id: expect.any(String) });
  });

  it("is refused to a student, a parent, a teacher acting as parent, a school admin and a region admin", async () => {
    for (const login of ["wuhou-jun.s1", "wuhou-jun.p1", "wuhou-jun.admin", "chengdu.edu"]) {
      expect(await refusal(async () => offerResource(await actorFor(login), offerFields(wuhou)))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => offerForm(await actorFor(login)))).toBeInstanceOf(ForbiddenError);
    }
    expect(await refusal(async () => offerResource(await actorFor("wuhou-pri.t1", "parent"), offerFields(wuhou)))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(async () => offerResource(null, offerFields(wuhou)))).toBeInstanceOf(ForbiddenError);
  });

  it("offers only the teacher's own lesson", async () => {
    const other = await actorFor("wuhou-jun.t2", "teacher");
    const lessonId = (await createLesson(other, new Map([["title", "别人的课"], ["body", "正文"]]))).id;
    expect(await refusal(async () => offerResource(await actorFor(AUTHOR, "teacher"), offerFields(wuhou, { lessonId })))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => offerForm(await actorFor(AUTHOR, "teacher"), { lessonId }))).toBeInstanceOf(NotFoundError);
  });
});

describe("versions and withdrawal", () => {
  it("a new version is version 2, keeps the files not removed as new copies, and goes to review again", async () => {
    const author = await actorFor(AUTHOR, "teacher");
    const files = await upload(author, "第一版.pdf");
    const { id } = await offerResource(author, offerFields(wuhou, { title: "合并同类项" }), files);
    const form = await offerForm(author, { resourceId: id });
    expect(form.revising).toEqual({ id, number: 1 });
    const { versionId } = await reviseResource(author, id, offerFields(wuhou, { title: "合并同类项（修订）", note: "加了例题" }));
    const page = await resourcePage(author, id);
    expect(page.version).toMatchObject({ id: versionId, number: 2, title: "合并同类项（修订）", note: "加了例题" });
    expect(page.version.files.map((f) => f.name)).toEqual(["第一版.pdf"]);
    expect(page.version.files[0]!.id).not.toBe(files[0]);
    expect(await listingOf(id, "武侯区")).toMatchObject({ state: "pending", versionId, round: 2 });
    expect(await auditsOf(id)).toEqual(expect.arrayContaining(["library.offer", "library.revise"]));
    // Removing the file and leaving no text makes an empty version.
    const v2File = page.version.files[0]!.id;
    expect((await validationRefusal(() => reviseResource(author, id, offerFields(wuhou, { body: "", [`removeFile.${v2File}`]: "on" })))).fields.body?.key).toBe("library:errors.emptyResource");
    // Without text, the kept file is enough.
    expect((await reviseResource(author, id, offerFields(wuhou, { body: "" }))).versionId).not.toBe(versionId);
  });

  it("only the author revises or withdraws", async () => {
    const author = await actorFor(AUTHOR, "teacher");
    const { id } = await offerResource(author, offerFields(wuhou, { title: "只由作者修改" }));
    for (const login of ["wuhou-jun.t2", "zhaojue-jun.t1", "wuhou-voc.t2"]) {
      const other = await actorFor(login, "teacher");
      expect(await refusal(() => reviseResource(other, id, offerFields(wuhou)))).toBeInstanceOf(NotFoundError);
      expect(await refusal(() => withdrawResource(other, id))).toBeInstanceOf(NotFoundError);
    }
    for (const login of ["wuhou-jun.s1", "wuhou-jun.p1"]) {
      expect(await refusal(async () => withdrawResource(await actorFor(login), id))).toBeInstanceOf(ForbiddenError);
    }
    expect((await first(db().select().from(schema.libraryResources).where(eq(schema.libraryResources.id, id)).limit(1)))!.withdrawnAt).toBeNull();
  });

  it("withdrawing writes one audit event; a withdrawn resource takes no new version", async () => {
    const author = await actorFor(AUTHOR, "teacher");
    const { id } = await offerResource(author, offerFields(wuhou, { title: "将撤回" }));
    await withdrawResource(author, id);
    await withdrawResource(author, id);
    expect((await auditsOf(id)).filter((a) => a === "library.withdraw")).toHaveLength(1);
    expect((await validationRefusal(() => reviseResource(author, id, offerFields(wuhou)))).key).toBe("library:errors.withdrawn");
    expect((await resourcePage(author, id)).withdrawn).toBe(true);
    expect((await myResources(author)).find((r) => r.id === id)?.withdrawn).toBe(true);
  });
});
