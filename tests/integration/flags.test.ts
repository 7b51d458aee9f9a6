import { and, eq } from "drizzle-orm";
import { countStatements } from "../support/count-statements";
import i18next, { type Resource } from "i18next";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { seedDemoFlags } from "#db/seed/flags";
import type { Actor } from "~/domain/foundation/actor.server";
import { DomainError, ForbiddenError, ValidationError } from "~/domain/foundation/errors.server";
import {
  bumpFlagsVersion,
  changeFlag,
  clearFlagOverride,
  FeatureClosedError,
  featuresFor,
  FLAG_KEYS,
  flagAdminView,
  isFeatureEnabled,
  previewFlags,
  regionFlagsView,
  requireFeature,
  schoolFlagsView,
  schoolPersonByLogin,
  setFlagOverride,
} from "~/domain/rollout/flags.server";
import { randomId } from "~/domain/foundation/ids.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";

const region = async (name: string) => (await first(db().select().from(schema.regions).where(eq(schema.regions.name, name)).limit(1)))!;
const school = async (login: string) => (await first(db().select().from(schema.schools).where(eq(schema.schools.loginPrefix, login)).limit(1)))!;
const stampOf = async (key: string) => (await flagAdminView(await actorFor("platform"))).flags.find((f) => f.key === key)!.stamp;

async function refusal(run: () => unknown): Promise<DomainError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}


// The demo world comes with the demo flag rules; these first tests look at flags as the code
// defines them, before any platform edit, so they start without the rows and restore them after.
beforeAll(async () => {
  await demoWorld();
  await db().delete(schema.featureFlags);
  await bumpFlagsVersion();
});

describe("evaluation before any edit", () => {
  it("has all seven flags off by their code default, decided by the default", async () => {
    const teacher = await actorFor("wuhou-pri.t1", "teacher");
    expect(Object.keys(await featuresFor(teacher)).sort()).toEqual([...FLAG_KEYS].sort());
    expect(Object.values(await featuresFor(teacher)).every((v) => v === false)).toBe(true);
    expect((await featuresFor(null)).blog).toBe(false);
    expect((await previewFlags(await actorFor("platform"), "wuhou-pri.t1")).rows.every((r) => r.decision.step === "default")).toBe(true);
  });

  it("refuses a closed capability with a FeatureClosedError naming the flag", async () => {
    const e = await refusal(async () => requireFeature(await actorFor("wuhou-pri.s1"), "blog"));
    expect(e).toBeInstanceOf(FeatureClosedError);
    expect(e.status).toBe(403);
    expect(e.key).toBe("flags:notYetOpen");
    expect(e.params).toEqual({ flag: "blog" });
  });

  it("translates the not-yet-open page naming the capability in the reader's language", async () => {
    const resources: Resource = {};
    for (const lng of ["zh-Hans", "bo", "ii", "en"]) resources[lng] = { flags: JSON.parse(readFileSync(`locales/${lng}/flags.json`, "utf8")) };
    const i18n = i18next.createInstance();
    await i18n.init({ resources, lng: "zh-Hans", fallbackLng: "zh-Hans", ns: ["flags"], interpolation: { escapeValue: false } });
    expect(i18n.t("flags:notYetOpen", { flag: "study_groups" })).toContain("“学习小组”还没有向你的学校开放");
    expect(i18n.getFixedT("en")("flags:notYetOpen", { flag: "blog" })).toContain("“Blog” is not yet open for your school");
    expect(i18n.getFixedT("bo")("flags:notYetOpen", { flag: "blog" })).toContain("དྲ་ཐོག་ཉིན་ཐོ");
    expect(i18n.getFixedT("ii")("flags:notYetOpen", { flag: "blog" })).toContain("ꁱꄯꒉ");
    expect(i18n.getFixedT("en")("flags:errors.levelNotOverridable", { level: "user" })).toBe("This capability cannot be set per Person.");
  });
});

