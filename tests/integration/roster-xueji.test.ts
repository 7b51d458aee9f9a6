// Issue 15 items 1 and 2: 学籍系统 exports import as they are (title row, no role column, 学籍 column
// names), and 学籍号 is the identity that tells pupils apart, kept only as a keyed hash.
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first as firstOf } from "#db/client";
import { ForbiddenError, NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { answerSamePerson, importRoster, previewRoster, rosterPreview, type RosterRow } from "~/domain/provisioning/rosters.server";
import { rosterCsv, rosterXlsx } from "../e2e/roster-fixtures";
import { failure } from "../support/refusal";
import { actorFor, demoWorld } from "../support/world";
import { xuejiGbkCsv, xuejiPupils, xuejiSheet, type XuejiPupil } from "../support/xueji-fixtures";

beforeAll(async () => {
  await demoWorld();
});

const admin = async () => actorFor("wuhou-pri.admin");
const storedRows = async (importId: string) => (await firstOf(db().select().from(schema.rosterImports).where(eq(schema.rosterImports.id, importId)).limit(1)))!.rows as RosterRow[];
const storedJson = async (importId: string) => JSON.stringify(await firstOf(db().select().from(schema.rosterImports).where(eq(schema.rosterImports.id, importId)).limit(1)));
const utf8 = (text: string) => new TextEncoder().encode(text);

async function preview(bytes: Uint8Array | Buffer) {
  const { importId } = await previewRoster(await admin(), { fileName: "学籍导出.csv", bytes: new Uint8Array(bytes) });
  return { importId, preview: await rosterPreview(await admin(), importId, { filter: "all" }) };
}

describe("issue 15 #1: 学籍 exports are read as they are", () => {
  it("issue 15 #1: a GBK export with a title row and no role column is a pupil roster; the header row is found and said", async () => {
    const pupils = xuejiPupils(6, [[5, 2]], { nameOffset: 100 });
    const { importId, preview: p } = await preview(xuejiGbkCsv(pupils));
    expect(p.file!.headerLine).toBe(3);
    expect(p.summary.withProblems).toBe(0);
    expect(p.summary.students).toBe(6);
    expect(p.rows.map((r) => r.role)).toEqual(Array(6).fill("student"));
    // "5年级(2)班" is the school's 五年级（2）班.
    expect(p.rows.every((r) => r.outcome === "new")).toBe(true);
    const recognised = Object.fromEntries(p.file!.recognised.map((c) => [c.header, c.field]));
    expect(recognised).toMatchObject({
      全国学籍号: "registrationNumber",
      姓名: "realName",
      出生日期: "birthDate",
      身份证件号: "idNumber",
      班级: "className",
      监护人1关系: "guardian1Relation",
      监护人1联系电话: "guardian1Phone",
      监护人2联系电话: "guardian2Phone",
    });
    expect(p.file!.ignored).toEqual(expect.arrayContaining([{ header: "民族", reason: "notNeeded" }, { header: "序号", reason: "notNeeded" }]));
    expect(p.file!.missing).toEqual(expect.arrayContaining(["loginName", "studentNumber"]));
    expect(p.file!.missing).not.toContain("role");
    // Guardians keep phone and relation.
    expect((await storedRows(importId))[0]!.guardians[0]).toMatchObject({ name: pupils[0]!.guardians[0]!.name, relation: "父亲", phone: pupils[0]!.guardians[0]!.phone });
  });

  it("issue 15 #1: separate 年级 and 班级 columns are joined, Excel date cells read, and unknown columns named", async () => {
    const sheet = xuejiSheet(xuejiPupils(4, [[3, 1]], { nameOffset: 200, birthYear: 2018 }), { classes: "split" });
    sheet[2]!.push("爱好");
    const { preview: p } = await preview(await rosterXlsx(sheet));
    expect(p.summary.withProblems).toBe(0);
    expect(p.rows[0]).toMatchObject({ className: "三年级(1)班", birthDate: "2018-01-01", outcome: "new" });
    expect(p.file!.ignored).toContainEqual({ header: "爱好", reason: "unknown" });
  });

  it("issue 15 #1: a blank birth date is taken from the ID number, which is never stored", async () => {
    const pupils = xuejiPupils(3, [[5, 2]], { nameOffset: 300 });
    const sheet = xuejiSheet(pupils);
    sheet[3]![4] = null; // first pupil's 出生日期
    sheet[4]![6] = "51010420160231001X"; // not a date: ignored, birth date stays as given
    const { importId, preview: p } = await preview(utf8(rosterCsv(sheet)));
    expect(p.rows[0]).toMatchObject({ birthDate: pupils[0]!.birthDate!.toISOString().slice(0, 10), birthFromId: true });
    expect(p.rows[1]).toMatchObject({ birthFromId: false });
    const json = await storedJson(importId);
    for (const pupil of pupils) {
      expect(json).not.toContain(pupil.idNumber!);
      expect(json).not.toContain(pupil.registrationNumber!);
    }
  });

  it("issue 15 #1: only the school's own admin may preview a roster", async () => {
    const bytes = xuejiGbkCsv(xuejiPupils(1, [[5, 2]], { nameOffset: 400 }));
    for (const who of ["wuhou-pri.t1", "wuhou-pri.s1"]) {
      const error = await failure(async () => previewRoster(await actorFor(who), { fileName: "x.csv", bytes }));
      expect(error instanceof ForbiddenError || error instanceof NotFoundError, who).toBe(true);
    }
  });
});

describe("issue 15 #2: 学籍号 is the identity", () => {
  it("issue 15 #2: 学籍号 is stored as a keyed hash only and matches pupils on re-import", async () => {
    const pupils = xuejiPupils(4, [[5, 2]], { nameOffset: 500 });
    const first = await preview(xuejiGbkCsv(pupils));
    await importRoster(await admin(), first.importId);
    const user = (await firstOf(db().select().from(schema.users).where(eq(schema.users.realName, pupils[0]!.name)).limit(1)))!;
    expect(user.registrationHash).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(user.registrationHash).not.toContain(pupils[0]!.registrationNumber!.slice(1, 10));
    expect(user.loginName).not.toMatch(/\d{6}/);
    const everything = JSON.stringify([
      await db().select().from(schema.users).where(eq(schema.users.id, user.id)),
      await db().select().from(schema.auditEvents),
      await db().select().from(schema.rosterImports),
    ]);
    expect(everything).not.toContain(pupils[0]!.registrationNumber!);

    // The same 学籍号 under a corrected name is the same pupil, updated.
    const renamed: XuejiPupil[] = pupils.map((p, i) => (i === 0 ? { ...p, name: `${p.name}子` } : p));
    const again = await preview(xuejiGbkCsv(renamed));
    expect(again.preview.summary).toMatchObject({ new: 0, updated: 1, unchanged: 3, withProblems: 0 });
  });

  it("issue 15 #2: a duplicate 学籍号 in one file is reported by row", async () => {
    const pupils = xuejiPupils(3, [[5, 2]], { nameOffset: 600 });
    pupils[2] = { ...pupils[2]!, registrationNumber: pupils[0]!.registrationNumber };
    const { preview: p } = await preview(xuejiGbkCsv(pupils));
    const row = p.problemRows.find((r) => r.line === 6)!;
    expect(row.problems).toContainEqual({ column: "registrationNumber", key: "roster:problems.duplicateRegistration", params: { line: 4 } });
  });

  it("issue 15 #2: two pupils sharing name and birth date but not 学籍号 are two people", async () => {
    const pupils = xuejiPupils(2, [[5, 2]], { nameOffset: 700 });
    pupils[1] = { ...pupils[1]!, name: pupils[0]!.name, birthDate: pupils[0]!.birthDate };
    const { preview: p } = await preview(xuejiGbkCsv(pupils));
    expect(p.summary).toMatchObject({ new: 2, withProblems: 0 });
    expect(p.questions).toEqual([]);
  });

  it("issue 15 #2: without 学籍号, same name and birth date is a question the admin answers; a stranger may not", async () => {
    const pupils = xuejiPupils(3, [[5, 2]], { nameOffset: 800 });
    pupils[2] = { ...pupils[2]!, name: pupils[0]!.name, birthDate: pupils[0]!.birthDate };
    const { importId, preview: p } = await preview(xuejiGbkCsv(pupils, { withoutRegistration: true }));
    expect(p.questions).toEqual([{ line: 6, sameAs: 4, answer: null, realName: pupils[0]!.name }]);
    expect(p.summary.withProblems).toBe(0);
    expect(await failure(async () => importRoster(await admin(), importId))).toBeInstanceOf(ValidationError);

    expect(await failure(async () => answerSamePerson(await actorFor("wuhou-jun.admin"), importId, { line: 6, answer: "two" }))).toBeInstanceOf(NotFoundError);
    expect(await failure(async () => answerSamePerson(await actorFor("wuhou-pri.t1"), importId, { line: 6, answer: "two" }))).toBeInstanceOf(ForbiddenError);
    expect(await failure(async () => answerSamePerson(await admin(), importId, { line: 5, answer: "two" }))).toBeInstanceOf(ValidationError);

    await answerSamePerson(await admin(), importId, { line: 6, answer: "one" });
    const answered = await rosterPreview(await admin(), importId, { filter: "all" });
    expect(answered.questions[0]!.answer).toBe("one");
    expect(answered.summary).toMatchObject({ new: 2, skipped: 1 });
    const before = (await firstOf(db().select({ n: sql<number>`count(*)` }).from(schema.users).limit(1)))!.n;
    expect((await importRoster(await admin(), importId)).created).toBe(2);
    expect((await firstOf(db().select({ n: sql<number>`count(*)` }).from(schema.users).limit(1)))!.n).toBe(before + 2);
  });

  it("issue 15 #2: a login name holding the row's 学籍号 is refused", async () => {
    const sheet = [["学籍号", "姓名", "登录名", "班级"], ["G5101042016", "阿依莫", "ayimo.g5101042016", "五年级（2）班"]];
    const { preview: p } = await preview(utf8(rosterCsv(sheet)));
    expect(p.problemRows[0]!.problems.map((x) => x.key)).toContain("roster:problems.loginHasNumber");
  });
});
