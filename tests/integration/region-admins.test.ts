// Issue 15 item 7: what region admins may do for the schools of their subtree — ceilings per school,
// flag rules within what the platform allows, and previewing what a person of the subtree gets.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { seedDemoFlags } from "#db/seed/flags";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { changeFlag, changeRegionFlagRules, evaluateFlagsForUser, flagAdminView, previewCandidates, previewFlags, regionFlagsView, setFlagOverride, type FlagKey, type RegionRuleChange } from "~/domain/rollout/flags.server";
import { schoolCeilingFor, setRegionCeiling, setSchoolCeiling } from "~/domain/places/regions.server";
import { effectivePhase, phaseCeilingOf, rolloutOverview, setSchoolPhase } from "~/domain/rollout/rollout.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";

const school = (prefix: string) => db().select().from(schema.schools).where(eq(schema.schools.loginPrefix, prefix)).get()!;
const regionId = (name: string) => db().select().from(schema.regions).where(eq(schema.regions.name, name)).get()!.id;
const audits = (action: string, targetId: string) =>
  db()
    .select()
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.action, action), eq(schema.auditEvents.targetId, targetId)))
    .all();

beforeAll(async () => {
  await demoWorld();
  await seedDemoFlags();
});

describe("issue 15 #7: ceilings per school", () => {
  it("issue 15 #7: a region admin caps one school of their subtree; the school admin cannot go above it and sees where it comes from", () => {
    const pri = school("zhaojue-pri"); // phase 1, under 凉山's ceiling 2
    expect(schoolCeilingFor(actorFor("zhaojue-pri.admin"))).toEqual({ ceiling: 2, source: { kind: "region", regionId: regionId("凉山彝族自治州"), regionName: "凉山彝族自治州" } });

    expect(setSchoolCeiling(actorFor("liangshan.edu"), pri.id, { ceiling: "1" })).toEqual({ from: null, to: 1 });
    expect(school("zhaojue-pri").phaseCeiling).toBe(1);
    expect(phaseCeilingOf(school("zhaojue-pri"))).toBe(1);
    expect(schoolCeilingFor(actorFor("zhaojue-pri.admin"))).toEqual({ ceiling: 1, source: { kind: "school" } });
    expect(rolloutOverview(actorFor("zhaojue-pri.admin")).ceiling).toBe(1);

    const error = validationRefusal(() => setSchoolPhase(actorFor("zhaojue-pri.admin"), pri.id, "2"));
    expect(error.fields.phase).toMatchObject({ key: "rollout:aboveCeiling", params: { ceiling: 1 } });
    expect(school("zhaojue-pri").phase).toBe(1);

    const [entry, ...more] = audits("school.ceiling", pri.id);
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({ schoolId: pri.id, detail: { from: null, to: 1 } });
  });

  it("issue 15 #7: no audit entry when the ceiling does not change", () => {
    const pri = school("zhaojue-pri");
    const before = audits("school.ceiling", pri.id).length;
    expect(setSchoolCeiling(actorFor("liangshan.edu"), pri.id, { ceiling: "1" })).toEqual({ from: 1, to: 1 });
    expect(audits("school.ceiling", pri.id)).toHaveLength(before);
  });

  it("issue 15 #7: a ceiling lowered below the school's phase caps it without changing the phase, and lifting it reopens", () => {
    const jun = school("zhaojue-jun"); // phase 2
    setSchoolCeiling(actorFor("liangshan.edu"), jun.id, { ceiling: "1" });
    expect(school("zhaojue-jun").phase).toBe(2);
    expect(effectivePhase(school("zhaojue-jun"))).toBe(1);
    setSchoolCeiling(actorFor("liangshan.edu"), jun.id, { ceiling: "none" });
    expect(school("zhaojue-jun").phaseCeiling).toBeNull();
    expect(effectivePhase(school("zhaojue-jun"))).toBe(2);
    expect(audits("school.ceiling", jun.id).map((a) => a.detail)).toEqual([
      { from: null, to: 1 },
      { from: 1, to: null },
    ]);
  });

  it("issue 15 #7: the lowest ceiling wins, and a region ceiling lowered above a school lowers the school's own with it", () => {
    const voc = school("zhaojue-voc"); // phase 2
    // The province may hand out 3; 凉山's 2 still caps the school.
    setSchoolCeiling(actorFor("sichuan.edu"), voc.id, { ceiling: "3" });
    expect(phaseCeilingOf(school("zhaojue-voc"))).toBe(2);
    const { lowered } = setRegionCeiling(actorFor("sichuan.edu"), regionId("凉山彝族自治州"), { ceiling: "2" });
    expect(lowered).toContain(voc.id);
    expect(school("zhaojue-voc").phaseCeiling).toBe(2);
  });

  it("issue 15 #7: a ceiling above the region admin's own is refused", () => {
    const error = validationRefusal(() => setSchoolCeiling(actorFor("liangshan.edu"), school("zhaojue-voc").id, { ceiling: "3" }));
    expect(error.fields.ceiling).toMatchObject({ key: "regions:ceilingAboveYours", params: { cap: 2 } });
  });

  it("issue 15 #7: a school admin cannot set a school ceiling, not even their own school's", () => {
    const pri = school("zhaojue-pri");
    refusal(() => setSchoolCeiling(actorFor("zhaojue-pri.admin"), pri.id, { ceiling: "3" }), ForbiddenError);
    expect(school("zhaojue-pri").phaseCeiling).toBe(1);
  });

  it("issue 15 #7: a region admin cannot set the ceiling of a school outside their subtree (answered as unknown)", () => {
    const wuhou = school("wuhou-pri");
    refusal(() => setSchoolCeiling(actorFor("liangshan.edu"), wuhou.id, { ceiling: "1" }), NotFoundError);
    refusal(() => setSchoolCeiling(actorFor("liangshan.edu"), "no-such-school", { ceiling: "1" }), NotFoundError);
    refusal(() => schoolCeilingFor(actorFor("liangshan.edu"), wuhou.id), NotFoundError);
    expect(school("wuhou-pri").phaseCeiling).toBeNull();
    expect(audits("school.ceiling", wuhou.id)).toHaveLength(0);
  });
});

