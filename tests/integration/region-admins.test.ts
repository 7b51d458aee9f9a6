// Issue 15 item 7: what region admins may do for the schools of their subtree — ceilings per school,
// flag rules within what the platform allows, and previewing what a person of the subtree gets.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { seedDemoFlags } from "#db/seed/flags";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { changeFlag, changeRegionFlagRules, evaluateFlagsForUser, flagAdminView, previewCandidates, previewFlags, regionFlagsView, setFlagOverride, type FlagKey, type RegionRuleChange } from "~/domain/rollout/flags.server";
import { schoolCeilingFor, setRegionCeiling, setSchoolCeiling } from "~/domain/places/regions.server";
import { effectivePhase, phaseCeilingOf, rolloutOverview, setSchoolPhase } from "~/domain/rollout/rollout.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";

const school = async (prefix: string) => (await first(db().select().from(schema.schools).where(eq(schema.schools.loginPrefix, prefix)).limit(1)))!;
const regionId = async (name: string) => (await first(db().select().from(schema.regions).where(eq(schema.regions.name, name)).limit(1)))!.id;
const audits = async (action: string, targetId: string) =>
  db()
        .select()
        .from(schema.auditEvents)
        .where(and(eq(schema.auditEvents.action, action), eq(schema.auditEvents.targetId, targetId)));

beforeAll(async () => {
  await demoWorld();
  await seedDemoFlags();
});

describe("issue 15 #7: ceilings per school", () => {
  it("issue 15 #7: a region admin caps one school of their subtree; the school admin cannot go above it and sees where it comes from", async () => {
    const pri = await school("zhaojue-pri"); // phase 1, under 凉山's ceiling 2
    expect(await schoolCeilingFor(await actorFor("zhaojue-pri.admin"))).toEqual({ ceiling: 2, source: { kind: "region", regionId: await regionId("凉山彝族自治州"), regionName: "凉山彝族自治州" } });

    expect(await setSchoolCeiling(await actorFor("liangshan.edu"), pri.id, { ceiling: "1" })).toEqual({ from: null, to: 1 });
    expect((await school("zhaojue-pri")).phaseCeiling).toBe(1);
    expect(await phaseCeilingOf(await school("zhaojue-pri"))).toBe(1);
    expect(await schoolCeilingFor(await actorFor("zhaojue-pri.admin"))).toEqual({ ceiling: 1, source: { kind: "school" } });
    expect((await rolloutOverview(await actorFor("zhaojue-pri.admin"))).ceiling).toBe(1);

    const error = await validationRefusal(async () => setSchoolPhase(await actorFor("zhaojue-pri.admin"), pri.id, "2"));
    expect(error.fields.phase).toMatchObject({ key: "rollout:aboveCeiling", params: { ceiling: 1 } });
    expect((await school("zhaojue-pri")).phase).toBe(1);

    const [entry, ...more] = await audits("school.ceiling", pri.id);
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({ schoolId: pri.id, detail: { from: null, to: 1 } });
  });

  it("issue 15 #7: no audit entry when the ceiling does not change", async () => {
    const pri = await school("zhaojue-pri");
    const before = (await audits("school.ceiling", pri.id)).length;
    expect(await setSchoolCeiling(await actorFor("liangshan.edu"), pri.id, { ceiling: "1" })).toEqual({ from: 1, to: 1 });
    expect(await audits("school.ceiling", pri.id)).toHaveLength(before);
  });

  it("issue 15 #7: a ceiling lowered below the school's phase caps it without changing the phase, and lifting it reopens", async () => {
    const jun = await school("zhaojue-jun"); // phase 2
    await setSchoolCeiling(await actorFor("liangshan.edu"), jun.id, { ceiling: "1" });
    expect((await school("zhaojue-jun")).phase).toBe(2);
    expect(await effectivePhase(await school("zhaojue-jun"))).toBe(1);
    await setSchoolCeiling(await actorFor("liangshan.edu"), jun.id, { ceiling: "none" });
    expect((await school("zhaojue-jun")).phaseCeiling).toBeNull();
    expect(await effectivePhase(await school("zhaojue-jun"))).toBe(2);
    expect((await audits("school.ceiling", jun.id)).map((a) => a.detail)).toEqual([
      { from: null, to: 1 },
      { from: 1, to: null },
    ]);
  });

  it("issue 15 #7: the lowest ceiling wins, and a region ceiling lowered above a school lowers the school's own with it", async () => {
    const voc = await school("zhaojue-voc"); // phase 2
    // The province may hand out 3; 凉山's 2 still caps the school.
    await setSchoolCeiling(await actorFor("sichuan.edu"), voc.id, { ceiling: "3" });
    expect(await phaseCeilingOf(await school("zhaojue-voc"))).toBe(2);
    const { lowered } = await setRegionCeiling(await actorFor("sichuan.edu"), await regionId("凉山彝族自治州"), { ceiling: "2" });
    expect(lowered).toContain(voc.id);
    expect((await school("zhaojue-voc")).phaseCeiling).toBe(2);
  });

  it("issue 15 #7: a ceiling above the region admin's own is refused", async () => {
    const error = await validationRefusal(async () => setSchoolCeiling(await actorFor("liangshan.edu"), (await school("zhaojue-voc")).id, { ceiling: "3" }));
    expect(error.fields.ceiling).toMatchObject({ key: "regions:ceilingAboveYours", params: { cap: 2 } });
  });

  it("issue 15 #7: a school admin cannot set a school ceiling, not even their own school's", async () => {
    const pri = await school("zhaojue-pri");
    await refusal(async () => setSchoolCeiling(await actorFor("zhaojue-pri.admin"), pri.id, { ceiling: "3" }), ForbiddenError);
    expect((await school("zhaojue-pri")).phaseCeiling).toBe(1);
  });

  it("issue 15 #7: a region admin cannot set the ceiling of a school outside their subtree (answered as unknown)", async () => {
    const wuhou = await school("wuhou-pri");
    await refusal(async () => setSchoolCeiling(await actorFor("liangshan.edu"), wuhou.id, { ceiling: "1" }), NotFoundError);
    await refusal(async () => setSchoolCeiling(await actorFor("liangshan.edu"), "no-such-school", { ceiling: "1" }), NotFoundError);
    await refusal(async () => schoolCeilingFor(await actorFor("liangshan.edu"), wuhou.id), NotFoundError);
    expect((await school("wuhou-pri")).phaseCeiling).toBeNull();
    expect(await audits("school.ceiling", wuhou.id)).toHaveLength(0);
  });
});

