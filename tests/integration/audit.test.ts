import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { listAuditEvents, type AuditRow } from "~/domain/rollout/audit-log.server";
import { recordAudit } from "~/domain/foundation/audit.server";
import { decideConsent } from "~/domain/families/consent.server";
import { saveGrade } from "~/domain/grading/grading.server";
import { issueLinkCodes, joinWithCode } from "~/domain/families/guardian-links.server";
import { deletePost } from "~/domain/spaces/posts.server";
import { disableAccount } from "~/domain/accounts/accounts.server";
import { assignTeacher, createClass, moveStudent } from "~/domain/classwork/classes.server";
import { changeFlag, flagAdminView, setFlagOverride } from "~/domain/rollout/flags.server";
import { renameRegion, setRegionCeiling } from "~/domain/places/regions.server";
import { updateSchool } from "~/domain/places/schools.server";
import { ForbiddenError, ValidationError } from "~/domain/foundation/errors.server";
import { randomId } from "~/domain/foundation/ids.server";
import { recordConsent, setSchoolPhase, setStudentContentApproval } from "~/domain/rollout/rollout.server";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";
import { mapInOrder } from "~/lib/in-order";

const schoolIdOf = async (login: string) => (await userByLogin(login)).schoolId!;
let siblingSchoolId = "";
let wuhouRegionId = "";