describe("the demo rules: teachers first, developed areas first, vocational first", () => {
  beforeAll(async () => {
    expect((await seedDemoFlags()).created).toBe(8); // put back after the code-default tests above
    expect((await seedDemoFlags()).created).toBe(0); // idempotent
  });

  it("opens the blog to every teacher, and to students only in 成都市", async () => {
    expect(await isFeatureEnabled(await actorFor("kangding-pri.t1", "teacher"), "blog")).toBe(true);
    expect(await isFeatureEnabled(await actorFor("wuhou-pri.s1", "student"), "blog")).toBe(true);
    expect(await isFeatureEnabled(await actorFor("kangding-pri.s1", "student"), "blog")).toBe(false);
    const preview = await previewFlags(await actorFor("platform"), "wuhou-pri.s1");
    expect(preview.rows.find((r) => r.key === "blog")!.decision).toEqual({ step: "rule", index: 1 });
    expect(preview.rows.find((r) => r.key === "study_groups")!.decision).toEqual({ step: "default" });
  });

  it("opens lesson sharing to every teacher and to vocational schools, and cross-school groups to junior and vocational", async () => {
    expect((await featuresFor(await actorFor("garze-voc.t1"))).lesson_sharing).toBe(true);
    expect((await featuresFor(await actorFor("zhaojue-voc.s1"))).lesson_sharing).toBe(true);
    expect((await featuresFor(await actorFor("kangding-pri.t1"))).lesson_sharing).toBe(true);
    expect((await featuresFor(await actorFor("kangding-pri.s1", "student"))).lesson_sharing).toBe(false);
    expect((await featuresFor(await actorFor("zhaojue-jun.s1"))).cross_school_groups).toBe(true);
    expect((await featuresFor(await actorFor("zhaojue-pri.s1"))).cross_school_groups).toBe(false);
  });

  it("evaluates a parent by their own override, the rules and the default, not by any school", async () => {
    const parent = await actorFor("wuhou-pri.p1", "parent");
    // parent_access's rule names 武侯区; a parent has no school, so it does not match.
    expect(await isFeatureEnabled(parent, "parent_access")).toBe(false);
    expect((await previewFlags(await actorFor("platform"), "wuhou-pri.p1")).rows.find((r) => r.key === "parent_access")!.decision.step).toBe("default");
  });

  it("evaluates a teacher who is also a parent in the role they act in", async () => {
    expect(await isFeatureEnabled(await actorFor("wuhou-pri.t1", "teacher"), "study_groups")).toBe(true);
    expect(await isFeatureEnabled(await actorFor("wuhou-pri.t1", "parent"), "study_groups")).toBe(false);
  });
});