/** What a person of the demo world gets for a flag, and which step decided it. */
const flagFor = async (login: string, role: "teacher" | "student", key: FlagKey) => {
  const user = await userByLogin(login);
  return (await evaluateFlagsForUser({ id: user.id, schoolId: user.schoolId }, role)).find((e) => e.key === key)!;
};
/** The stamp /region/flags shows for a flag's rules at a region, as the form would send it back. */
const stampAt = async (login: string, regionName: string, key: FlagKey) => (await regionFlagsView(await actorFor(login), `region:${await regionId(regionName)}`)).rules!.cells.find((c) => c.key === key)!.stamp;
const writeRule = async (login: string, regionName: string, key: FlagKey, change: RegionRuleChange, region?: string) =>
  changeRegionFlagRules(await actorFor(login), { flag: key, regionId: region ?? (await regionId(regionName)), stamp: await stampAt(login, regionName, key) }, change);
const flagAudits = async (key: string) => audits("flag.region_rules", key);

describe("issue 15 #7: region admins' flag rules for their subtree", () => {
  it("issue 15 #7: a prefecture's rule opens a flag for its own people only, and the nearest region's rule wins", async () => {
    // The platform's blog rules: teachers everywhere, students only in 成都.
    expect(await flagFor("zhaojue-pri.s1", "student", "blog")).toMatchObject({ enabled: false, decision: { step: "default" } });
    await writeRule("liangshan.edu", "凉山彝族自治州", "blog", { op: "add", rule: { enabled: "on", roles: ["student"], stages: ["junior", "vocational"] } });
    expect(await flagFor("zhaojue-jun.s1", "student", "blog")).toMatchObject({ enabled: true, decision: { step: "regionRule", regionId: await regionId("凉山彝族自治州"), index: 0 } });
    expect((await flagFor("zhaojue-pri.s1", "student", "blog")).enabled).toBe(false); // primary: not named
    expect((await flagFor("kangding-jun.s1", "student", "blog")).enabled).toBe(false); // 甘孜: outside the subtree
    expect(await flagFor("zhaojue-jun.t1", "teacher", "blog")).toMatchObject({ enabled: true, decision: { step: "rule", index: 0 } });

    // 昭觉县 (below 凉山) narrows it again for its vocational school: the nearer region decides.
    await writeRule("liangshan.edu", "昭觉县", "blog", { op: "add", rule: { enabled: "off", stages: ["vocational"] } });
    expect(await flagFor("zhaojue-voc.s1", "student", "blog")).toMatchObject({ enabled: false, decision: { step: "regionRule", regionId: await regionId("昭觉县") } });
    expect((await flagFor("zhaojue-voc.t1", "teacher", "blog")).enabled).toBe(false);
    expect((await flagFor("zhaojue-jun.s1", "student", "blog")).enabled).toBe(true);

    const entries = await flagAudits("blog");
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ detail: { flag: "blog", regionId: await regionId("昭觉县"), place: "昭觉县", op: "add", before: [], after: [{ enabled: false, stages: ["vocational"] }] } });

    await writeRule("liangshan.edu", "昭觉县", "blog", { op: "remove", index: 0 });
    expect((await flagFor("zhaojue-voc.t1", "teacher", "blog")).enabled).toBe(true);
    expect(await flagAudits("blog")).toHaveLength(3);
    expect((await regionFlagsView(await actorFor("liangshan.edu"), `region:${await regionId("凉山彝族自治州")}`)).rules!.cells.find((c) => c.key === "blog")!.rules).toEqual([
      { enabled: true, roles: ["student"], stages: ["junior", "vocational"], regionNames: [] },
    ]);
  });

  it("issue 15 #7: a school's own override still beats its region's rules", async () => {
    const jun = await school("zhaojue-jun");
    await setFlagOverride(await actorFor("zhaojue-jun.admin"), { flag: "blog", scope: "school", scopeId: jun.id, enabled: "off" });
    expect(await flagFor("zhaojue-jun.s1", "student", "blog")).toMatchObject({ enabled: false, decision: { step: "override", scope: "school" } });
  });

  it("issue 15 #7: a rule may only name regions within the region's subtree", async () => {
    const before = (await flagAudits("portfolio")).length;
    const error = await validationRefusal(async () => writeRule("liangshan.edu", "昭觉县", "portfolio", { op: "add", rule: { enabled: "on", regionIds: [await regionId("凉山彝族自治州")] } }));
    expect(error.fields.regionIds).toMatchObject({ key: "flags:errors.regionOutsideSubtree", params: { region: "昭觉县" } });
    await validationRefusal(async () => writeRule("liangshan.edu", "凉山彝族自治州", "portfolio", { op: "add", rule: { enabled: "on", regionIds: [await regionId("成都市")] } }));
    // Naming a sub-region is fine.
    await writeRule("liangshan.edu", "凉山彝族自治州", "portfolio", { op: "add", rule: { enabled: "on", roles: ["student"], regionIds: [await regionId("昭觉县")] } });
    expect((await flagFor("zhaojue-pri.s1", "student", "portfolio")).enabled).toBe(true);
    expect(await flagAudits("portfolio")).toHaveLength(before + 1);
  });

  it("issue 15 #7: a region admin cannot write a rule for a region outside their subtree (answered as unknown)", async () => {
    const change: RegionRuleChange = { op: "add", rule: { enabled: "on", roles: ["student"] } };
    await refusal(async () => changeRegionFlagRules(await actorFor("liangshan.edu"), { flag: "assignments", regionId: await regionId("成都市"), stamp: "new" }, change), NotFoundError);
    await refusal(async () => changeRegionFlagRules(await actorFor("liangshan.edu"), { flag: "assignments", regionId: await regionId("四川省"), stamp: "new" }, change), NotFoundError);
    await refusal(async () => changeRegionFlagRules(await actorFor("liangshan.edu"), { flag: "assignments", regionId: "nowhere", stamp: "new" }, change), NotFoundError);
    expect(await flagAudits("assignments")).toHaveLength(0);
  });

  it("issue 15 #7: a school admin, a teacher and the platform admin acting as such cannot write region rules", async () => {
    const input = { flag: "assignments", regionId: await regionId("昭觉县"), stamp: "new" };
    const change: RegionRuleChange = { op: "add", rule: { enabled: "on" } };
    await refusal(async () => changeRegionFlagRules(await actorFor("zhaojue-pri.admin"), input, change), ForbiddenError);
    await refusal(async () => changeRegionFlagRules(await actorFor("zhaojue-pri.t1"), input, change), ForbiddenError);
    await refusal(async () => changeRegionFlagRules(await actorFor("platform"), input, change), ForbiddenError);
    expect(await flagAudits("assignments")).toHaveLength(0);
  });

  it("issue 15 #7: no rules where the platform does not let regions override the flag, nor under a lock from above", async () => {
    const platform = await actorFor("platform");
    const row = (await flagAdminView(platform)).flags.find((f) => f.key === "lesson_sharing")!;
    await changeFlag(platform, "lesson_sharing", row.stamp, { op: "settings", defaultEnabled: "off", overridable: { region: false, school: true, user: false } });
    const notOverridable = await validationRefusal(async () => writeRule("liangshan.edu", "凉山彝族自治州", "lesson_sharing", { op: "add", rule: { enabled: "on" } }));
    expect(notOverridable.key).toBe("flags:errors.levelNotOverridable");
    expect((await regionFlagsView(await actorFor("liangshan.edu"), null)).rules!.cells.find((c) => c.key === "lesson_sharing")!.refused).toMatchObject({ key: "flags:errors.levelNotOverridable" });

    // The province locks study groups off for everyone below it.
    await setFlagOverride(await actorFor("sichuan.edu"), { flag: "study_groups", scope: "region", scopeId: await regionId("四川省"), enabled: "off", locked: "on" });
    const locked = await validationRefusal(async () => writeRule("liangshan.edu", "昭觉县", "study_groups", { op: "add", rule: { enabled: "on" } }));
    expect(locked).toMatchObject({ key: "flags:errors.lockedAbove", params: { place: "四川省" } });
    expect(await flagAudits("lesson_sharing")).toHaveLength(0);
    expect(await flagAudits("study_groups")).toHaveLength(0);
  });

  it("issue 15 #7: a removal against a rule list changed since the page was shown is refused", async () => {
    const stamp = await stampAt("liangshan.edu", "凉山彝族自治州", "portfolio");
    await writeRule("liangshan.edu", "凉山彝族自治州", "portfolio", { op: "add", rule: { enabled: "off", roles: ["teacher"] } });
    const error = await validationRefusal(async () => changeRegionFlagRules(await actorFor("liangshan.edu"), { flag: "portfolio", regionId: await regionId("凉山彝族自治州"), stamp }, { op: "remove", index: 0 }));
    expect(error.key).toBe("flags:errors.stale");
  });
});

