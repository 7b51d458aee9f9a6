import { and, eq, inArray, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { bilingual, slipSheet } from "~/components/ActivationSlips";
import { disambiguatorText, linkSlipSheet } from "~/components/LinkCodeSlips";
import { activateAccount, openActivationSlips } from "~/domain/accounts/accounts.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { issueGradeLinkCodes, issueLinkCodes, joinWithCode, linkCodeChoices, openLinkSlipsOfClass, openLinkSlipsOfImport, openLinkSlipsOfSchool } from "~/domain/families/guardian-links.server";
import { randomId } from "~/domain/foundation/ids.server";
import { importRoster, previewRoster, reissueSlips } from "~/domain/provisioning/rosters.server";
import { slipVoice } from "~/lib/slips.server";
import { guardianRosterGbk, SLIPS_CLASS } from "../support/slips-fixtures";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";

const DAY = 86_400_000;
const PASSWORD = "格桑花 in the spring wind";
let address = 0;
const client = () => ({ address: `198.51.100.${++address}`, userAgent: "vitest" });
const admin = async () => actorFor("wuhou-pri.admin");

let importId: string;
let imported: Awaited<ReturnType<typeof importRoster>>;

beforeAll(async () => {
  await demoWorld();
  const preview = await previewRoster(await admin(), { fileName: "学籍导出.csv", bytes: guardianRosterGbk() });
  importId = preview.importId;
  imported = await importRoster(await admin(), importId, Date.now(), { guardianCodes: true });
});

/** A teacher of the school who does not teach the class the roster fills (demo teachers teach every class). */
async function otherTeacher(): Promise<string> {
  const loginName = "wuhou-pri.t-other";
  if (!await first(db().select().from(schema.users).where(eq(schema.users.loginName, loginName)).limit(1))) {
    const schoolId = (await userByLogin("wuhou-pri.admin")).schoolId!;
    const id = randomId();
    await db().insert(schema.users).values({ id, handle: "t-other-slips", loginName, realName: "别班老师", schoolId, status: "active" });
    await db().insert(schema.userRoles).values({ userId: id, role: "teacher", schoolId });
  }
  return loginName;
}

const auditsOf = async (action: string) => db().select().from(schema.auditEvents).where(eq(schema.auditEvents.action, action));

describe("issue 15 #4: parent link codes pre-issued at import, slips that tell classmates apart", () => {
  it("issue 15 #4: a code per guardian row, each slip naming the child, class, disambiguator and guardian; one audit entry", async () => {
    const slips = await openLinkSlipsOfImport(await admin(), importId);
    expect(slips).toHaveLength(5); // 扎西 ×3 with one guardian each, 格桑 with two
    expect(slips.map((s) => s.guardian?.name).sort()).toEqual(["卓玛", "扎西次仁", "拉姆", "格桑妈妈", "格桑爸爸"].sort());
    expect(slips.every((s) => s.class?.name === SLIPS_CLASS)).toBe(true);
    const audits = await auditsOf("guardian_link_code.import_issue");
    expect(audits).toHaveLength(1);
    const detail = audits[0]!.detail as { count: number; students: string[] };
    expect(detail.count).toBe(5);
    expect(detail.students).toHaveLength(4);
    // No code, phone or number in the log.
    const text = JSON.stringify(audits[0]);
    for (const s of slips) expect(text).not.toContain(s.code.replace("-", ""));
    expect(text).not.toMatch(/139000000/);
  });

  it("issue 15 #4: three classmates named 扎西 get slips that differ in a visible field, and so does the teacher's pick list", async () => {
    const slips = (await openLinkSlipsOfImport(await admin(), importId)).filter((s) => s.student.realName === "扎西");
    const voice = await slipVoice("zh-Hans", "guardianLinks");
    const sheet = linkSlipSheet(slips, voice, "https://example.test/parent/join");
    // What a parent reads on the slip apart from the code: child, what tells them apart, class, school.
    const childFacts = sheet.slips.map((s) => [s.realName, s.told.join("/"), s.className].join("|"));
    expect(new Set(childFacts).size).toBe(3);
    expect(sheet.slips.some((s) => s.told[0]?.startsWith("3月生"))).toBe(true);
    // The pick list of the class shows the same disambiguator beside each name.
    const t = voice.ts[0]!;
    const choices = (await linkCodeChoices(await actorFor("wuhou-pri.t1", "teacher"), await classIdOf("wuhou-pri", SLIPS_CLASS))).students.filter((s) => s.realName === "扎西");
    expect(choices).toHaveLength(3);
    expect(new Set(choices.map((c) => disambiguatorText(c.disambiguator, t, "zh-Hans"))).size).toBe(3);
    expect(choices.every((c) => disambiguatorText(c.disambiguator, t, "zh-Hans").length > 0)).toBe(true);
    // Refused: a teacher of another class of the school.
    await expect(linkCodeChoices(await actorFor(await otherTeacher(), "teacher"), await classIdOf("wuhou-pri", SLIPS_CLASS))).rejects.toThrow(ForbiddenError);
  });

  it("issue 15 #4: without the option no parent code is issued", async () => {
    const preview = await previewRoster(await admin(), { fileName: "again.csv", bytes: guardianRosterGbk([["真实姓名", "身份", "班级", "监护人1姓名", "监护人1电话"], ["次仁", "学生", SLIPS_CLASS, "次仁妈妈", "13900000009"]]) });
    await importRoster(await admin(), preview.importId);
    expect(await openLinkSlipsOfImport(await admin(), preview.importId)).toHaveLength(0);
    expect((await openActivationSlips(await admin(), preview.importId)).slips.map((s) => s.realName)).toEqual(["次仁"]);
  });
});

describe("issue 15 #5: codes kept for printing again", () => {
  it("issue 15 #5: the import's slips read again (a reload or a language switch) give the same codes, and only a sealed copy is stored", async () => {
    const first = (await openActivationSlips(await admin(), importId)).slips;
    expect(first.map((s) => s.code).sort()).toEqual(imported.slips.map((s) => s.code).sort());
    expect((await openActivationSlips(await admin(), importId)).slips).toEqual(first);
    const stored = await db().select().from(schema.activationCodes).where(eq(schema.activationCodes.rosterImportId, importId));
    expect(stored).toHaveLength(4);
    for (const row of stored) {
      expect(row.sealedCode).toBeTruthy();
      for (const s of first) expect(row.sealedCode).not.toContain(s.code.replace("-", ""));
    }
  });

  it("issue 15 #5: only the school's own admin reads them again: another school's admin, a region admin and a teacher get 404/403", async () => {
    for (const login of ["kangding-pri.admin", "sichuan.edu", "wuhou-pri.t1"]) {
      await expect(openActivationSlips(await actorFor(login), importId)).rejects.toThrow(NotFoundError);
      await expect(openLinkSlipsOfImport(await actorFor(login), importId)).rejects.toThrow(NotFoundError);
    }
    await expect(openActivationSlips(await actorFor("sichuan.edu"))).rejects.toThrow(ForbiddenError);
    await expect(openLinkSlipsOfSchool(await actorFor("sichuan.edu"))).rejects.toThrow(ForbiddenError);
    await expect(openLinkSlipsOfSchool(await actorFor("wuhou-pri.t1", "teacher"))).rejects.toThrow(ForbiddenError);
    // Another school's admin sees none of ours among their own.
    expect((await openLinkSlipsOfSchool(await actorFor("kangding-pri.admin"))).filter((s) => s.school.name === "武侯区实验小学")).toHaveLength(0);
  });

  it("issue 15 #5: a link code's slip: the issuing class teacher and the admin read it again, a teacher of another class does not", async () => {
    const classId = await classIdOf("wuhou-pri", SLIPS_CLASS);
    const s3 = await userByLogin("wuhou-pri.s3");
    const [slip] = await issueLinkCodes(await actorFor("wuhou-pri.t1", "teacher"), classId, [s3.id]);
    expect((await openLinkSlipsOfClass(await actorFor("wuhou-pri.t1", "teacher"), classId)).map((s) => s.code)).toContain(slip!.code);
    expect((await openLinkSlipsOfClass(await admin(), classId)).map((s) => s.code)).toContain(slip!.code);
    await expect(openLinkSlipsOfClass(await actorFor(await otherTeacher(), "teacher"), classId)).rejects.toThrow(ForbiddenError);
    await expect(openLinkSlipsOfClass(await actorFor("kangding-pri.admin"), classId)).rejects.toThrow(ForbiddenError);
    // The codes pre-issued by the admin at import are not the teacher's to read again.
    const teacherSees = await openLinkSlipsOfClass(await actorFor("wuhou-pri.t1", "teacher"), classId);
    expect(teacherSees.some((s) => s.guardian)).toBe(false);
  });

  it("issue 15 #5: gone once used, re-issued or expired", async () => {
    const zhaxi = (await openActivationSlips(await admin(), importId)).slips.find((s) => s.realName === "格桑")!;
    await activateAccount({ loginName: zhaxi.loginName, code: zhaxi.code, realName: "格桑", password: PASSWORD, confirm: PASSWORD }, client());
    expect((await openActivationSlips(await admin(), importId)).slips.map((s) => s.loginName)).not.toContain(zhaxi.loginName);

    // Re-issued for the class: the import's copies go, the new codes are printable from /school/slips.
    const before = (await openActivationSlips(await admin(), importId)).slips;
    const batch = await reissueSlips(await admin(), { kind: "class", classId: await classIdOf("wuhou-pri", SLIPS_CLASS) });
    expect((await openActivationSlips(await admin(), importId)).slips).toHaveLength(0);
    const school = (await openActivationSlips(await admin())).slips;
    for (const old of before) {
      expect(school.find((s) => s.loginName === old.loginName)?.code).toBe(batch.slips.find((s) => s.loginName === old.loginName)?.code);
    }

    // A parent uses a pre-issued code: that slip goes, the other guardian's stays.
    const gesang = (await openLinkSlipsOfImport(await admin(), importId)).filter((s) => s.student.realName === "格桑");
    expect(gesang).toHaveLength(2);
    await joinWithCode({ code: gesang[0]!.code, realName: gesang[0]!.guardian!.name, phone: "13900000004", password: PASSWORD, confirm: PASSWORD }, client());
    expect((await openLinkSlipsOfImport(await admin(), importId)).filter((s) => s.student.realName === "格桑").map((s) => s.codeId)).toEqual([gesang[1]!.codeId]);
    const used = (await first(db().select().from(schema.guardianLinkCodes).where(eq(schema.guardianLinkCodes.id, gesang[0]!.codeId)).limit(1)))!;
    expect(used.sealedCode).toBeNull();

    // Expired: not offered, and the sealed copy is wiped.
    const later = Date.now() + 15 * DAY;
    expect(await openLinkSlipsOfImport(await admin(), importId, later)).toHaveLength(0);
    const left = await db().select().from(schema.guardianLinkCodes).where(eq(schema.guardianLinkCodes.rosterImportId, importId));
    expect(left.every((c) => c.sealedCode === null)).toBe(true);
  });

  it("issue 15 #5: slips speak the school's language and Chinese, two lines per label on one slip (one line for a Chinese school)", async () => {
    const zhaojue = await actorFor("zhaojue-pri.admin");
    const batch = await reissueSlips(zhaojue, { kind: "waiting" });
    expect(batch.slips.length).toBeGreaterThan(0);
    const sheet = slipSheet(batch, await slipVoice("ii", "roster"), "https://example.test");
    expect(sheet.langs).toEqual(["ii", "zh-Hans"]);
    expect(sheet.labels.code).toHaveLength(2);
    expect(sheet.labels.code[0]).toMatch(/[\uA000-\uA4CF]/);
    expect(sheet.labels.code[1]).toBe("激活码");
    expect(sheet.steps.every((step) => step.length === 2)).toBe(true);
    const zh = slipSheet(imported, await slipVoice("zh-Hans", "roster"), "https://example.test");
    expect(zh.labels.code).toEqual(["激活码"]);
    const voice = await slipVoice("bo", "guardianLinks");
    expect(bilingual(voice.ts, "slip.code")).toEqual([expect.stringMatching(/[\u0F00-\u0FFF]/), "绑定码"]);
  });
});

describe("issue 15 #6 (grade link codes) and batch audit entries", () => {
  it("issue 15 #6: the school admin issues codes for a whole grade, for pupils without a linked parent; one audit entry with the list", async () => {
    const grade3 = (await db()
          .select({ id: schema.classMemberships.userId })
          .from(schema.classMemberships)
          .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
          .innerJoin(schema.schools, eq(schema.schools.id, schema.classes.schoolId))
          .where(and(eq(schema.schools.loginPrefix, "wuhou-pri"), eq(schema.classes.grade, 3), eq(schema.classMemberships.role, "student"))))
      .map((r) => r.id);
    const linked = new Set((await db().select({ id: schema.guardianLinks.studentId }).from(schema.guardianLinks).where(inArray(schema.guardianLinks.studentId, grade3))).map((r) => r.id));
    const slips = await issueGradeLinkCodes(await admin(), 3);
    expect(slips.map((s) => s.student.id).sort()).toEqual(grade3.filter((id) => !linked.has(id)).sort());
    expect(linked.size).toBeGreaterThan(0); // someone with a parent was left out
    const audits = await auditsOf("guardian_link_code.grade_issue");
    expect(audits).toHaveLength(1);
    expect(audits[0]!.detail).toMatchObject({ grade: 3, count: slips.length, students: expect.arrayContaining(slips.map((s) => s.student.id)) });
    // Refused: a teacher, a region admin; another school's admin issues only in their own school.
    await expect(issueGradeLinkCodes(await actorFor("wuhou-pri.t1", "teacher"), 3)).rejects.toThrow(ForbiddenError);
    await expect(issueGradeLinkCodes(await actorFor("sichuan.edu"), 3)).rejects.toThrow(ForbiddenError);
    const theirs = await issueGradeLinkCodes(await actorFor("kangding-pri.admin"), 4);
    expect(theirs.every((s) => s.school.name === "康定市第二小学")).toBe(true);
  });

  it("issue 15 audit: re-issuing a class's activation codes and issuing link codes are one entry each, with the people inside", async () => {
    const reissuesBefore = (await auditsOf("activation_code.reissue")).length;
    const batch = await reissueSlips(await admin(), { kind: "class", classId: await classIdOf("wuhou-pri", SLIPS_CLASS) });
    expect(batch.slips.length).toBeGreaterThan(1);
    const reissues = await auditsOf("activation_code.reissue");
    expect(reissues).toHaveLength(reissuesBefore + 1);
    expect((reissues.at(-1)!.detail as { count: number; people: string[] }).people).toHaveLength(batch.slips.length);

    const classId = await classIdOf("wuhou-pri", SLIPS_CLASS);
    const ids = [(await userByLogin("wuhou-pri.s2")).id, (await userByLogin("wuhou-pri.s4")).id];
    const issuesBefore = (await auditsOf("guardian_link_code.issue")).length;
    await issueLinkCodes(await actorFor("wuhou-pri.t1", "teacher"), classId, ids);
    const issues = await auditsOf("guardian_link_code.issue");
    expect(issues).toHaveLength(issuesBefore + 1);
    expect(issues.at(-1)!.detail).toMatchObject({ className: SLIPS_CLASS, count: 2, students: expect.arrayContaining(ids) });
    expect((await db().select().from(schema.auditEvents).where(like(schema.auditEvents.action, "guardian_link_code.%"))).every((a) => !/[2-9A-HJ-NP-Z]{5}-?[2-9A-HJ-NP-Z]{5}/.test(JSON.stringify(a.detail)))).toBe(true);
  });
});
