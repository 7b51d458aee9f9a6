import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { ForbiddenError } from "~/domain/foundation/errors.server";
import { randomId } from "~/domain/foundation/ids.server";
import { createRegion, effectivePhaseCeiling, regionTree, renameRegion, setRegionCeiling } from "~/domain/places/regions.server";
import { createSchool, schoolForEdit, updateSchool, type SchoolInput } from "~/domain/places/schools.server";
import { actorFor, demoWorld } from "../support/world";
import { validationRefusal } from "../support/refusal";

const regionId = (name: string) => db().select().from(schema.regions).where(eq(schema.regions.name, name)).get()!.id;
const schoolId = (name: string) => db().select().from(schema.schools).where(eq(schema.schools.name, name)).get()!.id;
const audits = (action: string, targetId: string) =>
  db()
    .select()
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.action, action), eq(schema.auditEvents.targetId, targetId)))
    .all();


const school = (over: Partial<SchoolInput> = {}): SchoolInput => ({ name: "测试小学", stage: "primary", defaultLocale: "zh-Hans", tags: [], loginPrefix: "test-pri", ...over });

let eastId: string;
let westId: string;
let eastSchool: string;
let westSchool: string;

beforeAll(async () => {
  await demoWorld();
  // Two sibling counties under 甘孜, each with a school and a county admin of its own.
  const garze = regionId("甘孜藏族自治州");
  eastId = randomId();
  westId = randomId();
  db().insert(schema.regions).values([
    { id: eastId, parentId: garze, name: "泸定县", level: "county" },
    { id: westId, parentId: garze, name: "丹巴县", level: "county" },
  ]).run();
  eastSchool = randomId();
  westSchool = randomId();
  db().insert(schema.schools).values([
    { id: eastSchool, regionId: eastId, name: "泸定县第一小学", stage: "primary", defaultLocale: "bo", loginPrefix: "luding-pri" },
    { id: westSchool, regionId: westId, name: "丹巴县第一小学", stage: "primary", defaultLocale: "bo", loginPrefix: "danba-pri" },
  ]).run();
  for (const [login, region] of [["luding.edu", eastId], ["danba.edu", westId]] as const) {
    const id = randomId();
    db().insert(schema.users).values({ id, handle: login.replace(".", "-"), loginName: login, realName: login, status: "active" }).run();
    db().insert(schema.userRoles).values({ userId: id, role: "region_admin", regionId: region }).run();
  }
});

describe("who sees which part of the tree", () => {
  it("shows a prefecture admin their own subtree only, with ceilings in force", () => {
    const { regions } = regionTree(actorFor("liangshan.edu"));
    expect(regions.map((r) => [r.depth, r.name])).toEqual([
      [0, "凉山彝族自治州"],
      [1, "昭觉县"],
    ]);
    expect(regions[0]).toMatchObject({ ceiling: 2, effectiveCeiling: 2, manageable: false });
    const zhaojue = regions[1]!;
    expect(zhaojue).toMatchObject({ ceiling: null, effectiveCeiling: 2, manageable: true, canHaveChildren: false });
    // 城北小学 is at phase 1; the ceiling of 2 leaves it there. 民族中学 is at 2.
    expect(zhaojue.schools.map((s) => [s.name, s.phase, s.effectivePhase]).sort()).toEqual(
      [
        ["昭觉县城北小学", 1, 1],
        ["昭觉县民族中学", 2, 2],
        ["昭觉县职业技术学校", 2, 2],
      ].sort(),
    );
  });

  it("shows the province admin every school, the platform admin every region", () => {
    const province = regionTree(actorFor("sichuan.edu"));
    expect(province.regions.flatMap((r) => r.schools)).toHaveLength(11);
    expect(province.regions[0]).toMatchObject({ name: "四川省", depth: 0, manageable: false });
    const platform = regionTree(actorFor("platform"));
    expect(platform.regions[0]).toMatchObject({ name: "四川省", manageable: true });
  });

  it("keeps a county admin inside their county: no sibling county, no school there", () => {
    const luding = actorFor("luding.edu");
    const { regions } = regionTree(luding);
    expect(regions.map((r) => r.name)).toEqual(["泸定县"]);
    expect(regions[0]!.schools.map((s) => s.name)).toEqual(["泸定县第一小学"]);
    expect(() => schoolForEdit(luding, westSchool)).toThrow(ForbiddenError);
    expect(() => updateSchool(luding, westSchool, school({ name: "改名", loginPrefix: "danba-pri" }))).toThrow(ForbiddenError);
    expect(() => createSchool(luding, westId, school({ loginPrefix: "sneaky" }))).toThrow(ForbiddenError);
    expect(() => renameRegion(luding, westId, { name: "改名" })).toThrow(ForbiddenError);
    expect(() => setRegionCeiling(luding, westId, { ceiling: "0" })).toThrow(ForbiddenError);
    expect(schoolForEdit(luding, eastSchool).school.name).toBe("泸定县第一小学");
  });

  it("refuses school admins, teachers, students, parents and anonymous", () => {
    for (const login of ["zhaojue-pri.admin", "zhaojue-pri.t1", "zhaojue-pri.s1", "zhaojue-pri.p1"]) {
      const actor = actorFor(login);
      expect(() => regionTree(actor)).toThrow(ForbiddenError);
      expect(() => createRegion(actor, { parentId: regionId("凉山彝族自治州"), name: "越权县" })).toThrow(ForbiddenError);
      expect(() => createSchool(actor, regionId("昭觉县"), school({ loginPrefix: "nope" }))).toThrow(ForbiddenError);
      expect(() => updateSchool(actor, schoolId("昭觉县城北小学"), school({ loginPrefix: "zhaojue-pri" }))).toThrow(ForbiddenError);
    }
    expect(() => regionTree(null)).toThrow(ForbiddenError);
    expect(() => setRegionCeiling(null, eastId, { ceiling: 1 })).toThrow(ForbiddenError);
  });
});