describe("issue 15 #7: region admins preview a person of their subtree", () => {
  it("issue 15 #7: shows the flags, the school's phase with where its ceiling comes from, and why the space is closed", async () => {
    const preview = await previewFlags(await actorFor("liangshan.edu"), "zhaojue-pri.s2");
    // A pupil is previewed by login only: a region admin never reads a pupil's name.
    expect(preview.user).toEqual({ realName: null, anonymous: "student", loginName: "zhaojue-pri.s2", schoolName: "昭觉县城北小学" });
    expect(JSON.stringify(preview)).not.toContain((await userByLogin("zhaojue-pri.s2")).realName);
    expect(preview.role).toBe("student");
    expect(preview.rows.find((r) => r.key === "portfolio")).toMatchObject({ enabled: true, decision: { step: "regionRule", index: 0 }, placeName: "凉山彝族自治州" });
    // Phase 1 under the school's own ceiling of 1 (set above): students are not open yet.
    expect(preview.space).toEqual({
      school: { name: "昭觉县城北小学", phase: 1, effectivePhase: 1, ceiling: 1, ceilingSource: { kind: "school" } },
      status: { open: false, reason: "phase" },
      consent: { needed: true, given: false },
    });
  });

  it("issue 15 #7: an under-14 pupil at a school in phase 2 is closed for consent, and opens once it is on record", async () => {
    const before = await previewFlags(await actorFor("liangshan.edu"), "zhaojue-jun.s2");
    expect(before.space.school).toMatchObject({ phase: 2, effectivePhase: 2, ceiling: 2, ceilingSource: { kind: "region", regionName: "凉山彝族自治州" } });
    expect(before.space.status).toEqual({ open: false, reason: "consent" });
    const student = await userByLogin("zhaojue-jun.s2");
    await db().insert(schema.consentRecords).values({ id: "region-admins-consent", studentId: student.id, guardianName: "阿呷", method: "paper", decision: "given", decidedAt: new Date(), recordedBy: (await userByLogin("zhaojue-jun.admin")).id });
    const after = await previewFlags(await actorFor("liangshan.edu"), "zhaojue-jun.s2");
    expect(after.space).toMatchObject({ status: { open: true }, consent: { needed: true, given: true } });
  });

  it("issue 15 #7: teachers, school admins and parents of the subtree can be previewed too", async () => {
    const teacher = await previewFlags(await actorFor("liangshan.edu"), "zhaojue-voc.t1");
    expect(teacher.space).toMatchObject({ status: { open: true }, consent: null });
    expect((await previewFlags(await actorFor("liangshan.edu"), "zhaojue-pri.admin")).space.status).toBeNull();
    const parent = await previewFlags(await actorFor("liangshan.edu"), "zhaojue-pri.p1");
    expect(parent.role).toBe("parent");
    expect(parent.user).toMatchObject({ realName: null, anonymous: "parent" });
    expect(teacher.user).toMatchObject({ realName: (await userByLogin("zhaojue-voc.t1")).realName, anonymous: null });
    expect(parent.space).toMatchObject({ school: null, status: { open: false, reason: "phase" }, consent: null });
    // The province reaches every school below it.
    expect((await previewFlags(await actorFor("sichuan.edu"), "wuhou-pri.t1")).role).toBe("teacher");
  });

  it("issue 15 #7: a person outside the subtree answers exactly like an unknown login", async () => {
    const outside = await validationRefusal(async () => previewFlags(await actorFor("liangshan.edu"), "wuhou-pri.s1"));
    const unknown = await validationRefusal(async () => previewFlags(await actorFor("liangshan.edu"), "nobody.here"));
    expect(outside.fields).toEqual(unknown.fields);
    expect(outside.fields.login).toEqual({ key: "flags:errors.noSuchUser" });
    // Other region admins, and the platform admin, are outside every region's subtree.
    expect((await validationRefusal(async () => previewFlags(await actorFor("liangshan.edu"), "chengdu.edu"))).fields).toEqual(unknown.fields);
    expect((await validationRefusal(async () => previewFlags(await actorFor("liangshan.edu"), "platform"))).fields).toEqual(unknown.fields);
  });

  it("issue 15 #7: school admins, teachers and parents cannot preview anyone", async () => {
    for (const login of ["zhaojue-pri.admin", "zhaojue-pri.t1", "zhaojue-pri.p1"]) await refusal(async () => previewFlags(await actorFor(login), "zhaojue-pri.s1"), ForbiddenError);
  });
});

