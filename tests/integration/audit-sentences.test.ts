// Issue 15 item 8: the audit log reads as sentences in the reader's language, filters by translated
// action names, shows a batch as one entry with its list, and resolves a page in a fixed number of statements.
import { eq } from "drizzle-orm";
import { mapInOrder } from "~/lib/in-order";
import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { archiveClass, createClass, createClasses } from "~/domain/classwork/classes.server";
import { listAuditEvents, type AuditRow } from "~/domain/rollout/audit-log.server";
import { recordAudit } from "~/domain/foundation/audit.server";
import { ForbiddenError } from "~/domain/foundation/errors.server";
import { setFlagOverride } from "~/domain/rollout/flags.server";
import { setRegionCeiling, setSchoolCeiling } from "~/domain/places/regions.server";
import { recordConsent, setSchoolPhase, setStudentContentApproval } from "~/domain/rollout/rollout.server";
import { updateSchool } from "~/domain/places/schools.server";
import { i18next } from "~/i18next.server";
import { auditActionChoices, auditSentence, type AuditEventView } from "~/lib/audit-sentences";
import { readLocales } from "../../scripts/check-locales.mjs";
import { countStatements } from "../support/count-statements";
import { actorFor, demoWorld, userByLogin } from "../support/world";

const LNGS = ["zh-Hans", "bo", "ii", "en"] as const;
const schoolIdOf = async (login: string) => (await userByLogin(login)).schoolId!;
const view = (e: AuditRow): AuditEventView => ({ ...e, at: "", atIso: "", who: e.actor?.realName ?? null, whoLogin: e.actor?.loginName ?? null, whoAnonymous: e.actorAnonymous });
const sentences = async (login: string, lng: (typeof LNGS)[number], filters = {}) => {
  const t = await i18next.getFixedT(lng, "audit");
  return (await listAuditEvents(await actorFor(login), filters, null, 200)).events.map((e) => ({ action: e.action, text: auditSentence(t, view(e)), event: e }));
};
let batchClassId = "";

beforeAll(async () => {
  await demoWorld();
  const zhaojue = (await first(db().select().from(schema.regions).where(eq(schema.regions.name, "昭觉县")).limit(1)))!;
  await setRegionCeiling(await actorFor("liangshan.edu"), zhaojue.id, { ceiling: "1" });
  await setRegionCeiling(await actorFor("liangshan.edu"), zhaojue.id, { ceiling: "2" });
  await setSchoolCeiling(await actorFor("liangshan.edu"), await schoolIdOf("zhaojue-pri.admin"), { ceiling: "1" });
  await setSchoolCeiling(await actorFor("liangshan.edu"), await schoolIdOf("zhaojue-pri.admin"), { ceiling: "" });
  const admin = await actorFor("wuhou-pri.admin");
  const klass = await createClass(admin, { grade: 4, name: "四年级（1）班", year: 2026 });
  batchClassId = klass.id;
  await archiveClass(admin, (await createClass(admin, { grade: 6, name: "六年级（9）班", year: 2026 })).id);
  await createClasses(admin, [{ grade: 4, name: "四年级（7）班", year: 2026 }, { grade: 4, name: "四年级（8）班", year: 2026 }], { action: "roster.create_classes", targetType: "roster_import", targetId: "import-1" });
  await recordConsent(admin, { student: "wuhou-pri.s3", guardianName: "张桂兰", signedOn: "2026-09-01", decision: "given" });
  await setStudentContentApproval(admin, await schoolIdOf("wuhou-pri.admin"), "off");
  await setFlagOverride(admin, { flag: "portfolio", scope: "school", scopeId: await schoolIdOf("wuhou-pri.admin"), enabled: "off", locked: "on" });
  await setSchoolPhase(await actorFor("zhaojue-pri.admin"), await schoolIdOf("zhaojue-pri.admin"), 2);
  const school = (await first(db().select().from(schema.schools).where(eq(schema.schools.id, await schoolIdOf("zhaojue-pri.admin"))).limit(1)))!;
  await updateSchool(await actorFor("liangshan.edu"), school.id, { name: school.name, stage: school.stage, defaultLocale: "zh-Hans", tags: school.tags ?? [], loginPrefix: school.loginPrefix ?? "" });
  // A batch of another area (no sentence of its own yet): one entry, its pupils in a list.
  const pupils = (await mapInOrder(["wuhou-pri.s1", "wuhou-pri.s2", "wuhou-pri.s3"], async (l) => (await userByLogin(l)).id));
  await recordAudit({ actorId: (await userByLogin("wuhou-pri.admin")).id, action: "slips.batch_test", targetType: "class", targetId: klass.id, schoolId: klass.schoolId, detail: { students: pupils, count: pupils.length } });
});