/** What a person of the demo world gets for a flag, and which step decided it. */
const flagFor = (login: string, role: "teacher" | "student", key: FlagKey) => {
  const user = userByLogin(login);
  return evaluateFlagsForUser({ id: user.id, schoolId: user.schoolId }, role).find((e) => e.key === key)!;
};
/** The stamp /region/flags shows for a flag's rules at a region, as the form would send it back. */
const stampAt = (login: string, regionName: string, key: FlagKey) => regionFlagsView(actorFor(login), `region:${regionId(regionName)}`).rules!.cells.find((c) => c.key === key)!.stamp;
const writeRule = (login: string, regionName: string, key: FlagKey, change: RegionRuleChange, region = regionId(regionName)) =>
  changeRegionFlagRules(actorFor(login), { flag: key, regionId: region, stamp: stampAt(login, regionName, key) }, change);
const flagAudits = (key: string) => audits("flag.region_rules", key);

describe("issue 15 #7: region admins' flag rules for their subtree", () => {
  it("issue 15 #7: a prefecture's rule opens a flag for its own people only, and the nearest region's rule wins", () => {
    // The platform's blog rules: teachers everywhere, students only in 成都.
    expect(flagFor("zhaojue-pri.s1", "student", "blog")).toMatchObject({ enabled: false, decision: { step: "default" } });
    writeRule("liangshan.edu", "凉山彝族自治州", "blog", { op: "add", rule: { enabled: "on", roles: ["student"], stages: ["junior", "vocational"] } });
    expect(flagFor("zhaojue-jun.s1", "student", "blog")).toMatchObject({ enabled: true, decision: { step: "regionRule", regionId: regionId("凉山彝族自治州"), index: 0 } });
    expect(flagFor("zhaojue-pri.s1", "student", "blog").enabled).toBe(false); // primary: not named
    expect(flagFor("kangding-jun.s1", "student", "blog").enabled).toBe(false); // 甘孜: outside the subtree
    expect(flagFor("zhaojue-jun.t1", "teacher", "blog")).toMatchObject({ enabled: true, decision: { step: "rule", index: 0 } });

    // 昭觉县 (below 凉山) narrows it again for its vocational school: the nearer region decides.
    writeRule("liangshan.edu", "昭觉县", "blog", { op: "add", rule: { enabled: "off", stages: ["vocational"] } });
    expect(flagFor("zhaojue-voc.s1", "student", "blog")).toMatchObject({ enabled: false, decision: { step: "regionRule", regionId: regionId("昭觉县") } });
    expect(flagFor("zhaojue-voc.t1", "teacher", "blog").enabled).toBe(false);
    expect(flagFor("zhaojue-jun.s1", "student", "blog").enabled).toBe(true);

    const entries = flagAudits("blog");
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ detail: { flag: "blog", regionId: regionId("昭觉县"), place: "昭觉县", op: "add", before: [], after: [{ enabled: false, stages: ["vocational"] }] } });

    writeRule("liangshan.edu", "昭觉县", "blog", { op: "remove", index: 0 });
    expect(flagFor("zhaojue-voc.t1", "teacher", "blog").enabled).toBe(true);
    expect(flagAudits("blog")).toHaveLength(3);
    expect(regionFlagsView(actorFor("liangshan.edu"), `region:${regionId("凉山彝族自治州")}`).rules!.cells.find((c) => c.key === "blog")!.rules).toEqual([
      { enabled: true, roles: ["student"], stages: ["junior", "vocational"], regionNames: [] },
    ]);
  });

  it("issue 15 #7: a school's own override still beats its region's rules", () => {
    const jun = school("zhaojue-jun");
    setFlagOverride(actorFor("zhaojue-jun.admin"), { flag: "blog", scope: "school", scopeId: jun.id, enabled: "off" });
    expect(flagFor("zhaojue-jun.s1", "student", "blog")).toMatchObject({ enabled: false, decision: { step: "override", scope: "school" } });
  });

  it("issue 15 #7: a rule may only name regions within the region's subtree", () => {
    const before = flagAudits("portfolio").length;
    const error = validationRefusal(() => writeRule("liangshan.edu", "昭觉县", "portfolio", { op: "add", rule: { enabled: "on", regionIds: [regionId("凉山彝族自治州")] } }));
    expect(error.fields.regionIds).toMatchObject({ key: "flags:errors.regionOutsideSubtree", params: { region: "昭觉县" } });
    validationRefusal(() => writeRule("liangshan.edu", "凉山彝族自治州", "portfolio", { op: "add", rule: { enabled: "on", regionIds: [regionId("成都市")] } }));
    // Naming a sub-region is fine.
    writeRule("liangshan.edu", "凉山彝族自治州", "portfolio", { op: "add", rule: { enabled: "on", roles: ["student"], regionIds: [regionId("昭觉县")] } });
    expect(flagFor("zhaojue-pri.s1", "student", "portfolio").enabled).toBe(true);
    expect(flagAudits("portfolio")).toHaveLength(before + 1);
  });

  it("issue 15 #7: a region admin cannot write a rule for a region outside their subtree (answered as unknown)", () => {
    const change: RegionRuleChange = { op: "add", rule: { enabled: "on", roles: ["student"] } };
    refusal(() => changeRegionFlagRules(actorFor("liangshan.edu"), { flag: "assignments", regionId: regionId("成都市"), stamp: "new" }, change), NotFoundError);
    refusal(() => changeRegionFlagRules(actorFor("liangshan.edu"), { flag: "assignments", regionId: regionId("四川省"), stamp: "new" }, change), NotFoundError);
    refusal(() => changeRegionFlagRules(actorFor("liangshan.edu"), { flag: "assignments", regionId: "nowhere", stamp: "new" }, change), NotFoundError);
    expect(flagAudits("assignments")).toHaveLength(0);
  });

  it("issue 15 #7: a school admin, a teacher and the platform admin acting as such cannot write region rules", () => {
    const input = { flag: "assignments", regionId: regionId("昭觉县"), stamp: "new" };
    const change: RegionRuleChange = { op: "add", rule: { enabled: "on" } };
    refusal(() => changeRegionFlagRules(actorFor("zhaojue-pri.admin"), input, change), ForbiddenError);
    refusal(() => changeRegionFlagRules(actorFor("zhaojue-pri.t1"), input, change), ForbiddenError);
    refusal(() => changeRegionFlagRules(actorFor("platform"), input, change), ForbiddenError);
    expect(flagAudits("assignments")).toHaveLength(0);
  });

  it("issue 15 #7: no rules where the platform does not let regions override the flag, nor under a lock from above", () => {
    const platform = actorFor("platform");
    const row = flagAdminView(platform).flags.find((f) => f.key === "lesson_sharing")!;
    changeFlag(platform, "lesson_sharing", row.stamp, { op: "settings", defaultEnabled: "off", overridable: { region: false, school: true, user: false } });
    const notOverridable = validationRefusal(() => writeRule("liangshan.edu", "凉山彝族自治州", "lesson_sharing", { op: "add", rule: { enabled: "on" } }));
    expect(notOverridable.key).toBe("flags:errors.levelNotOverridable");
    expect(regionFlagsView(actorFor("liangshan.edu"), null).rules!.cells.find((c) => c.key === "lesson_sharing")!.refused).toMatchObject({ key: "flags:errors.levelNotOverridable" });

    // The province locks study groups off for everyone below it.
    setFlagOverride(actorFor("sichuan.edu"), { flag: "study_groups", scope: "region", scopeId: regionId("四川省"), enabled: "off", locked: "on" });
    const locked = validationRefusal(() => writeRule("liangshan.edu", "昭觉县", "study_groups", { op: "add", rule: { enabled: "on" } }));
    expect(locked).toMatchObject({ key: "flags:errors.lockedAbove", params: { place: "四川省" } });
    expect(flagAudits("lesson_sharing")).toHaveLength(0);
    expect(flagAudits("study_groups")).toHaveLength(0);
  });

  it("issue 15 #7: a removal against a rule list changed since the page was shown is refused", () => {
    const stamp = stampAt("liangshan.edu", "凉山彝族自治州", "portfolio");
    writeRule("liangshan.edu", "凉山彝族自治州", "portfolio", { op: "add", rule: { enabled: "off", roles: ["teacher"] } });
    const error = validationRefusal(() => changeRegionFlagRules(actorFor("liangshan.edu"), { flag: "portfolio", regionId: regionId("凉山彝族自治州"), stamp }, { op: "remove", index: 0 }));
    expect(error.key).toBe("flags:errors.stale");
  });
});