describe("issue 15 #7: finding whom to preview by name", () => {
  it("issue 15 #7: a region admin finds staff of their subtree by a fragment of the name, never pupils or people elsewhere", async () => {
    const teacher = await userByLogin("zhaojue-voc.t1");
    const fragment = teacher.realName.slice(0, 2);
    const found = await previewCandidates(await actorFor("liangshan.edu"), fragment);
    expect(found).toContainEqual({ loginName: "zhaojue-voc.t1", realName: teacher.realName, role: "teacher", schoolName: "昭觉县职业技术学校" });
    expect(found.every((c) => c.role === "teacher" || c.role === "school_admin")).toBe(true);
    expect(found.every((c) => c.schoolName.startsWith("昭觉县"))).toBe(true);
    // A pupil's name is not searched, nor a teacher outside 凉山.
    expect((await previewCandidates(await actorFor("liangshan.edu"), (await userByLogin("zhaojue-pri.s2")).realName)).map((c) => c.loginName)).not.toContain("zhaojue-pri.s2");
    expect((await previewCandidates(await actorFor("liangshan.edu"), (await userByLogin("wuhou-pri.t1")).realName)).map((c) => c.loginName)).not.toContain("wuhou-pri.t1");
    expect((await previewCandidates(await actorFor("chengdu.edu"), (await userByLogin("wuhou-pri.t1")).realName)).map((c) => c.loginName)).toContain("wuhou-pri.t1");
  });

  it("issue 15 #7: school admins and teachers cannot search", async () => {
    for (const login of ["zhaojue-pri.admin", "zhaojue-pri.t1"]) await refusal(async () => previewCandidates(await actorFor(login), "阿"), ForbiddenError);
  });
});