beforeAll(async () => {
  await demoWorld();
  // Admin actions in four schools: two in 武侯 (成都), one in 康定 (甘孜), one in 昭觉 (凉山).
  await createClass(await actorFor("wuhou-pri.admin"), { grade: 1, name: "审计一班", year: 2026 });
  const target = (await first(db().select().from(schema.classes).where(eq(schema.classes.name, "五年级（2）班")).limit(1)))!;
  await moveStudent(await actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s2", toClassId: target.id });
  await recordConsent(await actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s3", guardianName: "张桂兰", signedOn: "2026-09-01", decision: "given" });
  await setSchoolPhase(await actorFor("wuhou-jun.admin"), await schoolIdOf("wuhou-jun.admin"), 2);
  await createClass(await actorFor("kangding-pri.admin"), { grade: 1, name: "一年级（1）班", year: 2026 });
  await setSchoolPhase(await actorFor("zhaojue-pri.admin"), await schoolIdOf("zhaojue-pri.admin"), 2);

  // A sibling county of 武侯 with its own school and event, and a county admin for 武侯.
  const wuhou = (await first(db().select().from(schema.regions).where(eq(schema.regions.name, "武侯区")).limit(1)))!;
  wuhouRegionId = wuhou.id;
  const sibling = randomId();
  await db().insert(schema.regions).values({ id: sibling, parentId: wuhou.parentId, name: "锦江区（测试）", level: "county" });
  siblingSchoolId = randomId();
  await db().insert(schema.schools).values({ id: siblingSchoolId, regionId: sibling, name: "锦江区测试小学", stage: "primary" });
  await recordAudit({ actorId: null, action: "school.phase_change", targetType: "school", targetId: siblingSchoolId, schoolId: siblingSchoolId, detail: { from: 0, to: 1 } });
  await recordAudit({ actorId: null, action: "region.rename", targetType: "region", targetId: sibling, detail: { name: "锦江区（测试）" } });
  await recordAudit({ actorId: null, action: "region.rename", targetType: "region", targetId: wuhou.id, detail: { name: "武侯区" } });
  const countyAdmin = randomId();
  await db().insert(schema.users).values({ id: countyAdmin, handle: `c-${countyAdmin}`, loginName: "wuhou.edu.audit", realName: "武侯区教育局", status: "active" });
  await db().insert(schema.userRoles).values({ userId: countyAdmin, role: "region_admin", regionId: wuhou.id });
});

const all = async (actor: Awaited<ReturnType<typeof actorFor>>, filters = {}) => {
  const events = [];
  let cursor: string | null = null;
  do {
    const page = await listAuditEvents(actor, filters, cursor, 3);
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  return events;
};

describe("who sees which audit events", () => {
  it("a school admin sees their own school's events only", async () => {
    const events = await all(await actorFor("wuhou-pri.admin"));
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(new Set(events.map((e) => e.schoolName))).toEqual(new Set(["武侯区实验小学"]));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["class.create", "class.move_student", "consent.record"]));
    const move = events.find((e) => e.action === "class.move_student")!;
    expect(move.actor?.loginName).toBe("wuhou-pri.admin");
    expect(move.targetName).toBe((await userByLogin("wuhou-pri.s2")).realName);
  });

  it("school B's admin does not see school A's events", async () => {
    const events = await all(await actorFor("kangding-pri.admin"));
    expect(events.map((e) => e.action)).toContain("class.create");
    expect(events.some((e) => e.schoolName !== "康定市第二小学")).toBe(false);
  });

  it("a prefecture admin sees their subtree's schools, not another prefecture's", async () => {
    const events = await all(await actorFor("liangshan.edu"));
    expect(events.map((e) => e.schoolName)).toContain("昭觉县城北小学");
    expect(events.every((e) => ["昭觉县城北小学", "昭觉县民族中学", "昭觉县职业技术学校"].includes(e.schoolName ?? ""))).toBe(true);
  });

  it("a county admin sees their county's schools and region events, not a sibling county's", async () => {
    const events = await all(await actorFor("wuhou.edu.audit"));
    const schools = new Set(events.map((e) => e.schoolName).filter(Boolean));
    expect(schools).toEqual(new Set(["武侯区实验小学", "武侯区第一初级中学"]));
    expect(events.some((e) => e.targetId === siblingSchoolId)).toBe(false);
    const regionEvents = events.filter((e) => e.targetType === "region");
    expect(regionEvents.map((e) => e.targetId)).toEqual([wuhouRegionId]);
  });

  it("the province admin and the platform admin see the sibling county too", async () => {
    for (const login of ["sichuan.edu", "platform"]) {
      const events = await all(await actorFor(login));
      expect(events.some((e) => e.targetId === siblingSchoolId)).toBe(true);
      expect(events.filter((e) => e.targetType === "region")).toHaveLength(2);
    }
  });

  it("refuses teachers, students, parents and anonymous", async () => {
    for (const actor of [await actorFor("wuhou-pri.t1", "teacher"), await actorFor("wuhou-pri.t1", "parent"), await actorFor("wuhou-pri.s1"), await actorFor("wuhou-pri.p1"), null]) {
      await expect(listAuditEvents(actor)).rejects.toThrow(ForbiddenError);
    }
  });
});

describe("filters and pages", () => {
  it("filters by action prefix, matching whole segments", async () => {
    const platform = await actorFor("platform");
    const classEvents = await all(platform, { action: "class" });
    expect(classEvents.length).toBeGreaterThanOrEqual(3);
    expect(classEvents.every((e) => e.action.startsWith("class."))).toBe(true);
    expect((await all(platform, { action: "class.move_student" })).map((e) => e.action)).toEqual(["class.move_student"]);
    expect(await all(platform, { action: "clas" })).toEqual([]);
    await expect(listAuditEvents(platform, { action: "class%" })).rejects.toThrow(ValidationError);
  });

  it("filters by who did it (login name, any case)", async () => {
    const events = await all(await actorFor("platform"), { who: " WUHOU-JUN.admin " });
    expect(events.map((e) => e.action)).toEqual(["school.phase_change"]);
    expect(events[0]!.detail).toMatchObject({ from: 3, to: 2 });
    expect(await all(await actorFor("platform"), { who: "nobody.here" })).toEqual([]);
  });

  it("filters by dates in Beijing time, inclusive, and refuses a bad date beside its field", async () => {
    const platform = await actorFor("platform");
    const at = Date.UTC(2025, 0, 1, 16, 30); // 2025-01-02 00:30 in Beijing
    const id = randomId();
    await db().insert(schema.auditEvents).values({ id, actorId: null, action: "test.dated", targetType: "school", at: new Date(at) });
    expect((await all(platform, { action: "test", from: "2025-01-02", to: "2025-01-02" })).map((e) => e.id)).toEqual([id]);
    expect(await all(platform, { action: "test", to: "2025-01-01" })).toEqual([]);
    expect(await all(platform, { action: "test", from: "2025-01-03" })).toEqual([]);
    const error = await (async () => {
      try {
        await listAuditEvents(platform, { from: "2025-02-30" });
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(error?.fields.from?.key).toBe("audit:dateInvalid");
  });

  it("pages newest first with a cursor, without repeats or gaps as new events arrive", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const everything = await all(admin);
    const first = await listAuditEvents(admin, {}, null, 2);
    expect(first.events.map((e) => e.id)).toEqual(everything.slice(0, 2).map((e) => e.id));
    // A new event on top does not shift the next page.
    await createClass(admin, { grade: 2, name: "审计二班", year: 2026 });
    const second = await listAuditEvents(admin, {}, first.nextCursor, 2);
    expect(second.events.map((e) => e.id)).toEqual(everything.slice(2, 4).map((e) => e.id));
    const times = everything.map((e) => e.at.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    await expect(listAuditEvents(admin, {}, "not a cursor")).rejects.toThrow(ValidationError);
  });
});

// Issue 13 item 3: region and platform admins see counts and schools, never a pupil or a parent.
describe("issue 13 #3: pupils' and parents' events are anonymised above the school", () => {
  const PHONE = "13912345678";
  const GUARDIAN = "李秀梅";
  let assignmentTitle = "";
  let postTitle = "";
  const s1 = async () => userByLogin("wuhou-pri.s1");

  beforeAll(async () => {
    // chengdu.edu is the demo's prefecture admin for 成都, above 武侯.
    const school = await schoolIdOf("wuhou-pri.admin");
    const klass = await classIdOf("wuhou-pri", "三年级（1）班");
    const teacherId = (await userByLogin("wuhou-pri.t1")).id;
    // A published assignment of wuhou-pri.t1 to 三年级（1）班: a draft grade, then another pupil's returned grade.
    const assignmentId = randomId();
    assignmentTitle = "审计测验：分数的秘密";
    const at = new Date(Date.now() - 86_400_000);
    await db().insert(schema.assignments).values({ id: assignmentId, schoolId: school, authorId: teacherId, title: assignmentTitle, bodyJson: { type: "doc", content: [] }, bodyHtml: "", status: "published", openAt: at, dueAt: new Date(Date.now() + 86_400_000), points: 100, createdAt: at, updatedAt: at });
    await db().insert(schema.assignmentClasses).values({ assignmentId, classId: klass });
    const form = (f: Record<string, string>) => new Map(Object.entries(f));
    await saveGrade(await actorFor("wuhou-pri.t1", "teacher"), assignmentId, (await s1()).id, form({ score: "61", feedback: "", gradeVersion: "0", intent: "draft" }));
    await saveGrade(await actorFor("wuhou-pri.t1", "teacher"), assignmentId, (await userByLogin("wuhou-pri.s4")).id, form({ score: "88", feedback: "", gradeVersion: "0", intent: "return" }));
    // A pupil's post deleted by the school admin: the audit keeps its title.
    postTitle = "我的秘密日记（审计）";
    const postId = randomId();
    await db().insert(schema.posts).values({ id: postId, authorId: (await s1()).id, schoolId: school, title: postTitle, bodyJson: { type: "doc", content: [] }, bodyHtml: "", visibility: "classes", status: "published", publishedAt: at, createdAt: at, updatedAt: at });
    await deletePost(await actorFor("wuhou-pri.admin"), postId);
    // A consent decision online by a parent (the paper one with 张桂兰 is recorded above).
    await decideConsent(await actorFor("wuhou-pri.p2"), (await userByLogin("wuhou-pri.s2")).id, "given");
    // A parent signs up with a link code: the phone number is the login name.
    const code = (await issueLinkCodes(await actorFor("wuhou-pri.t1", "teacher"), klass, [(await userByLogin("wuhou-pri.s3")).id]))[0]!.code;
    await joinWithCode({ code, realName: GUARDIAN, phone: PHONE, password: "秋天的雨 is a key", confirm: "秋天的雨 is a key" }, { address: "198.51.100.77", userAgent: "vitest" });
  });

  const personal = (events: AuditRow[]) => JSON.stringify(events.map((e) => ({ ...e, at: undefined })));
  const pupilNames = async () => (await mapInOrder(["wuhou-pri.s1", "wuhou-pri.s2", "wuhou-pri.s3", "wuhou-pri.s4"], async (l) => [(await userByLogin(l)).realName, l, (await userByLogin(l)).id])).flat();
  const parentNames = async () => [(await userByLogin("wuhou-pri.p2")).realName, "wuhou-pri.p2", GUARDIAN, PHONE, "张桂兰"];

  for (const login of ["sichuan.edu", "chengdu.edu", "platform"]) {
    it(`${login} reads grade changes, draft grades, post titles, consent decisions and a parent's sign-up with no pupil or parent in them`, async () => {
      const events = (await all(await actorFor(login))).filter((e) => e.schoolName === "武侯区实验小学" || e.schoolName === null);
      const text = personal(events);
      for (const secret of [...await pupilNames(), ...await parentNames(), assignmentTitle, postTitle, "61", "88"]) expect(text).not.toContain(secret);
      const draft = events.find((e) => e.action === "grade.save")!;
      expect(draft).toMatchObject({ actor: { loginName: "wuhou-pri.t1" }, actorAnonymous: null, targetAnonymous: "student", targetId: null, targetName: null, detail: null, schoolName: "武侯区实验小学" });
      expect(events.find((e) => e.action === "grade.return")).toMatchObject({ targetAnonymous: "student", detail: null });
      expect(events.find((e) => e.action === "post.delete")).toMatchObject({ actor: { loginName: "wuhou-pri.admin" }, detail: null });
      expect(events.find((e) => e.action === "consent.record")).toMatchObject({ targetAnonymous: "student", detail: null });
      expect(events.find((e) => e.action === "consent.online")).toMatchObject({ actor: null, actorAnonymous: "parent", targetAnonymous: "student", detail: null });
      expect(events.find((e) => e.action === "guardian_link.create")).toMatchObject({ actor: null, actorAnonymous: "parent", targetAnonymous: "student", detail: null });
      // The sign-up itself has no school: only the platform sees it, as "a parent".
      const signUp = events.find((e) => e.action === "account.activate" && e.schoolName === null);
      if (login === "platform") expect(signUp).toMatchObject({ actor: null, actorAnonymous: "parent", targetAnonymous: "parent", targetId: null });
      // Facts about places and staff stay readable.
      expect(events.filter((e) => e.action === "class.create").map((e) => e.detail?.name)).toContain("审计一班");
    });

    it(`${login}'s "who" filter finds staff, never a pupil or a parent`, async () => {
      const admin = await actorFor(login);
      expect(await all(admin, { who: PHONE })).toEqual([]);
      expect(await all(admin, { who: "wuhou-pri.p2" })).toEqual([]);
      expect(await all(admin, { who: "wuhou-pri.s1" })).toEqual([]);
      expect((await all(admin, { who: "wuhou-pri.t1" })).map((e) => e.action)).toEqual(expect.arrayContaining(["grade.save", "grade.return"]));
    });
  }

  it("the school's own admin keeps the full view: names, logins, grades, titles, guardians, the phone login", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const events = await all(admin);
    expect(events.every((e) => e.actorAnonymous === null && e.targetAnonymous === null)).toBe(true);
    const draft = events.find((e) => e.action === "grade.save")!;
    expect(draft.targetName).toBe((await s1()).realName);
    expect(draft.detail).toMatchObject({ assignment: assignmentTitle, after: { score: 61, state: "draft" } });
    expect(events.find((e) => e.action === "post.delete")!.detail).toMatchObject({ title: postTitle });
    expect(events.find((e) => e.action === "consent.record")!.detail).toMatchObject({ guardian: "张桂兰" });
    expect(events.find((e) => e.action === "consent.online")!.actor?.loginName).toBe("wuhou-pri.p2");
    expect(events.find((e) => e.action === "guardian_link.create")!.actor?.loginName).toBe(PHONE);
    expect((await all(admin, { who: PHONE })).map((e) => e.action)).toContain("guardian_link.create");
  });

  it("another school's admin sees none of it", async () => {
    const text = personal(await all(await actorFor("kangding-pri.admin")));
    for (const secret of [...await pupilNames(), ...await parentNames(), assignmentTitle, postTitle]) expect(text).not.toContain(secret);
  });
});

describe("issue 15 #8: a change that changed nothing is not audited", () => {
  const countOf = async (action: string) => (await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.action, action))).length;
  /** Runs the change twice; the first counts once, the second (the same again) not at all. */
  const onceOnly = async (action: string, change: () => unknown) => {
    const before = await countOf(action);
    await change();
    expect(await countOf(action)).toBe(before + 1);
    await change();
    expect(await countOf(action)).toBe(before + 1);
  };
  const region = async (name: string) => (await first(db().select().from(schema.regions).where(eq(schema.regions.name, name)).limit(1)))!;

  it("the same phase again", async () => {
    const admin = await actorFor("kangding-pri.admin");
    await onceOnly("school.phase_change", async () => setSchoolPhase(admin, await schoolIdOf("kangding-pri.admin"), 1));
  });

  it("the same ceiling and the same name of a region again", async () => {
    const admin = await actorFor("liangshan.edu");
    const zhaojue = await region("昭觉县");
    await onceOnly("region.ceiling", async () => setRegionCeiling(admin, zhaojue.id, { ceiling: zhaojue.phaseCeiling === 1 ? "2" : "1" }));
    await onceOnly("region.rename", async () => renameRegion(admin, zhaojue.id, { name: "昭觉县（改）" }));
    await renameRegion(admin, zhaojue.id, { name: "昭觉县" });
  });

  it("a school saved with identical fields", async () => {
    const admin = await actorFor("liangshan.edu");
    const school = (await first(db().select().from(schema.schools).where(eq(schema.schools.id, await schoolIdOf("zhaojue-pri.admin"))).limit(1)))!;
    const fields = { name: school.name, stage: school.stage, defaultLocale: school.defaultLocale, tags: school.tags ?? [], loginPrefix: school.loginPrefix ?? "" };
    const before = await countOf("school.update");
    await updateSchool(admin, school.id, fields);
    expect(await countOf("school.update")).toBe(before);
    await onceOnly("school.update", async () => updateSchool(admin, school.id, { ...fields, tags: [...fields.tags, "audit-test"] }));
  });

  it("the same flag override, the same flag settings, the same approval setting", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const schoolId = await schoolIdOf("wuhou-pri.admin");
    await onceOnly("flag.override_set", async () => setFlagOverride(admin, { flag: "blog", scope: "school", scopeId: schoolId, enabled: "off" }));
    await onceOnly("school.content_approval", async () => setStudentContentApproval(admin, schoolId, "off"));
    const platform = await actorFor("platform");
    const settings = { op: "settings", defaultEnabled: "off", overridable: { region: true, school: true, user: true } } as const;
    const stamp = async () => (await flagAdminView(platform)).flags.find((f) => f.key === "blog")!.stamp;
    const before = await countOf("flag.rule_change");
    await changeFlag(platform, "blog", await stamp(), settings);
    expect(await countOf("flag.rule_change")).toBe(before);
  });

  it("a teacher assigned to a class again as they already are, the same class move (refused)", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const classId = await classIdOf("wuhou-pri", "五年级（2）班");
    await onceOnly("class.assign_teacher", async () => assignTeacher(admin, classId, { teacherId: (await userByLogin("wuhou-pri.t2")).id, subject: "科学" }));
    const moves = await countOf("class.move_student");
    await expect(moveStudent(admin, { student: "wuhou-pri.s2", toClassId: classId })).rejects.toThrow(ValidationError);
    expect(await countOf("class.move_student")).toBe(moves);
  });

  it("the same paper consent entered twice, an account disabled twice", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const paper = { student: "wuhou-pri.s4", guardianName: "刘秀英", signedOn: "2026-09-02", decision: "given" };
    let first = "";
    await onceOnly("consent.record", async () => (first ||= (await recordConsent(admin, paper)).recordId));
    expect((await recordConsent(admin, paper)).recordId).toBe(first);
    await onceOnly("account.disable", async () => disableAccount(admin, (await userByLogin("wuhou-pri.s6")).id));
  });

  it("a grade saved again unchanged", async () => {
    const draft = (await first(db().select().from(schema.submissions).where(eq(schema.submissions.score, 61)).limit(1)))!;
    const form = (version: number) => new Map(Object.entries({ score: "61", feedback: "", gradeVersion: String(version), intent: "draft" }));
    const before = await countOf("grade.save");
    await saveGrade(await actorFor("wuhou-pri.t1", "teacher"), draft.assignmentId, draft.studentId, form(draft.gradeVersion));
    expect(await countOf("grade.save")).toBe(before);
  });

  it("the wrong person is refused and leaves no entry either", async () => {
    const before = (await db().select().from(schema.auditEvents)).length;
    await expect(setSchoolPhase(await actorFor("wuhou-pri.t1"), await schoolIdOf("wuhou-pri.admin"), 1)).rejects.toThrow();
    await expect(renameRegion(await actorFor("chengdu.edu"), (await region("昭觉县")).id, { name: "昭觉县" })).rejects.toThrow();
    await expect(disableAccount(await actorFor("kangding-pri.admin"), (await userByLogin("wuhou-pri.s6")).id)).rejects.toThrow(ForbiddenError);
    expect((await db().select().from(schema.auditEvents)).length).toBe(before);
  });
});
