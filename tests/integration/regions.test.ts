import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { ForbiddenError } from "~/domain/foundation/errors.server";
import { randomId } from "~/domain/foundation/ids.server";
import { createRegion, effectivePhaseCeiling, regionTree, renameRegion, setRegionCeiling } from "~/domain/places/regions.server";
import { createSchool, schoolForEdit, updateSchool, type SchoolInput } from "~/domain/places/schools.server";
import { actorFor, demoWorld } from "../support/world";
import { validationRefusal } from "../support/refusal";

const regionId = async (name: string) => (await first(db().select().from(schema.regions).where(eq(schema.regions.name, name)).limit(1)))!.id;
const schoolId = async (name: string) => (await first(db().select().from(schema.schools).where(eq(schema.schools.name, name)).limit(1)))!.id;
const audits = async (action: string, targetId: string) =>
  db()
        .select()
        .from(schema.auditEvents)
        .where(and(eq(schema.auditEvents.action, action), eq(schema.auditEvents.targetId, targetId)));


const school = (over: Partial<SchoolInput> = {}): SchoolInput => ({ name: "测试小学", stage: "primary", defaultLocale: "zh-Hans", tags: [], loginPrefix: "test-pri", ...over });

let eastId: string;
let westId: string;
let eastSchool: string;
let westSchool: string;

beforeAll(async () => {
  await demoWorld();
  // Two sibling counties under 甘孜, each with a school and a county admin of its own.
  const garze = await regionId("甘孜藏族自治州");
  eastId = randomId();
  westId = randomId();
  await db().insert(schema.regions).values([
      { id: eastId, parentId: garze, name: "泸定县", level: "county" },
      { id: westId, parentId: garze, name: "丹巴县", level: "county" },
    ]);
  eastSchool = randomId();
  westSchool = randomId();
  await db().insert(schema.schools).values([
      { id: eastSchool, regionId: eastId, name: "泸定县第一小学", stage: "primary", defaultLocale: "bo", loginPrefix: "luding-pri" },
      { id: westSchool, regionId: westId, name: "丹巴县第一小学", stage: "primary", defaultLocale: "bo", loginPrefix: "danba-pri" },
    ]);
  for (const [login, region] of [["luding.edu", eastId], ["danba.edu", westId]] as const) {
    const id = randomId();
    await db().insert(schema.users).values({ id, handle: login.replace(".", "-"), loginName: login, realName: login, status: "active" });
    await db().insert(schema.userRoles).values({ userId: id, role: "region_admin", regionId: region });
  }
});

