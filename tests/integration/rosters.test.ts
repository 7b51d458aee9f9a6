import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first as firstOf } from "#db/client";
import { activateAccount } from "~/domain/accounts/accounts.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import {
  importRoster,
  parseBirthDate,
  previewRoster,
  readRosterCells,
  reissueSlips,
  rosterPreview,
  rosterRowsFromCells,
  slipChoices,
  templateClassNames,
  type RosterRow,
} from "~/domain/provisioning/rosters.server";
import { createSession } from "~/domain/accounts/sessions.server";
import { gbkBytes, HEADER_ZH, rosterCsv, rosterXlsx, type FixtureCell } from "../e2e/roster-fixtures";
import { actorFor, CLIENT, demoWorld, userByLogin } from "../support/world";
import { failure } from "../support/refusal";
import { mapInOrder } from "~/lib/in-order";

const CLASS_A = "三年级（1）班";
const CLASS_B = "五年级（2）班";
const utf8 = (text: string) => new TextEncoder().encode(text);
const GOOD_PASSWORD = "青稞 and yak butter tea";

beforeAll(async () => {
  await demoWorld();
});

const admin = async () => actorFor("wuhou-pri.admin");
const count = async (table: typeof schema.users | typeof schema.activationCodes | typeof schema.classMemberships | typeof schema.guardianContacts | typeof schema.auditEvents) =>
  (await firstOf(db().select({ n: sql<number>`count(*)` }).from(table).limit(1)))!.n;

async function previewRows(bytes: Uint8Array) {
  const { importId } = await previewRoster(await admin(), { fileName: "roster", bytes });
  const preview = await rosterPreview(await admin(), importId);
  return { importId, preview, problems: (line: number) => preview.problemRows.find((r) => r.line === line)?.problems.map((p) => `${p.column}:${p.key}`) ?? [] };
}

describe("reading roster files", () => {
  const rows: FixtureCell[][] = [
    ["姓名", "身份", "班级", "学号", "出生日期", "性别", "家长1电话", "监护人1姓名"],
    ["张三", "学生", CLASS_A, "A001", "2018/3/5", "男", "138 0000 0001", "张建国"],
    ["李老师", "老师", CLASS_B, "", "", "女", "", ""],
  ];
  const expectParsed = (parsed: RosterRow[]) => {
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toMatchObject({
      line: 2,
      realName: "张三",
      role: "student",
      className: CLASS_A,
      studentNumber: "A001",
      birthDate: "2018-03-05",
      gender: "male",
      guardians: [{ name: "张建国", phone: "13800000001" }],
      problems: [],
    });
    expect(parsed[1]).toMatchObject({ realName: "李老师", role: "teacher", gender: "female", birthDate: null, problems: [] });
  };

  it("reads UTF-8 CSV, with and without a BOM, headers in any order and in common variants", async () => {
    expectParsed(await rosterRowsFromCells(await readRosterCells(utf8(rosterCsv(rows)))));
    expectParsed(await rosterRowsFromCells(await readRosterCells(utf8(rosterCsv(rows, { bom: true })))));
  });

  it("reads GBK CSV as Chinese Excel saves it", async () => {
    const bytes = gbkBytes(rosterCsv(rows));
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    expectParsed(await rosterRowsFromCells(await readRosterCells(bytes)));
  });

  it("reads XLSX with real date cells and Excel serial numbers", async () => {
    const xlsx = await rosterXlsx([
      HEADER_ZH,
      ["王小红", "学生", null, CLASS_A, 1001, new Date(Date.UTC(2018, 2, 5)), "女", null, null, null, null],
      ["赵小明", "student", null, CLASS_A, "1002", 43164, "M", null, null, null, null],
      ["钱小华", "学生", null, CLASS_A, null, "20180305", "F", null, null, null, null],
      ["孙小丽", "学生", null, CLASS_A, null, "2018.3.5", null, null, null, null, null],
    ]);
    const parsed = await rosterRowsFromCells(await readRosterCells(xlsx));
    expect(parsed.map((r) => r.birthDate)).toEqual(["2018-03-05", "2018-03-05", "2018-03-05", "2018-03-05"]);
    expect(parsed.map((r) => r.studentNumber)).toEqual(["1001", "1002", null, null]);
    expect(parsed.every((r) => r.problems.length === 0)).toBe(true);
  });

  it("matches headers written in Tibetan, Yi and English", async () => {
    for (const header of [
      ["མིང་ངོ་མ", "ཐོབ་ཐང", "འཛིན་གྲྭ"],
      ["ꂓꃶꐚ", "ꑋꅉ", "ꌶꁥ"],
      ["Real name *", "ROLE", "Class"],
    ]) {
      const parsed = await rosterRowsFromCells(await readRosterCells(utf8(rosterCsv([header, ["སྒྲོལ་མ", "སློབ་མ", CLASS_A], ["ꀉꇐ", "ꌶꌺ", CLASS_A], ["Li", "teacher", ""]]))));
      expect(parsed.map((r) => r.role)).toEqual(["student", "student", "teacher"]);
    }
  });

  it("parses the birth-date forms schools use and refuses the rest", () => {
    for (const v of ["2014-03-05", "2014/3/5", "2014.3.5", "20140305", "2014年3月5日", 41703, new Date(Date.UTC(2014, 2, 5))]) expect(parseBirthDate(v)).toBe("2014-03-05");
    for (const v of ["2014-02-30", "5/3/2014", "去年", "2999-01-01", "13/13/13"]) expect(parseBirthDate(v)).toBeUndefined();
    expect(parseBirthDate("")).toBeNull();
  });
});