describe("rules: only the platform admin edits them, and unknown names are refused beside the field", () => {
  it("adds, moves and removes a rule, with an audit event holding before and after", async () => {
    const platform = await actorFor("platform");
    await changeFlag(platform, "study_groups", await stampOf("study_groups"), { op: "add", rule: { enabled: "on", roles: ["student"], stages: ["vocational"], regionIds: [(await region("成都市")).id], tags: "Vocational-Pilot" } });
    let rules = (await flagAdminView(platform)).flags.find((f) => f.key === "study_groups")!.rules;
    // The demo has two rules (teachers; students of junior, senior and vocational schools): the new one is third.
    expect(rules[2]).toMatchObject({ enabled: true, roles: ["student"], stages: ["vocational"], tags: ["vocational-pilot"], regionNames: ["成都市"] });
    expect(await isFeatureEnabled(await actorFor("wuhou-voc.s1", "student"), "study_groups")).toBe(true);
    expect(await isFeatureEnabled(await actorFor("wuhou-pri.s1", "student"), "study_groups")).toBe(false);

    await changeFlag(platform, "study_groups", await stampOf("study_groups"), { op: "move", index: 2, to: 0 });
    rules = (await flagAdminView(platform)).flags.find((f) => f.key === "study_groups")!.rules;
    expect(rules.map((r) => r.stages ?? [])).toEqual([["vocational"], [], ["junior", "senior", "vocational"]]);
    await changeFlag(platform, "study_groups", await stampOf("study_groups"), { op: "remove", index: 0 });
    expect((await flagAdminView(platform)).flags.find((f) => f.key === "study_groups")!.rules.map((r) => r.roles)).toEqual([["teacher"], ["student"]]);

    const audit = await db().select().from(schema.auditEvents).where(and(eq(schema.auditEvents.action, "flag.rule_change"), eq(schema.auditEvents.targetId, "study_groups")));
    expect(audit).toHaveLength(3);
    expect((audit[0]!.detail as { before: { rules: unknown[] }; after: { rules: unknown[] } }).before.rules).toHaveLength(2);
    expect((audit[0]!.detail as { before: { rules: unknown[] }; after: { rules: unknown[] } }).after.rules).toHaveLength(3);
  });

  it("refuses an unknown role, stage, region, a malformed tag and an unknown flag, each beside its field", async () => {
    const platform = await actorFor("platform");
    const stamp = await stampOf("blog");
    const e = (await refusal(async () =>
      changeFlag(platform, "blog", stamp, { op: "add", rule: { enabled: "on", roles: ["headmaster"], stages: ["kindergarten"], regionIds: ["nowhere"], tags: "民族地区" } }),
    )) as ValidationError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.fields).toEqual({
      roles: { key: "flags:errors.unknownRole", params: { value: "headmaster" } },
      stages: { key: "flags:errors.unknownStage", params: { value: "kindergarten" } },
      regionIds: { key: "flags:errors.unknownRegion", params: { value: "nowhere" } },
      tags: { key: "flags:errors.badTag", params: { value: "民族地区" } },
    });
    const noOutcome = (await refusal(async () => changeFlag(platform, "blog", stamp, { op: "add", rule: { enabled: "" } }))) as ValidationError;
    expect(noOutcome.fields.enabled?.key).toBe("flags:errors.enabledRequired");
    const unknownFlag = (await refusal(async () => changeFlag(platform, "chat", stamp, { op: "add", rule: { enabled: "on" } }))) as ValidationError;
    expect(unknownFlag.fields.flag).toEqual({ key: "flags:errors.unknownFlag", params: { value: "chat" } });
    expect((await flagAdminView(platform)).flags.find((f) => f.key === "blog")!.rules).toHaveLength(2);
  });

  it("refuses an edit made against a rule list someone has changed since", async () => {
    const platform = await actorFor("platform");
    const old = await stampOf("portfolio");
    await changeFlag(platform, "portfolio", old, { op: "add", rule: { enabled: "off", tags: "remote" } });
    const e = await refusal(async () => changeFlag(platform, "portfolio", old, { op: "remove", index: 0 }));
    expect(e.key).toBe("flags:errors.stale");
    await changeFlag(platform, "portfolio", await stampOf("portfolio"), { op: "remove", index: 2 });
  });

  it("refuses everyone but the platform admin, and the platform admin acting in another role", async () => {
    for (const actor of [null, await actorFor("sichuan.edu"), await actorFor("wuhou-pri.admin"), await actorFor("wuhou-pri.t1", "teacher"), await actorFor("wuhou-pri.s1"), await actorFor("wuhou-pri.p1")] as Actor[]) {
      expect(await refusal(async () => changeFlag(actor, "blog", await stampOf("blog"), { op: "add", rule: { enabled: "on" } }))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => flagAdminView(actor))).toBeInstanceOf(ForbiddenError);
      // A region admin previews the people of their own subtree (tests/integration/region-admins.test.ts).
      if (actor?.activeRole !== "region_admin") expect(await refusal(async () => previewFlags(actor, "wuhou-pri.t1"))).toBeInstanceOf(ForbiddenError);
    }
  });

  it("changes the default and the levels that may override", async () => {
    const platform = await actorFor("platform");
    await changeFlag(platform, "lesson_sharing", await stampOf("lesson_sharing"), { op: "settings", defaultEnabled: "on", overridable: { region: true, school: false, user: false } });
    const f = (await flagAdminView(platform)).flags.find((x) => x.key === "lesson_sharing")!;
    expect(f.defaultEnabled).toBe(true);
    expect(f.overridable).toEqual({ region: true, school: false, user: false });
    expect(await isFeatureEnabled(await actorFor("kangding-pri.t1"), "lesson_sharing")).toBe(true);
  });
});