describe("issue 15 #7: region admins preview a person of their subtree", () => {
  it("issue 15 #7: shows the flags, the school's phase with where its ceiling comes from, and why the space is closed", () => {
    const preview = previewFlags(actorFor("liangshan.edu"), "zhaojue-pri.s2");
    // A pupil is previewed by login only: a region admin never reads a pupil's name.
    expect(preview.user).toEqual({ realName: null, anonymous: "student", loginName: "zhaojue-pri.s2", schoolName: "昭觉县城北小学" });
    expect(JSON.stringify(preview)).not.toContain(userByLogin("zhaojue-pri.s2").realName);
    expect(preview.role).toBe("student");
    expect(preview.rows.find((r) => r.key === "portfolio")).toMatchObject({ enabled: true, decision: { step: "regionRule", index: 0 }, placeName: "凉山彝族自治州" });
    // Phase 1 under the school's own ceiling of 1 (set above): students are not open yet.
    expect(preview.space).toEqual({
      school: { name: "昭觉县城北小学", phase: 1, effectivePhase: 1, ceiling: 1, ceilingSource: { kind: "school" } },
      status: { open: false, reason: "phase" },
      consent: { needed: true, given: false },
    });
  });

  it("issue 15 #7: an under-14 pupil at a school in phase 2 is closed for consent, and opens once it is on record", () => {
    const before = previewFlags(actorFor("liangshan.edu"), "zhaojue-jun.s2");
    expect(before.space.school).toMatchObject({ phase: 2, effectivePhase: 2, ceiling: 2, ceilingSource: { kind: "region", regionName: "凉山彝族自治州" } });
    expect(before.space.status).toEqual({ open: false, reason: "consent" });
    const student = userByLogin("zhaojue-jun.s2");
    db().insert(schema.consentRecords).values({ id: "region-admins-consent", studentId: student.id, guardianName: "阿呷", method: "paper", decision: "given", decidedAt: new Date(), recordedBy: userByLogin("zhaojue-jun.admin").id }).run();
    const after = previewFlags(actorFor("liangshan.edu"), "zhaojue-jun.s2");
    expect(after.space).toMatchObject({ status: { open: true }, consent: { needed: true, given: true } });
  });

  it("issue 15 #7: teachers, school admins and parents of the subtree can be previewed too", () => {
    const teacher = previewFlags(actorFor("liangshan.edu"), "zhaojue-voc.t1");
    expect(teacher.space).toMatchObject({ status: { open: true }, consent: null });
    expect(previewFlags(actorFor("liangshan.edu"), "zhaojue-pri.admin").space.status).toBeNull();
    const parent = previewFlags(actorFor("liangshan.edu"), "zhaojue-pri.p1");
    expect(parent.role).toBe("parent");
    expect(parent.user).toMatchObject({ realName: null, anonymous: "parent" });
    expect(teacher.user).toMatchObject({ realName: userByLogin("zhaojue-voc.t1").realName, anonymous: null });
    expect(parent.space).toMatchObject({ school: null, status: { open: false, reason: "phase" }, consent: null });
    // The province reaches every school below it.
    expect(previewFlags(actorFor("sichuan.edu"), "wuhou-pri.t1").role).toBe("teacher");
  });

  it("issue 15 #7: a person outside the subtree answers exactly like an unknown login", () => {
    const outside = validationRefusal(() => previewFlags(actorFor("liangshan.edu"), "wuhou-pri.s1"));
    const unknown = validationRefusal(() => previewFlags(actorFor("liangshan.edu"), "nobody.here"));
    expect(outside.fields).toEqual(unknown.fields);
    expect(outside.fields.login).toEqual({ key: "flags:errors.noSuchUser" });
    // Other region admins, and the platform admin, are outside every region's subtree.
    expect(validationRefusal(() => previewFlags(actorFor("liangshan.edu"), "chengdu.edu")).fields).toEqual(unknown.fields);
    expect(validationRefusal(() => previewFlags(actorFor("liangshan.edu"), "platform")).fields).toEqual(unknown.fields);
  });

  it("issue 15 #7: school admins, teachers and parents cannot preview anyone", () => {
    for (const login of ["zhaojue-pri.admin", "zhaojue-pri.t1", "zhaojue-pri.p1"]) refusal(() => previewFlags(actorFor(login), "zhaojue-pri.s1"), ForbiddenError);
  });
});