describe("bad files get a translated message and store nothing", () => {
  const refused = async (bytes: Uint8Array) => {
    const before = (await firstOf(db().select({ n: sql<number>`count(*)` }).from(schema.rosterImports).limit(1)))!.n;
    const error = await failure(async () => previewRoster(await admin(), { fileName: "bad", bytes }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((await firstOf(db().select({ n: sql<number>`count(*)` }).from(schema.rosterImports).limit(1)))!.n).toBe(before);
    return error as ValidationError;
  };

  it("refuses an empty file, a header without people, and missing required columns by name", async () => {
    expect((await refused(new Uint8Array())).key).toBe("roster:problems.emptyFile");
    expect((await refused(utf8("\uFEFF\r\n\r\n"))).key).toBe("roster:problems.emptyFile");
    expect((await refused(utf8("真实姓名,身份,班级\r\n"))).key).toBe("roster:problems.noRows");
    // Without a role column every row is a pupil (issue 15), so a pupil roster needs its classes.
    const missing = await refused(utf8("姓名,学号\r\n张三,1\r\n"));
    expect(missing.key).toBe("roster:problems.missingColumns");
    expect(missing.params.columns).toEqual(["className"]);
    const noClass = await refused(utf8("姓名,身份\r\n张三,学生\r\n"));
    expect(noClass.params.columns).toEqual(["className"]);
  });

  it("refuses a wrong encoding, old .xls, a broken XLSX and files that are not rosters", async () => {
    const garbled = new Uint8Array([...utf8("真实姓名,身份\r\n"), 0xff, 0x41, 0xff, 0x0a]);
    expect((await refused(garbled)).key).toBe("roster:problems.wrongEncoding");
    expect((await refused(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).key).toBe("roster:problems.oldXls");
    expect((await refused(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]))).key).toBe("roster:problems.badXlsx");
    expect((await refused(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).key).toBe("roster:problems.unsupportedType");
    expect((await refused(utf8("%PDF-1.7\n"))).key).toBe("roster:problems.unsupportedType");
  });

  it("marks every row problem with its row number and column", async () => {
    const csv = rosterCsv([
      ["真实姓名", "身份", "登录名", "班级", "学号", "出生日期", "性别", "监护人1姓名", "监护人1电话"],
      ["陈一", "学生", "", CLASS_A, "B001", "2018-01-01", "男", "", ""], // 2: fine
      ["", "学生", "", CLASS_A, "B002", "", "", "", ""], // 3: no name
      ["陈三", "校长", "", CLASS_A, "", "", "", "", ""], // 4: bad role
      ["陈四", "学生", "", "七年级（9）班", "B004", "", "", "", ""], // 5: unknown class
      ["陈五", "学生", "", CLASS_A, "B005", "2018-13-01", "", "", ""], // 6: bad date
      ["陈六", "学生", "", CLASS_A, "B001", "", "", "", ""], // 7: duplicate student number (row 2)
      ["陈七", "教师", "chen.qi", "", "", "", "", "", ""], // 8: fine
      ["陈八", "教师", "Chen.Qi", "", "", "", "", "", ""], // 9: duplicate login (row 8, case folded)
      ["陈九", "教师", "wuhou-jun.t1", "", "", "", "", "", ""], // 10: login of another school's person
      ["陈十", "教师", "a b", "", "", "", "未知", "", ""], // 11: bad login, bad gender
      ["陈十一", "学生", "", "", "B011", "", "", "", "12345678901"], // 12: no class, phone without guardian name
      ["陈十二", "学生", "", CLASS_A, "B012", "", "", "陈父", "电话"], // 13: bad phone
    ]);
    const { preview, problems } = await previewRows(utf8(csv));
    expect(preview.summary).toMatchObject({ total: 12, withProblems: 10, new: 2 });
    expect(problems(3)).toEqual(["realName:roster:problems.nameMissing"]);
    expect(problems(4)).toEqual(["role:roster:problems.badRole"]);
    expect(problems(5)).toEqual(["className:roster:problems.unknownClass"]);
    expect(problems(6)).toEqual(["birthDate:roster:problems.badDate"]);
    expect(problems(7)).toEqual(["studentNumber:roster:problems.duplicateStudentNumber"]);
    expect(problems(9)).toEqual(["loginName:roster:problems.duplicateLogin"]);
    expect(problems(10)).toEqual(["loginName:roster:problems.loginTaken"]);
    expect(problems(11)).toEqual(["loginName:roster:problems.badLoginName", "gender:roster:problems.badGender"]);
    expect(problems(12)).toEqual(["className:roster:problems.classMissing", "guardian1Name:roster:problems.guardianNameMissing"]);
    expect(problems(13)).toEqual(["guardian1Phone:roster:problems.badPhone"]);
    const dup = preview.problemRows.find((r) => r.line === 7)!.problems[0]!;
    expect(dup.params).toEqual({ line: 2 });
    expect(preview.sampleRows.map((r) => r.line)).toEqual([2, 8]);
  });
});

describe("importing", () => {
  it("is all or nothing: a preview with problems imports nothing", async () => {
    const { importId } = await previewRows(utf8(rosterCsv([HEADER_ZH, ["周甲", "学生", null, CLASS_A, "C001", null, null, null, null, null, null], ["周乙", "学生", null, "没有的班", "C002", null, null, null, null, null, null]])));
    const users = await count(schema.users);
    const error = await failure(async () => importRoster(await admin(), importId));
    expect(error.key).toBe("roster:problems.changedSincePreview");
    expect(await count(schema.users)).toBe(users);
    expect((await rosterPreview(await admin(), importId)).status).toBe("preview");
  });

  it("refuses when the school changed since the preview, writing nothing, and shows the new problem", async () => {
    const { importId, preview } = await previewRows(utf8(rosterCsv([HEADER_ZH, ["吴甲", "教师", "wu.jia", null, null, null, null, null, null, null, null], ["吴乙", "教师", "wu.yi", null, null, null, null, null, null, null, null]])));
    expect(preview.summary.withProblems).toBe(0);
    // Someone at another school takes one of the login names in between.
    const other = await userByLogin("wuhou-jun.t2");
    await db().update(schema.users).set({ loginName: "wu.yi" }).where(eq(schema.users.id, other.id));
    const before = { users: await count(schema.users), codes: await count(schema.activationCodes), audit: await count(schema.auditEvents) };
    try {
      expect((await failure(async () => importRoster(await admin(), importId))).key).toBe("roster:problems.changedSincePreview");
      expect({ users: await count(schema.users), codes: await count(schema.activationCodes), audit: await count(schema.auditEvents) }).toEqual(before);
      const after = await rosterPreview(await admin(), importId);
      expect(after.problemRows.map((r) => r.problems.map((p) => p.key))).toEqual([["roster:problems.loginTaken"]]);
    } finally {
      await db().update(schema.users).set({ loginName: other.loginName }).where(eq(schema.users.id, other.id));
    }
  });

  it("creates people, roles, classes, guardians, codes and an audit event, and re-importing updates instead of duplicating", async () => {
    const file: FixtureCell[][] = [
      HEADER_ZH,
      ["郑老师", "教师", null, CLASS_A, null, null, "女", null, null, null, null],
      ["郑小一", "学生", null, CLASS_A, "D001", new Date(Date.UTC(2018, 0, 2)), "男", "郑爸爸", "13900000001", "郑妈妈", "13900000002"],
      ["郑小二", "学生", null, CLASS_B, null, "2016-05-06", "女", null, null, null, null],
      ["郑小三", "学生", "zheng.xiaosan", CLASS_B, "D003", "2016-07-08", null, null, null, null, null],
    ];
    const before = { users: await count(schema.users), codes: await count(schema.activationCodes) };
    const first = await previewRows(await rosterXlsx(file));
    expect(first.preview.summary).toMatchObject({ total: 4, new: 4, updated: 0, unchanged: 0, withProblems: 0, teachers: 1, students: 3 });
    const result = await importRoster(await admin(), first.importId);
    expect(result).toMatchObject({ created: 4, updated: 0, unchanged: 0, school: { name: "武侯区实验小学", defaultLocale: "zh-Hans" } });
    expect(await count(schema.users)).toBe(before.users + 4);
    expect(await count(schema.activationCodes)).toBe(before.codes + 4);

    // Generated logins: the next free tN / sN (demo has t1–t3, s1–s8).
    // Never from the student number (issue 13 item 9c): D001 gets the next free sN like everyone else.
    expect(result.slips.map((s) => s.loginName).sort()).toEqual(["wuhou-pri.s10", "wuhou-pri.s9", "wuhou-pri.t4", "zheng.xiaosan"]);
    const teacher = await userByLogin("wuhou-pri.t4");
    expect(teacher).toMatchObject({ realName: "郑老师", status: "provisioned", gender: "female", birthDate: null });
    const student = await userByLogin("wuhou-pri.s9");
    expect(student).toMatchObject({ realName: "郑小一", birthDate: "2018-01-02", studentNumber: "D001", gender: "male" });
    const roles = await db().select().from(schema.userRoles).where(eq(schema.userRoles.userId, student.id));
    expect(roles.map((r) => [r.role, r.schoolId])).toEqual([["student", student.schoolId]]);
    const guardians = await db().select().from(schema.guardianContacts).where(eq(schema.guardianContacts.studentId, student.id));
    expect(guardians.map((g) => [g.name, g.phone]).sort()).toEqual([["郑妈妈", "13900000002"], ["郑爸爸", "13900000001"]]);
    const classOf = async (userId: string) =>
      db()
                .select({ name: schema.classes.name, role: schema.classMemberships.role })
                .from(schema.classMemberships)
                .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
                .where(eq(schema.classMemberships.userId, userId));
    expect(await classOf(student.id)).toEqual([{ name: CLASS_A, role: "student" }]);
    expect(await classOf(teacher.id)).toEqual([{ name: CLASS_A, role: "teacher" }]);
    const audit = await firstOf(db().select().from(schema.auditEvents).where(and(eq(schema.auditEvents.action, "roster.import"), eq(schema.auditEvents.targetId, first.importId))).limit(1));
    expect(audit?.detail).toMatchObject({ created: 4, updated: 0, unchanged: 0, rows: 4 });
    expect(audit?.actorId).toBe((await userByLogin("wuhou-pri.admin")).id);

    // The slip's code activates the account.
    const slip = result.slips.find((s) => s.loginName === "wuhou-pri.t4")!;
    expect(slip.code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    expect(slip.className).toBe(CLASS_A);
    await activateAccount({ loginName: slip.loginName, code: slip.code, realName: "郑老师", password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, CLIENT);
    expect((await userByLogin("wuhou-pri.t4")).status).toBe("active");

    // Importing the same preview twice is refused (a double submit).
    expect((await failure(async () => importRoster(await admin(), first.importId))).key).toBe("roster:problems.alreadyImported");

    // The same file again: everyone matched (by login, number, or name + role + birth date), nothing new.
    const again = await previewRows(await rosterXlsx(file));
    expect(again.preview.summary).toMatchObject({ new: 0, updated: 0, unchanged: 4, withProblems: 0 });

    // A student moved to the other class and a guardian's new phone: updated, not duplicated.
    const moved = file.map((row) => [...row]);
    moved[2]![3] = CLASS_B;
    moved[2]![8] = "13900000009";
    const third = await previewRows(await rosterXlsx(moved));
    expect(third.preview.summary).toMatchObject({ new: 0, updated: 1, unchanged: 3 });
    const users = await count(schema.users);
    expect(await importRoster(await admin(), third.importId)).toMatchObject({ created: 0, updated: 1, unchanged: 3, slips: [] });
    expect(await count(schema.users)).toBe(users);
    expect(await classOf(student.id)).toEqual([{ name: CLASS_B, role: "student" }]);
    expect((await db().select().from(schema.guardianContacts).where(eq(schema.guardianContacts.studentId, student.id))).find((g) => g.name === "郑爸爸")?.phone).toBe("13900000009");
  });

  it("refuses a student number that belongs to someone else at the school under another login", async () => {
    const { problems } = await previewRows(utf8(rosterCsv([HEADER_ZH, ["冒名", "学生", "mao.ming", CLASS_A, "D001", null, null, null, null, null, null]])));
    expect(problems(2)).toEqual(["studentNumber:roster:problems.studentNumberTaken"]);
  });
});

describe("activation slips", () => {
  it("re-issues codes for a class's people not yet activated; old codes stop working; the activated get none", async () => {
    const { importId } = await previewRows(utf8(rosterCsv([HEADER_ZH, ["冯一", "学生", null, CLASS_B, "E001", null, null, null, null, null, null], ["冯二", "学生", null, CLASS_B, "E002", null, null, null, null, null, null]])));
    const first = (await importRoster(await admin(), importId)).slips;
    const klass = (await slipChoices(await admin())).classes.find((c) => c.name === CLASS_B)!;
    expect(klass.waiting).toBeGreaterThanOrEqual(2);
    const again = await reissueSlips(await admin(), { kind: "class", classId: klass.id });
    const waitingInClass = again.slips.map((s) => s.loginName);
    const [feng1, feng2] = ["冯一", "冯二"].map((name) => first.find((s) => s.realName === name)!.loginName) as [string, string];
    expect(waitingInClass).toEqual(expect.arrayContaining([feng1, feng2, "wuhou-pri.s8"]));
    expect(waitingInClass).not.toContain("wuhou-pri.s5"); // activated in the demo world
    const old = first.find((s) => s.loginName === feng1)!;
    const fresh = again.slips.find((s) => s.loginName === feng1)!;
    expect(fresh.code).not.toBe(old.code);
    const oldTry = await failure(async () => activateAccount({ loginName: old.loginName, code: old.code, realName: "冯一", password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, { ...CLIENT, address: "198.51.100.40" }));
    expect((oldTry as ValidationError).fields.code?.key).toBe("auth:codeVoided");
    await activateAccount({ loginName: fresh.loginName, code: fresh.code, realName: "冯一", password: GOOD_PASSWORD, confirm: GOOD_PASSWORD }, { ...CLIENT, address: "198.51.100.41" });
    const audits = await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "activation_code.reissue"));
    // One entry for the batch, the people inside (issue 15: not one entry per slip).
    expect((audits.at(-1)!.detail as { people: string[] }).people).toHaveLength(again.slips.length);

    // One person: the activated one is refused with a reason; someone of another school is not found.
    const active = await failure(async () => reissueSlips(await admin(), { kind: "person", loginName: feng1 }));
    expect((active as ValidationError).fields.loginName?.key).toBe("roster:slips.alreadyActive");
    const elsewhere = await failure(async () => reissueSlips(await admin(), { kind: "person", loginName: "wuhou-jun.s4" }));
    expect((elsewhere as ValidationError).fields.loginName?.key).toBe("roster:slips.personNotFound");
    expect((await reissueSlips(await admin(), { kind: "person", loginName: ` ${feng2.toUpperCase()} ` })).slips.map((s) => s.loginName)).toEqual([feng2]);

    // Everyone not yet activated: only provisioned people of this school.
    const all = (await reissueSlips(await admin(), { kind: "waiting" })).slips;
    const statuses = new Set((await mapInOrder(all, async (s) => userByLogin(s.loginName))).map((u) => `${u.status}:${u.schoolId}`));
    expect([...statuses]).toEqual([`provisioned:${(await userByLogin("wuhou-pri.admin")).schoolId}`]);
  });

  it("refuses a class of another school", async () => {
    const otherClass = (await firstOf(db().select().from(schema.classes).where(eq(schema.classes.name, "七年级（3）班")).limit(1)))!;
    const error = await failure(async () => reissueSlips(await admin(), { kind: "class", classId: otherClass.id }));
    expect((error as ValidationError).fields.classId?.key).toBe("roster:slips.chooseClass");
  });
});

describe("who may", () => {
  let importId = "";
  beforeAll(async () => {
    importId = (await previewRows(utf8(rosterCsv([HEADER_ZH, ["何一", "教师", null, null, null, null, null, null, null, null, null]])))).importId;
  });
  const bytes = utf8(rosterCsv([HEADER_ZH, ["何二", "教师", null, null, null, null, null, null, null, null, null]]));
  const wrongPeople = async () => [
    ["a teacher", await actorFor("wuhou-pri.t2")],
    ["a student", await actorFor("wuhou-pri.s1")],
    ["a parent", await actorFor("wuhou-pri.p1")],
    ["a teacher who is also a parent, acting as parent", await actorFor("wuhou-pri.t1", "parent")],
    ["a region admin acting as region admin", await actorFor("sichuan.edu")],
    ["the platform admin", await actorFor("platform")],
    ["anonymous", null],
  ] as const;

  it("refuses everyone but the school's own admin, for every roster and slip action", async () => {
    for (const [who, actor] of await wrongPeople()) {
      for (const [what, run] of [
        ["preview upload", async () => previewRoster(actor, { fileName: "x.csv", bytes })],
        ["preview", async () => rosterPreview(actor, importId)],
        ["import", async () => importRoster(actor, importId)],
        ["slip choices", async () => slipChoices(actor)],
        ["re-issue", async () => reissueSlips(actor, { kind: "waiting" })],
        ["template", async () => templateClassNames(actor)],
      ] as const) {
        const error = await failure(run);
        expect(error, `${who}: ${what}`).toBeInstanceOf(ForbiddenError);
        expect((error as ForbiddenError).status, `${who}: ${what}`).toBe(actor ? 403 : 401);
      }
    }
    expect((await rosterPreview(await admin(), importId)).status).toBe("preview");
  });

  it("refuses another school's admin this school's previews, imports and people", async () => {
    const other = await actorFor("zhaojue-pri.admin");
    // Another school's upload reads as an unknown one (issue 15 house rule: 404, like unknown ids).
    expect(await failure(async () => rosterPreview(other, importId))).toBeInstanceOf(NotFoundError);
    expect(await failure(async () => importRoster(other, importId))).toBeInstanceOf(NotFoundError);
    const person = await failure(async () => reissueSlips(other, { kind: "person", loginName: "wuhou-pri.s4" }));
    expect((person as ValidationError).fields.loginName?.key).toBe("roster:slips.personNotFound");
    const wuhouClass = (await firstOf(db().select().from(schema.classes).where(eq(schema.classes.name, CLASS_A)).limit(1)))!;
    const klass = await failure(async () => reissueSlips(other, { kind: "class", classId: wuhouClass.id }));
    expect((klass as ValidationError).fields.classId?.key).toBe("roster:slips.chooseClass");
    // Their own school's upload lands in their own school, never in another.
    const { importId: theirs } = await previewRoster(other, { fileName: "x.csv", bytes });
    expect(await failure(async () => rosterPreview(await admin(), theirs))).toBeInstanceOf(NotFoundError);
    expect((await slipChoices(other)).classes.map((c) => c.name)).not.toContain(CLASS_A);
    expect((await rosterPreview(await admin(), importId)).status).toBe("preview");
  });

  it("answers not found for an import that does not exist", async () => {
    expect(await failure(async () => rosterPreview(await admin(), "nosuchimport"))).toBeInstanceOf(NotFoundError);
  });
});

describe("the upload route", () => {
  const cookieFor = async (loginName: string) => {
    const user = await userByLogin(loginName);
    const { token } = await createSession(user.id, { remember: false, activeRole: "school_admin" });
    return `session=${token}`;
  };

  it("refuses a 50 MB upload while streaming, before reading it whole", async () => {
    const { action } = await import("~/routes/school.roster");
    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(0x41);
    const boundary = "----roster";
    const head = utf8(`--${boundary}\r\nContent-Disposition: form-data; name="roster"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(head);
      },
      pull(controller) {
        if (sent >= 50) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const request = new Request("http://localhost/school/roster", {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, Cookie: await cookieFor("wuhou-pri.admin") },
      body,
      duplex: "half",
    } as RequestInit);
    const imports = (await firstOf(db().select({ n: sql<number>`count(*)` }).from(schema.rosterImports).limit(1)))!.n;
    const response = (await action({ request, params: {}, context: { clientAddress: "127.0.0.1" } })) as unknown as { init: ResponseInit; data: { formError: { key: string } } };
    expect(response.init.status).toBe(413);
    expect(response.data.formError.key).toBe("roster:problems.tooLarge");
    expect(sent).toBeLessThan(15);
    expect((await firstOf(db().select({ n: sql<number>`count(*)` }).from(schema.rosterImports).limit(1)))!.n).toBe(imports);

    // A declared Content-Length over the limit is refused without reading the body at all.
    const declared = new Request("http://localhost/school/roster", {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": String(50 * 1024 * 1024), Cookie: await cookieFor("wuhou-pri.admin") },
      body: "never read",
    });
    const early = (await action({ request: declared, params: {}, context: { clientAddress: "127.0.0.1" } })) as unknown as { init: ResponseInit };
    expect(early.init.status).toBe(413);
  });
});