describe("overrides and locks", () => {
  it("lets a school admin turn a flag off for their school, and a teacher there then sees it off", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const wuhouPri = await school("wuhou-pri");
    await setFlagOverride(admin, { flag: "blog", scope: "school", scopeId: wuhouPri.id, enabled: "off" });
    expect(await isFeatureEnabled(await actorFor("wuhou-pri.t2"), "blog")).toBe(false);
    expect(await isFeatureEnabled(await actorFor("wuhou-jun.t1"), "blog")).toBe(true);
    const row = (await previewFlags(await actorFor("platform"), "wuhou-pri.t2")).rows.find((r) => r.key === "blog")!;
    expect(row).toMatchObject({ enabled: false, decision: { step: "override", scope: "school", scopeId: wuhouPri.id, locked: false }, placeName: "武侯区实验小学" });
    const audit = (await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "flag.override_set"))).at(-1)!;
    expect(audit.schoolId).toBe(wuhouPri.id);
    expect(audit.detail).toMatchObject({ flag: "blog", scope: "school", before: null, after: { enabled: false, locked: false } });

    await clearFlagOverride(admin, { flag: "blog", scope: "school", scopeId: wuhouPri.id });
    expect(await isFeatureEnabled(await actorFor("wuhou-pri.t2"), "blog")).toBe(true);
    const cleared = (await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "flag.override_clear"))).at(-1)!;
    expect(cleared.detail).toMatchObject({ before: { enabled: false, locked: false }, after: null });
  });

  it("refuses a school admin of school A for school B and for a person of school B", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    expect(await refusal(async () => setFlagOverride(admin, { flag: "blog", scope: "school", scopeId: (await school("wuhou-jun")).id, enabled: "off" }))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(async () => setFlagOverride(admin, { flag: "blog", scope: "user", scopeId: (await userByLogin("wuhou-jun.t1")).id, enabled: "off" }))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(async () => setFlagOverride(admin, { flag: "blog", scope: "region", scopeId: (await region("武侯区")).id, enabled: "off" }))).toBeInstanceOf(ForbiddenError);
    const e = (await refusal(async () => schoolPersonByLogin(admin, "wuhou-jun.t1"))) as ValidationError;
    expect(e.fields.login?.key).toBe("flags:errors.notInSchool");
  });

  it("lets a school admin override for a person of their school where the flag allows it, and nowhere else", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const s2 = await userByLogin("wuhou-pri.s2");
    await setFlagOverride(admin, { flag: "blog", scope: "user", scopeId: await schoolPersonByLogin(admin, "wuhou-pri.s2"), enabled: "off", locked: "on" });
    expect(await isFeatureEnabled(await actorFor("wuhou-pri.s2"), "blog")).toBe(false);
    expect((await first(db().select().from(schema.flagOverrides).where(eq(schema.flagOverrides.scopeId, s2.id)).limit(1)))!.locked).toBe(false);
    const e = await refusal(async () => setFlagOverride(admin, { flag: "assignments", scope: "user", scopeId: s2.id, enabled: "off" }));
    expect(e.key).toBe("flags:errors.levelNotOverridable");
    expect(e.params).toEqual({ level: "user" });
    expect((await schoolFlagsView(admin)).overrides.some((o) => o.scope === "user" && o.scopeId === s2.id)).toBe(true);
  });

  it("stops every level below a lock: a region admin locks 甘孜 and the 康定 school admin cannot override", async () => {
    const kangdingPri = await school("kangding-pri");
    const kangdingAdmin = await actorFor("kangding-pri.admin");
    // Set before the lock: it stays, but is ignored while the lock holds.
    await setFlagOverride(kangdingAdmin, { flag: "blog", scope: "school", scopeId: kangdingPri.id, enabled: "on" });
    await setFlagOverride(await actorFor("sichuan.edu"), { flag: "blog", scope: "region", scopeId: (await region("甘孜藏族自治州")).id, enabled: "off", locked: "on" });

    expect(await isFeatureEnabled(await actorFor("kangding-pri.t1"), "blog")).toBe(false);
    expect(await isFeatureEnabled(await actorFor("garze-voc.t1"), "blog")).toBe(false);
    expect(await isFeatureEnabled(await actorFor("zhaojue-pri.t1"), "blog")).toBe(true);
    const e = await refusal(async () => setFlagOverride(kangdingAdmin, { flag: "blog", scope: "school", scopeId: kangdingPri.id, enabled: "on" }));
    expect(e.key).toBe("flags:errors.lockedAbove");
    expect(e.params).toEqual({ place: "甘孜藏族自治州" });
    const cell = (await schoolFlagsView(kangdingAdmin)).cells.find((c) => c.key === "blog")!;
    expect(cell.lockedBy).toEqual({ place: "甘孜藏族自治州", enabled: false });
    expect((await schoolFlagsView(kangdingAdmin)).overrides.find((o) => o.key === "blog" && o.scope === "school")!.inEffect).toBe(false);
    // A region below the lock may not override either; the locked region itself may be changed by its admins.
    expect((await refusal(async () => setFlagOverride(await actorFor("sichuan.edu"), { flag: "blog", scope: "region", scopeId: (await region("康定市")).id, enabled: "on" }))).key).toBe("flags:errors.lockedAbove");
    const row = (await previewFlags(await actorFor("platform"), "kangding-pri.t1")).rows.find((r) => r.key === "blog")!;
    expect(row).toMatchObject({ enabled: false, decision: { step: "override", scope: "region", locked: true }, placeName: "甘孜藏族自治州" });

    // The topmost lock wins over a lock below it.
    await setFlagOverride(await actorFor("sichuan.edu"), { flag: "assignments", scope: "region", scopeId: (await region("康定市")).id, enabled: "on", locked: "on" });
    await setFlagOverride(await actorFor("sichuan.edu"), { flag: "assignments", scope: "region", scopeId: (await region("四川省")).id, enabled: "off", locked: "on" });
    expect(await isFeatureEnabled(await actorFor("kangding-pri.t1"), "assignments")).toBe(false);
    await clearFlagOverride(await actorFor("sichuan.edu"), { flag: "assignments", scope: "region", scopeId: (await region("四川省")).id });
    expect(await isFeatureEnabled(await actorFor("kangding-pri.s1"), "assignments")).toBe(true);
  });

  it("keeps region admins inside their subtree: no sibling prefecture, no sibling county, no parent region", async () => {
    const garze = await region("甘孜藏族自治州");
    const luding = randomId();
    await db().insert(schema.regions).values({ id: luding, parentId: garze.id, name: "泸定县", level: "county" });
    const ludingSchool = randomId();
    await db().insert(schema.schools).values({ id: ludingSchool, regionId: luding, name: "泸定县第一小学", stage: "primary", loginPrefix: "luding-pri" });
    const countyAdmin = randomId();
    await db().insert(schema.users).values({ id: countyAdmin, handle: "kangding-edu", loginName: "kangding.edu", realName: "泽仁", status: "active" });
    await db().insert(schema.userRoles).values({ userId: countyAdmin, role: "region_admin", regionId: (await region("康定市")).id });
    const kangdingEdu = await actorFor("kangding.edu");

    for (const [scope, scopeId] of [["school", ludingSchool], ["region", luding], ["region", garze.id], ["school", (await school("zhaojue-pri")).id]] as const) {
      expect(await refusal(async () => setFlagOverride(kangdingEdu, { flag: "study_groups", scope, scopeId, enabled: "on" }))).toBeInstanceOf(ForbiddenError);
    }
    const liangshan = await actorFor("liangshan.edu");
    expect(await refusal(async () => setFlagOverride(liangshan, { flag: "study_groups", scope: "school", scopeId: (await school("kangding-pri")).id, enabled: "on" }))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(async () => setFlagOverride(liangshan, { flag: "study_groups", scope: "region", scopeId: garze.id, enabled: "on" }))).toBeInstanceOf(ForbiddenError);
    // Within their own subtree they may.
    await setFlagOverride(liangshan, { flag: "study_groups", scope: "school", scopeId: (await school("zhaojue-pri")).id, enabled: "on" });
    expect(await isFeatureEnabled(await actorFor("zhaojue-pri.s1"), "study_groups")).toBe(true);
    await setFlagOverride(kangdingEdu, { flag: "study_groups", scope: "school", scopeId: (await school("kangding-jun")).id, enabled: "on" });
    const view = await regionFlagsView(kangdingEdu, null);
    expect(view.places.map((p) => p.name)).toEqual(["康定市", "康定市民族中学", "康定市第二小学", "甘孜州职业技术学校"]);
    // A place outside the subtree asked for in the URL falls back to the admin's own region.
    expect((await regionFlagsView(kangdingEdu, `school:${ludingSchool}`)).place.name).toBe("康定市");
  });

  it("refuses teachers, students, parents, anonymous and the platform admin on the override pages and actions", async () => {
    const target = { flag: "blog", scope: "school", scopeId: (await school("wuhou-pri")).id, enabled: "on" };
    for (const actor of [null, await actorFor("wuhou-pri.t1", "teacher"), await actorFor("wuhou-pri.s1"), await actorFor("wuhou-pri.p1"), await actorFor("platform")] as Actor[]) {
      expect(await refusal(async () => setFlagOverride(actor, target))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => clearFlagOverride(actor, target))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => regionFlagsView(actor, null))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => schoolFlagsView(actor))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => schoolPersonByLogin(actor, "wuhou-pri.s1"))).toBeInstanceOf(ForbiddenError);
    }
    // A school admin is not a region admin, and a region admin is not a school admin.
    expect(await refusal(async () => regionFlagsView(await actorFor("wuhou-pri.admin"), null))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(async () => schoolFlagsView(await actorFor("sichuan.edu")))).toBeInstanceOf(ForbiddenError);
  });

  it("refuses an override where the flag does not let that level override", async () => {
    const e = await refusal(async () => setFlagOverride(await actorFor("wuhou-pri.admin"), { flag: "parent_access", scope: "school", scopeId: (await school("wuhou-pri")).id, enabled: "on" }));
    expect(e.key).toBe("flags:errors.levelNotOverridable");
  });
});