describe("issue 15 #8: every action reads as a sentence", () => {
  it("every action the domain records has a name and a sentence in all four locales", () => {
    const table = readLocales("locales") as Record<string, Record<string, string>>;
    const actions = new Set(["comment.approve", "comment.reject", "post.approve", "post.reject", "grade.save", "grade.return", "account.login_renamed"]);
    for (const file of readdirSync("app/domain", { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".ts"))) {
      for (const m of readFileSync(`app/domain/${file}`, "utf8").matchAll(/action: "([a-z_]+\.[a-z_]+)"/g)) actions.add(m[1]!);
    }
    expect(actions.size).toBeGreaterThan(25);
    for (const lng of LNGS) {
      for (const action of actions) {
        expect(table[lng]![`audit:actions.${action}`], `${lng} actions.${action}`).toBeTruthy();
        expect(table[lng]![`audit:sentences.${action}`], `${lng} sentences.${action}`).toBeTruthy();
      }
    }
  });

  it("reads changes as sentences with translated values, in Chinese", async () => {
    const zh = (await sentences("wuhou-pri.admin", "zh-Hans")).map((s) => s.text);
    const admin = (await userByLogin("wuhou-pri.admin")).realName;
    expect(zh).toContain(`${admin}把 六年级（9）班 归档`);
    expect(zh).toContain(`${admin}从花名册新建了 2 个班级：四年级（7）班；四年级（8）班`);
    expect(zh).toContain(`${admin}把 武侯区实验小学 的学生内容审核从“按学段默认”改为“关”`);
    expect(zh).toContain(`${admin}把 武侯区实验小学 的功能“成长档案”从“未设置”设为“关，并锁定”`);
    expect(zh).toContain(`${admin}登记了 张桂兰 为 ${(await userByLogin("wuhou-pri.s3")).realName} 签署的纸质同意书：同意（签字日期 2026-09-01）`);
    const region = (await sentences("liangshan.edu", "zh-Hans")).map((s) => s.text);
    expect(region).toContain("吉克阿呷把 昭觉县 的最高阶段从“教师开通”改为“教师和学生开通”");
    expect(region).toContain("吉克阿呷把 昭觉县 的最高阶段从“不设上限”改为“教师开通”");
    expect(region).toContain("吉克阿呷把 昭觉县城北小学 的最高阶段从“不设上限”改为“教师开通”");
    expect(region).toContain("吉克阿呷把 昭觉县城北小学 的最高阶段从“教师开通”改为“不设上限”");
    expect(region).toContain(`${(await userByLogin("zhaojue-pri.admin")).realName}把 昭觉县城北小学 的开通阶段从“教师开通”调到“教师和学生开通”`);
    expect(region).toContain("吉克阿呷修改了 昭觉县城北小学：默认界面语言由“ꆈꌠꉙ”改为“中文”");
  });

  it("reads in Yi, Tibetan and English too, never showing a raw key, JSON or a missing value", async () => {
    for (const lng of LNGS) {
      for (const login of ["wuhou-pri.admin", "liangshan.edu", "platform"]) {
        for (const { action, text } of await sentences(login, lng)) {
          expect(text, `${lng} ${action}`).not.toMatch(/\{\{|\{"|\[object|undefined|null|NaN|sentences\.|actions\.|gradeStates\.|values\.|common:|flags:/);
          if (!action.includes("batch_test")) expect(text, `${lng} ${action}`).not.toContain(action);
          if (lng === "ii" && !action.includes("batch_test")) expect(text, action).toMatch(/[\uA000-\uA4CF]/);
          if (lng === "bo" && !action.includes("batch_test")) expect(text, action).toMatch(/[\u0F00-\u0FFF]/);
        }
      }
    }
    const ii = (await sentences("liangshan.edu", "ii")).map((s) => s.text);
    expect(ii).toContain("吉克阿呷 昭觉县 ꁉꇜ “ꂘꃀꄖꁉꀐ” ꀋ “ꂘꃀꌋꆀꌶꌺꄖꁉꀐ” ꊂꀐ");
  });

  it("above the school the sentence uses the anonymous words: a region admin reads no pupil's or guardian's name", async () => {
    const pupil = (await userByLogin("wuhou-pri.s3")).realName;
    const consent = (await sentences("chengdu.edu", "zh-Hans", { action: "consent.record" })).map((s) => s.text);
    expect(consent.length).toBeGreaterThan(0);
    for (const text of consent) {
      expect(text).toContain("一名学生");
      expect(text).not.toContain(pupil);
      expect(text).not.toContain("张桂兰");
    }
    // The school's own admin reads the names.
    expect((await sentences("wuhou-pri.admin", "zh-Hans", { action: "consent.record" })).some((s) => s.text.includes(pupil))).toBe(true);
  });

  it("an action without a sentence reads as its name and target; a batch is one entry with its list", async () => {
    const [batch] = (await sentences("wuhou-pri.admin", "zh-Hans", { action: "slips" }));
    expect(batch!.text).toBe(`${(await userByLogin("wuhou-pri.admin")).realName}：slips.batch_test（四年级（1）班）`);
    expect(batch!.event.list?.map((p) => p.name)).toEqual((await mapInOrder(["wuhou-pri.s1", "wuhou-pri.s2", "wuhou-pri.s3"], async (l) => (await userByLogin(l)).realName)));
    // Above the school: no list, no names.
    const above = (await listAuditEvents(await actorFor("chengdu.edu"), { action: "slips" })).events;
    expect(above).toHaveLength(1);
    expect(above[0]!.list).toBeNull();
    expect(JSON.stringify(above[0])).not.toContain((await userByLogin("wuhou-pri.s1")).realName);
    expect(batchClassId).toBeTruthy();
  });

  it("a page costs a fixed number of statements, however many rows, people and lists it holds", async () => {
    const pupils = (await db().select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.schoolId, await schoolIdOf("wuhou-pri.admin")))).map((u) => u.id);
    for (let i = 0; i < 60; i++) await recordAudit({ actorId: (await userByLogin("wuhou-pri.admin")).id, action: "slips.batch_test", targetType: "user", targetId: pupils[i % pupils.length]!, schoolId: await schoolIdOf("wuhou-pri.admin"), detail: { students: pupils.slice(0, 1 + i), authorId: pupils[i % pupils.length] } });
    for (const reader of [await actorFor("wuhou-pri.admin"), await actorFor("chengdu.edu"), await actorFor("platform")]) {
      // The rows; the names of users (targets and the people details name), classes, schools, regions and library resources; who of them is a pupil or parent; the scope's name.
      const counts = (await mapInOrder([10, 50, 100], async (limit) => countStatements(async () => listAuditEvents(reader, {}, null, limit))));
      expect(Math.max(...counts)).toBeLessThanOrEqual(8);
    }
  });
});

describe("issue 15 #8: filter by translated action names", () => {
  it("offers the actions by kind with translated names, sending the key", async () => {
    const t = await i18next.getFixedT("zh-Hans", "audit");
    const classes = auditActionChoices(t).find((g) => g.group === "class")!;
    expect(classes.label).toBe("班级");
    expect(classes.actions).toContainEqual({ key: "class.archive", label: "归档班级" });
    const ii = auditActionChoices(await i18next.getFixedT("ii", "audit"));
    expect(ii.every((g) => g.actions.every((a) => /[\uA000-\uA4CF]/.test(a.label)))).toBe(true);
    const archived = (await listAuditEvents(await actorFor("wuhou-pri.admin"), { action: "class.archive" })).events;
    expect(archived.map((e) => e.action)).toEqual(["class.archive"]);
  });

  it("refuses the log, filtered or not, to a teacher", async () => {
    await expect(listAuditEvents(await actorFor("wuhou-pri.t1"), { action: "class.archive" })).rejects.toThrow(ForbiddenError);
  });
});