describe("sub-regions", () => {
  it("creates a county below a prefecture, audited, and refuses a duplicate name there", () => {
    const admin = actorFor("liangshan.edu");
    const liangshan = regionId("凉山彝族自治州");
    const created = createRegion(admin, { parentId: liangshan, name: "  布拖县 " });
    expect(created).toMatchObject({ name: "布拖县", level: "county", parentId: liangshan, phaseCeiling: null });
    expect(audits("region.create", created.id)).toHaveLength(1);
    const dup = validationRefusal(() => createRegion(admin, { parentId: liangshan, name: "布拖县" }));
    expect(dup.fields.name).toEqual({ key: "regions:regionNameTaken", params: { name: "布拖县" } });
    expect(validationRefusal(() => createRegion(admin, { parentId: liangshan, name: " " })).fields.name?.key).toBe("regions:nameRequired");
  });

  it("refuses a region below a county, and a parent outside the subtree", () => {
    const admin = actorFor("liangshan.edu");
    expect(validationRefusal(() => createRegion(admin, { parentId: regionId("昭觉县"), name: "某乡" })).fields.parentId?.key).toBe("regions:countyHasNoSubregions");
    expect(() => createRegion(admin, { parentId: regionId("甘孜藏族自治州"), name: "越界县" })).toThrow(ForbiddenError);
    expect(() => createRegion(admin, { parentId: regionId("四川省"), name: "新州" })).toThrow(ForbiddenError);
    expect(createRegion(actorFor("sichuan.edu"), { parentId: regionId("四川省"), name: "雅安市" }).level).toBe("prefecture");
  });

  it("renames a region below one's own, never one's own, and keeps sibling names unique", () => {
    const admin = actorFor("liangshan.edu");
    const zhaojue = regionId("昭觉县");
    expect(() => renameRegion(admin, regionId("凉山彝族自治州"), { name: "凉山州" })).toThrow(ForbiddenError);
    expect(validationRefusal(() => renameRegion(admin, zhaojue, { name: "布拖县" })).fields.name?.key).toBe("regions:regionNameTaken");
    expect(renameRegion(admin, zhaojue, { name: "昭觉县" }).name).toBe("昭觉县");
    const renamed = renameRegion(admin, regionId("布拖县"), { name: "布拖" });
    expect(renamed.name).toBe("布拖");
    expect(audits("region.rename", renamed.id)[0]!.detail).toEqual({ from: "布拖县", to: "布拖" });
  });
});