describe("the cache", () => {
  it("costs one statement per request for all seven flags, and nothing more for repeated calls", async () => {
    const teacher = await actorFor("zhaojue-jun.t1");
    await featuresFor(await actorFor("zhaojue-jun.t2")); // warm the process cache at the current version
    const first = await countStatements(async () => {
      await featuresFor(teacher);
      for (const key of FLAG_KEYS) await isFeatureEnabled(teacher, key);
      await requireFeature(teacher, "assignments");
    });
    expect(first).toBe(1);
    expect(await countStatements(async () => featuresFor(teacher))).toBe(0);
  });

  it("sees a change written by another app server, through the version in the database", async () => {
    const before = await isFeatureEnabled(await actorFor("zhaojue-jun.t1"), "portfolio");
    // Another server's write: rows and version bumped together, nothing told to this process.
    await db().transaction(async (tx) => {
      await tx.insert(schema.flagOverrides).values({ id: randomId(), flagKey: "portfolio", scopeType: "school", scopeId: (await school("zhaojue-jun")).id, enabled: !before });
      await bumpFlagsVersion();
    });
    const teacher = await actorFor("zhaojue-jun.t1");
    expect(await isFeatureEnabled(teacher, "portfolio")).toBe(!before);
    // Once reloaded, the next request is back to one statement.
    const next = await actorFor("zhaojue-jun.t2");
    expect(await countStatements(async () => featuresFor(next))).toBe(1);
  });
});