describe("issue 15 #7: finding whom to preview by name", () => {
  it("issue 15 #7: a region admin finds staff of their subtree by a fragment of the name, never pupils or people elsewhere", () => {
    const teacher = userByLogin("zhaojue-voc.t1");
    const fragment = teacher.realName.slice(0, 2);
    const found = previewCandidates(actorFor("liangshan.edu"), fragment);
    expect(found).toContainEqual({ loginName: "zhaojue-voc.t1", realName: teacher.realName, role: "teacher", schoolName: "昭觉县职业技术学校" });
    expect(found.every((c) => c.role === "teacher" || c.role === "school_admin")).toBe(true);
    expect(found.every((c) => c.schoolName.startsWith("昭觉县"))).toBe(true);
    // A pupil's name is not searched, nor a teacher outside 凉山.
    expect(previewCandidates(actorFor("liangshan.edu"), userByLogin("zhaojue-pri.s2").realName).map((c) => c.loginName)).not.toContain("zhaojue-pri.s2");
    expect(previewCandidates(actorFor("liangshan.edu"), userByLogin("wuhou-pri.t1").realName).map((c) => c.loginName)).not.toContain("wuhou-pri.t1");
    expect(previewCandidates(actorFor("chengdu.edu"), userByLogin("wuhou-pri.t1").realName).map((c) => c.loginName)).toContain("wuhou-pri.t1");
  });

  it("issue 15 #7: school admins and teachers cannot search", () => {
    for (const login of ["zhaojue-pri.admin", "zhaojue-pri.t1"]) refusal(() => previewCandidates(actorFor(login), "阿"), ForbiddenError);
  });
});