describe("phase ceilings", () => {
  it("lets a prefecture admin cap a county up to their own ceiling, never above it", () => {
    const admin = actorFor("liangshan.edu");
    const zhaojue = regionId("昭觉县");
    const above = validationRefusal(() => setRegionCeiling(admin, zhaojue, { ceiling: "3" }));
    expect(above.fields.ceiling).toEqual({ key: "regions:ceilingAboveYours", params: { cap: 2 } });
    setRegionCeiling(admin, zhaojue, { ceiling: "1" });
    expect(effectivePhaseCeiling(zhaojue)).toBe(1);
    expect(regionTree(admin).regions.find((r) => r.name === "昭觉县")!.schools.every((s) => s.effectivePhase <= 1)).toBe(true);
    setRegionCeiling(admin, zhaojue, { ceiling: "none" });
    expect(effectivePhaseCeiling(zhaojue)).toBe(2);
    expect(audits("region.ceiling", zhaojue).map((a) => a.detail)).toEqual([
      { from: null, to: 1, lowered: [] },
      { from: 1, to: null, lowered: [] },
    ]);
  });

  it("never lets an admin set their own region's ceiling: a county cannot lift its prefecture's cap", () => {
    expect(() => setRegionCeiling(actorFor("liangshan.edu"), regionId("凉山彝族自治州"), { ceiling: 3 })).toThrow(ForbiddenError);
    expect(() => setRegionCeiling(actorFor("luding.edu"), eastId, { ceiling: 3 })).toThrow(ForbiddenError);
  });

  it("refuses a ceiling that is not 0–3 or none", () => {
    const admin = actorFor("liangshan.edu");
    for (const bad of ["4", "-1", "x", 1.5]) {
      expect(validationRefusal(() => setRegionCeiling(admin, regionId("昭觉县"), { ceiling: bad })).fields.ceiling?.key).toBe("regions:ceilingInvalid");
    }
  });

  it("lowers tighter-set ceilings below along with a lowered one, so the nearest ceiling never escapes", () => {
    const province = actorFor("sichuan.edu");
    const garze = regionId("甘孜藏族自治州");
    setRegionCeiling(province, eastId, { ceiling: 3 });
    const { lowered } = setRegionCeiling(province, garze, { ceiling: 1 });
    expect(lowered).toEqual([eastId]);
    expect(effectivePhaseCeiling(eastId)).toBe(1);
    expect(effectivePhaseCeiling(regionId("康定市"))).toBe(1);
    setRegionCeiling(province, garze, { ceiling: 3 });
  });
});

describe("schools", () => {
  it("creates a school in the subtree, closed, audited, with tags and prefix normalised", () => {
    const admin = actorFor("liangshan.edu");
    const created = createSchool(admin, regionId("昭觉县"), school({ name: "昭觉县第二小学", defaultLocale: "ii", tags: ["ethnic-area", " Remote ", "remote"], loginPrefix: " Zhaojue-Pri2 " }));
    expect(created).toMatchObject({ name: "昭觉县第二小学", stage: "primary", defaultLocale: "ii", tags: ["ethnic-area", "remote"], loginPrefix: "zhaojue-pri2", phase: 0 });
    const [event] = audits("school.create", created.id);
    expect(event).toMatchObject({ schoolId: created.id });
  });

  it("refuses a duplicate name in one region, a taken or malformed prefix, an unknown stage or locale", () => {
    const admin = actorFor("liangshan.edu");
    const zhaojue = regionId("昭觉县");
    const dup = validationRefusal(() => createSchool(admin, zhaojue, school({ name: "昭觉县城北小学", loginPrefix: "wuhou-pri" })));
    expect(dup.fields.name?.key).toBe("regions:schoolNameTaken");
    expect(dup.fields.loginPrefix).toEqual({ key: "regions:prefixTaken", params: { prefix: "wuhou-pri" } });
    for (const prefix of ["a", "has space", "点点", "x".repeat(25), "under_score"]) {
      expect(validationRefusal(() => createSchool(admin, zhaojue, school({ loginPrefix: prefix }))).fields.loginPrefix?.key).toBe("regions:prefixInvalid");
    }
    const bad = validationRefusal(() => createSchool(admin, zhaojue, school({ stage: "kindergarten", defaultLocale: "fr", tags: ["好"], loginPrefix: "ok-prefix" })));
    expect(bad.fields).toMatchObject({ stage: { key: "regions:stageInvalid" }, defaultLocale: { key: "regions:localeInvalid" }, tags: { key: "regions:tagInvalid" } });
    expect(validationRefusal(() => createSchool(admin, "", school({ loginPrefix: "ok-prefix" }))).fields.regionId?.key).toBe("regions:parentRequired");
  });

  it("edits a school of the subtree, audits what changed, and refuses a prefix another school holds", () => {
    const admin = actorFor("liangshan.edu");
    const id = schoolId("昭觉县职业技术学校");
    const updated = updateSchool(admin, id, school({ name: "昭觉县职业技术学校", stage: "vocational", defaultLocale: "zh-Hans", tags: ["remote"], loginPrefix: "zhaojue-voc" }));
    expect(updated).toMatchObject({ defaultLocale: "zh-Hans", tags: ["remote"] });
    expect(audits("school.update", id)[0]!.detail).toEqual({
      defaultLocale: { from: "ii", to: "zh-Hans" },
      tags: { from: ["ethnic-area", "remote", "vocational-pilot"], to: ["remote"] },
    });
    expect(validationRefusal(() => updateSchool(admin, id, school({ name: "昭觉县职业技术学校", stage: "vocational", loginPrefix: "zhaojue-pri" }))).fields.loginPrefix?.key).toBe("regions:prefixTaken");
    expect(() => updateSchool(admin, schoolId("武侯区实验小学"), school({ loginPrefix: "wuhou-pri" }))).toThrow(ForbiddenError);
  });
});