describe("who sees which part of the tree", () => {
  it("shows a prefecture admin their own subtree only, with ceilings in force", async () => {
    const { regions } = await regionTree(await actorFor("liangshan.edu"));
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

  it("shows the province admin every school, the platform admin every region", async () => {
    const province = await regionTree(await actorFor("sichuan.edu"));
    expect(province.regions.flatMap((r) => r.schools)).toHaveLength(11);
    expect(province.regions[0]).toMatchObject({ name: "四川省", depth: 0, manageable: false });
    const platform = await regionTree(await actorFor("platform"));
    expect(platform.regions[0]).toMatchObject({ name: "四川省", manageable: true });
  });

  it("keeps a county admin inside their county: no sibling county, no school there", async () => {
    const luding = await actorFor("luding.edu");
    const { regions } = await regionTree(luding);
    expect(regions.map((r) => r.name)).toEqual(["泸定县"]);
    expect(regions[0]!.schools.map((s) => s.name)).toEqual(["泸定县第一小学"]);
    await expect(schoolForEdit(luding, westSchool)).rejects.toThrow(ForbiddenError);
    await expect(updateSchool(luding, westSchool, school({ name: "改名", loginPrefix: "danba-pri" }))).rejects.toThrow(ForbiddenError);
    await expect(createSchool(luding, westId, school({ loginPrefix: "sneaky" }))).rejects.toThrow(ForbiddenError);
    await expect(renameRegion(luding, westId, { name: "改名" })).rejects.toThrow(ForbiddenError);
    await expect(setRegionCeiling(luding, westId, { ceiling: "0" })).rejects.toThrow(ForbiddenError);
    expect((await schoolForEdit(luding, eastSchool)).school.name).toBe("泸定县第一小学");
  });

  it("refuses school admins, teachers, students, parents and anonymous", async () => {
    for (const login of ["zhaojue-pri.admin", "zhaojue-pri.t1", "zhaojue-pri.s1", "zhaojue-pri.p1"]) {
      const actor = await actorFor(login);
      await expect(regionTree(actor)).rejects.toThrow(ForbiddenError);
      await expect(createRegion(actor, { parentId: await regionId("凉山彝族自治州"), name: "越权县" })).rejects.toThrow(ForbiddenError);
      await expect(createSchool(actor, await regionId("昭觉县"), school({ loginPrefix: "nope" }))).rejects.toThrow(ForbiddenError);
      await expect(updateSchool(actor, await schoolId("昭觉县城北小学"), school({ loginPrefix: "zhaojue-pri" }))).rejects.toThrow(ForbiddenError);
    }
    await expect(regionTree(null)).rejects.toThrow(ForbiddenError);
    await expect(setRegionCeiling(null, eastId, { ceiling: 1 })).rejects.toThrow(ForbiddenError);
  });
});

describe("sub-regions", () => {
  it("creates a county below a prefecture, audited, and refuses a duplicate name there", async () => {
    const admin = await actorFor("liangshan.edu");
    const liangshan = await regionId("凉山彝族自治州");
    const created = await createRegion(admin, { parentId: liangshan, name: "  布拖县 " });
    expect(created).toMatchObject({ name: "布拖县", level: "county", parentId: liangshan, phaseCeiling: null });
    expect(await audits("region.create", created.id)).toHaveLength(1);
    const dup = await validationRefusal(async () => createRegion(admin, { parentId: liangshan, name: "布拖县" }));
    expect(dup.fields.name).toEqual({ key: "regions:regionNameTaken", params: { name: "布拖县" } });
    expect((await validationRefusal(async () => createRegion(admin, { parentId: liangshan, name: " " }))).fields.name?.key).toBe("regions:nameRequired");
  });

  it("refuses a region below a county, and a parent outside the subtree", async () => {
    const admin = await actorFor("liangshan.edu");
    expect((await validationRefusal(async () => createRegion(admin, { parentId: await regionId("昭觉县"), name: "某乡" }))).fields.parentId?.key).toBe("regions:countyHasNoSubregions");
    await expect(createRegion(admin, { parentId: await regionId("甘孜藏族自治州"), name: "越界县" })).rejects.toThrow(ForbiddenError);
    await expect(createRegion(admin, { parentId: await regionId("四川省"), name: "新州" })).rejects.toThrow(ForbiddenError);
    expect((await createRegion(await actorFor("sichuan.edu"), { parentId: await regionId("四川省"), name: "雅安市" })).level).toBe("prefecture");
  });

  it("renames a region below one's own, never one's own, and keeps sibling names unique", async () => {
    const admin = await actorFor("liangshan.edu");
    const zhaojue = await regionId("昭觉县");
    await expect(renameRegion(admin, await regionId("凉山彝族自治州"), { name: "凉山州" })).rejects.toThrow(ForbiddenError);
    expect((await validationRefusal(async () => renameRegion(admin, zhaojue, { name: "布拖县" }))).fields.name?.key).toBe("regions:regionNameTaken");
    expect((await renameRegion(admin, zhaojue, { name: "昭觉县" })).name).toBe("昭觉县");
    const renamed = await renameRegion(admin, await regionId("布拖县"), { name: "布拖" });
    expect(renamed.name).toBe("布拖");
    expect((await audits("region.rename", renamed.id))[0]!.detail).toEqual({ from: "布拖县", to: "布拖" });
  });
});

describe("phase ceilings", () => {
  it("lets a prefecture admin cap a county up to their own ceiling, never above it", async () => {
    const admin = await actorFor("liangshan.edu");
    const zhaojue = await regionId("昭觉县");
    const above = await validationRefusal(async () => setRegionCeiling(admin, zhaojue, { ceiling: "3" }));
    expect(above.fields.ceiling).toEqual({ key: "regions:ceilingAboveYours", params: { cap: 2 } });
    await setRegionCeiling(admin, zhaojue, { ceiling: "1" });
    expect(await effectivePhaseCeiling(zhaojue)).toBe(1);
    expect((await regionTree(admin)).regions.find((r) => r.name === "昭觉县")!.schools.every((s) => s.effectivePhase <= 1)).toBe(true);
    await setRegionCeiling(admin, zhaojue, { ceiling: "none" });
    expect(await effectivePhaseCeiling(zhaojue)).toBe(2);
    expect((await audits("region.ceiling", zhaojue)).map((a) => a.detail)).toEqual([
      { from: null, to: 1, lowered: [] },
      { from: 1, to: null, lowered: [] },
    ]);
  });

  it("never lets an admin set their own region's ceiling: a county cannot lift its prefecture's cap", async () => {
    await expect(setRegionCeiling(await actorFor("liangshan.edu"), await regionId("凉山彝族自治州"), { ceiling: 3 })).rejects.toThrow(ForbiddenError);
    await expect(setRegionCeiling(await actorFor("luding.edu"), eastId, { ceiling: 3 })).rejects.toThrow(ForbiddenError);
  });

  it("refuses a ceiling that is not 0–3 or none", async () => {
    const admin = await actorFor("liangshan.edu");
    for (const bad of ["4", "-1", "x", 1.5]) {
      expect((await validationRefusal(async () => setRegionCeiling(admin, await regionId("昭觉县"), { ceiling: bad }))).fields.ceiling?.key).toBe("regions:ceilingInvalid");
    }
  });

  it("lowers tighter-set ceilings below along with a lowered one, so the nearest ceiling never escapes", async () => {
    const province = await actorFor("sichuan.edu");
    const garze = await regionId("甘孜藏族自治州");
    await setRegionCeiling(province, eastId, { ceiling: 3 });
    const { lowered } = await setRegionCeiling(province, garze, { ceiling: 1 });
    expect(lowered).toEqual([eastId]);
    expect(await effectivePhaseCeiling(eastId)).toBe(1);
    expect(await effectivePhaseCeiling(await regionId("康定市"))).toBe(1);
    await setRegionCeiling(province, garze, { ceiling: 3 });
  });
});

describe("schools", () => {
  it("creates a school in the subtree, closed, audited, with tags and prefix normalised", async () => {
    const admin = await actorFor("liangshan.edu");
    const created = await createSchool(admin, await regionId("昭觉县"), school({ name: "昭觉县第二小学", defaultLocale: "ii", tags: ["ethnic-area", " Remote ", "remote"], loginPrefix: " Zhaojue-Pri2 " }));
    expect(created).toMatchObject({ name: "昭觉县第二小学", stage: "primary", defaultLocale: "ii", tags: ["ethnic-area", "remote"], loginPrefix: "zhaojue-pri2", phase: 0 });
    const [event] = await audits("school.create", created.id);
    expect(event).toMatchObject({ schoolId: created.id });
  });

  it("refuses a duplicate name in one region, a taken or malformed prefix, an unknown stage or locale", async () => {
    const admin = await actorFor("liangshan.edu");
    const zhaojue = await regionId("昭觉县");
    const dup = await validationRefusal(async () => createSchool(admin, zhaojue, school({ name: "昭觉县城北小学", loginPrefix: "wuhou-pri" })));
    expect(dup.fields.name?.key).toBe("regions:schoolNameTaken");
    expect(dup.fields.loginPrefix).toEqual({ key: "regions:prefixTaken", params: { prefix: "wuhou-pri" } });
    for (const prefix of ["a", "has space", "点点", "x".repeat(25), "under_score"]) {
      expect((await validationRefusal(async () => createSchool(admin, zhaojue, school({ loginPrefix: prefix })))).fields.loginPrefix?.key).toBe("regions:prefixInvalid");
    }
    const bad = await validationRefusal(async () => createSchool(admin, zhaojue, school({ stage: "kindergarten", defaultLocale: "fr", tags: ["好"], loginPrefix: "ok-prefix" })));
    expect(bad.fields).toMatchObject({ stage: { key: "regions:stageInvalid" }, defaultLocale: { key: "regions:localeInvalid" }, tags: { key: "regions:tagInvalid" } });
    expect((await validationRefusal(async () => createSchool(admin, "", school({ loginPrefix: "ok-prefix" })))).fields.regionId?.key).toBe("regions:parentRequired");
  });

  it("edits a school of the subtree, audits what changed, and refuses a prefix another school holds", async () => {
    const admin = await actorFor("liangshan.edu");
    const id = await schoolId("昭觉县职业技术学校");
    const updated = await updateSchool(admin, id, school({ name: "昭觉县职业技术学校", stage: "vocational", defaultLocale: "zh-Hans", tags: ["remote"], loginPrefix: "zhaojue-voc" }));
    expect(updated).toMatchObject({ defaultLocale: "zh-Hans", tags: ["remote"] });
    expect((await audits("school.update", id))[0]!.detail).toEqual({
      defaultLocale: { from: "ii", to: "zh-Hans" },
      tags: { from: ["ethnic-area", "remote", "vocational-pilot"], to: ["remote"] },
    });
    expect((await validationRefusal(async () => updateSchool(admin, id, school({ name: "昭觉县职业技术学校", stage: "vocational", loginPrefix: "zhaojue-pri" })))).fields.loginPrefix?.key).toBe("regions:prefixTaken");
    await expect(updateSchool(admin, await schoolId("武侯区实验小学"), school({ loginPrefix: "wuhou-pri" }))).rejects.toThrow(ForbiddenError);
  });
});
