import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db, schema, first } from "#db/client";
import { KEEP_COUNT_MS, refreshAdoptionSnapshots, regionAdoption, schoolAdoption } from "~/domain/rollout/adoption.server";
import { ForbiddenError } from "~/domain/foundation/errors.server";
import { randomId } from "~/domain/foundation/ids.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";

const DAY = 86_400_000;
const NOW = Date.parse("2026-05-20T08:00:00Z");

let county: string;
let school: string;
let otherSchool: string;

/** One account with its role at `schoolId`; status and last-seen as the case needs. */
async function account(login: string, role: "teacher" | "student" | "parent", schoolId: string | null, state: { status?: "provisioned" | "active" | "disabled"; seenDaysAgo?: number } = {}) {
  const status = state.status ?? "provisioned";
  const id = randomId();
  await db()
      .insert(schema.users)
      .values({
        id,
        handle: login.replace(/\./g, "-"),
        loginName: login,
        realName: login,
        schoolId: role === "parent" ? null : schoolId,
        status,
        activatedAt: status === "provisioned" ? null : new Date(NOW - 30 * DAY),
        lastSeenAt: state.seenDaysAgo === undefined ? null : new Date(NOW - state.seenDaysAgo * DAY),
      });
  await db()
      .insert(schema.userRoles)
      .values({ userId: id, role, schoolId: role === "parent" ? null : schoolId });
  return id;
}

async function link(guardianId: string, studentId: string) {
  await db().insert(schema.guardianLinks).values({ id: randomId(), guardianId, studentId });
}

beforeAll(async () => {
  await demoWorld();
  // A constructed county in 凉山 with two schools whose every account's state is known.
  const liangshan = (await first(db().select().from(schema.regions).where(eq(schema.regions.name, "凉山彝族自治州")).limit(1)))!;
  county = randomId();
  await db().insert(schema.regions).values({ id: county, parentId: liangshan.id, name: "美姑县", level: "county", phaseCeiling: 1 });
  school = randomId();
  otherSchool = randomId();
  await db().insert(schema.schools).values({ id: school, regionId: county, name: "美姑县第一小学", stage: "primary", defaultLocale: "ii", phase: 3, loginPrefix: "meigu-pri" });
  await db().insert(schema.schools).values({ id: otherSchool, regionId: county, name: "美姑县中学", stage: "junior", defaultLocale: "ii", phase: 0, loginPrefix: "meigu-jun" });

  await account("meigu-pri.t1", "teacher", school, { status: "active", seenDaysAgo: 1 });
  await account("meigu-pri.t2", "teacher", school, { status: "active", seenDaysAgo: 10 });
  const t3 = await account("meigu-pri.t3", "teacher", school, { status: "active" });
  await account("meigu-pri.t4", "teacher", school);
  const s1 = await account("meigu-pri.s1", "student", school, { status: "active", seenDaysAgo: 6.9 });
  const s2 = await account("meigu-pri.s2", "student", school, { status: "active", seenDaysAgo: 7.1 });
  const s3 = await account("meigu-pri.s3", "student", school);
  await account("meigu-pri.s4", "student", school, { status: "disabled", seenDaysAgo: 1 });
  // One parent of two children counts once; a teacher who is also a parent counts as both.
  const p1 = await account("meigu-pri.p1", "parent", null, { status: "active", seenDaysAgo: 2 });
  await link(p1, s1);
  await link(p1, s2);
  const p2 = await account("meigu-pri.p2", "parent", null);
  await link(p2, s3);
  await db().insert(schema.userRoles).values({ userId: t3, role: "parent" });
  await link(t3, s3);
  // The other school: one active student whose parent's other child is at the first school.
  const j1 = await account("meigu-jun.s1", "student", otherSchool, { status: "active", seenDaysAgo: 0.5 });
  await link(p1, j1);
});

describe("adoption of one school", () => {
  it("counts provisioned, activated and active-in-7-days by role, each person once in all", async () => {
    const { school: row } = await schoolAdoption(await actorFor("liangshan.edu"), { schoolId: school, now: NOW });
    expect(row.counts.teacher).toEqual({ provisioned: 4, activated: 3, active7: 1 });
    // The disabled student is left out; 6.9 days ago is inside the window, 7.1 outside.
    expect(row.counts.student).toEqual({ provisioned: 3, activated: 2, active7: 1 });
    // p1 (two children here) once, p2 not activated, t3 as a parent.
    expect(row.counts.parent).toEqual({ provisioned: 3, activated: 2, active7: 1 });
    // t3 is both teacher and parent: one person.
    expect(row.counts.all).toEqual({ provisioned: 9, activated: 6, active7: 3 });
  });

  it("shows each school's phase capped by the ceiling over its region", async () => {
    const { school: row, regionPath } = await schoolAdoption(await actorFor("liangshan.edu"), { schoolId: school, now: NOW });
    expect(row).toMatchObject({ phase: 3, ceiling: 1, effectivePhase: 1 });
    expect(regionPath).toEqual(["四川省", "凉山彝族自治州", "美姑县"]);
  });

  it("shows a school admin their own school, and refuses them another", async () => {
    const own = await schoolAdoption(await actorFor("zhaojue-pri.admin"), { now: NOW });
    expect(own.school.name).toBe("昭觉县城北小学");
    expect(own.school.counts.teacher.provisioned).toBe(3);
    expect(own.school.counts.student).toMatchObject({ provisioned: 8, activated: 6 });
    expect(own.school.counts.parent.provisioned).toBe(4);
    await expect(schoolAdoption(await actorFor("zhaojue-pri.admin"), { schoolId: school })).rejects.toThrow(ForbiddenError);
  });

  it("refuses a region admin a school outside their subtree", async () => {
    const wuhou = (await userByLogin("wuhou-pri.admin")).schoolId!;
    await expect(schoolAdoption(await actorFor("liangshan.edu"), { schoolId: wuhou })).rejects.toThrow(ForbiddenError);
    expect((await schoolAdoption(await actorFor("sichuan.edu"), { schoolId: wuhou })).school.name).toBe("武侯区实验小学");
  });

  it("refuses teachers, students, parents and anonymous", async () => {
    for (const login of ["zhaojue-pri.t1", "zhaojue-pri.s1", "zhaojue-pri.p1"]) {
      await expect(schoolAdoption(await actorFor(login), { schoolId: school })).rejects.toThrow(ForbiddenError);
      await expect(regionAdoption(await actorFor(login))).rejects.toThrow(ForbiddenError);
    }
    await expect(schoolAdoption(await actorFor("wuhou-pri.t1", "parent"))).rejects.toThrow(ForbiddenError);
    await expect(schoolAdoption(null)).rejects.toThrow(ForbiddenError);
    await expect(regionAdoption(null)).rejects.toThrow(ForbiddenError);
  });
});

describe("adoption of a region", () => {
  it("gives a prefecture admin their sub-regions and schools, and totals with each person once", async () => {
    const view = await regionAdoption(await actorFor("liangshan.edu"), { now: NOW });
    expect(view.focus?.name).toBe("凉山彝族自治州");
    expect(view.subRegions.map((r) => r.name).sort()).toEqual(["昭觉县", "美姑县"].sort());
    expect(view.schools.map((s) => s.name).sort()).toEqual(["昭觉县城北小学", "昭觉县民族中学", "昭觉县职业技术学校", "美姑县第一小学", "美姑县中学"].sort());
    const meigu = view.subRegions.find((r) => r.name === "美姑县")!;
    // p1 has children at both 美姑 schools: one parent in the county.
    expect(meigu.counts.parent).toEqual({ provisioned: 3, activated: 2, active7: 1 });
    expect(meigu.counts.student).toEqual({ provisioned: 4, activated: 3, active7: 2 });
    expect(meigu.counts.all).toEqual({ provisioned: 10, activated: 7, active7: 4 });
    const jun = view.schools.find((s) => s.name === "美姑县中学")!;
    expect(jun.counts.parent).toEqual({ provisioned: 1, activated: 1, active7: 1 });
    expect(jun.effectivePhase).toBe(0);
    const zhaojue = view.subRegions.find((r) => r.name === "昭觉县")!;
    expect(zhaojue.counts.teacher.provisioned).toBe(9);
    expect(zhaojue.counts.student).toMatchObject({ provisioned: 24, activated: 18 });
    expect(view.totals.teacher.provisioned).toBe(9 + 4);
    expect(view.totals.all.provisioned).toBe(zhaojue.counts.all.provisioned + meigu.counts.all.provisioned);
    expect(view.direct).toBeNull();
  });

  it("lets a region admin look further down, and never above or beside their subtree", async () => {
    const admin = await actorFor("liangshan.edu");
    const down = await regionAdoption(admin, { regionId: county, now: NOW });
    expect(down.schools.map((s) => s.name).sort()).toEqual(["美姑县中学", "美姑县第一小学"]);
    expect(down.subRegions).toEqual([]);
    expect(down.direct?.all.provisioned).toBe(10);
    expect(down.upId).toBe(down.path.find((r) => r.name === "凉山彝族自治州")!.id);
    expect(down.path.map((r) => r.name)).toEqual(["凉山彝族自治州", "美姑县"]);
    const sichuan = (await first(db().select().from(schema.regions).where(eq(schema.regions.name, "四川省")).limit(1)))!;
    const kangding = (await first(db().select().from(schema.regions).where(eq(schema.regions.name, "康定市")).limit(1)))!;
    await expect(regionAdoption(admin, { regionId: sichuan.id })).rejects.toThrow(ForbiddenError);
    await expect(regionAdoption(admin, { regionId: kangding.id })).rejects.toThrow(ForbiddenError);
    await expect(regionAdoption(admin, { regionId: "no-such-region" })).rejects.toThrow(ForbiddenError);
  });

  it("gives the province admin every school, and refuses a school admin the region view", async () => {
    const view = await regionAdoption(await actorFor("sichuan.edu"), { now: NOW });
    expect(view.schools).toHaveLength(11);
    expect(view.subRegions.map((r) => r.name).sort()).toEqual(["凉山彝族自治州", "成都市", "甘孜藏族自治州"].sort());
    expect(view.upId).toBeNull();
    await expect(regionAdoption(await actorFor("zhaojue-pri.admin"))).rejects.toThrow(ForbiddenError);
  });

  it("gives the platform admin the whole tree", async () => {
    const view = await regionAdoption(await actorFor("platform"), { now: NOW });
    expect(view.focus).toBeNull();
    expect(view.subRegions.map((r) => r.name)).toEqual(["四川省"]);
    expect(view.schools).toHaveLength(11);
  });
});

describe("kept counts (issue 17: a province's figures take seconds to count)", () => {
  afterEach(async () => {
    vi.useRealTimers();
    delete process.env.ADOPTION_KEEP_AFTER_MS;
    await db().delete(schema.adoptionSnapshots);
  });

  it("counts live when counting is quick: nothing is kept", async () => {
    await regionAdoption(await actorFor("liangshan.edu"), { regionId: county });
    expect(await db().select().from(schema.adoptionSnapshots)).toEqual([]);
  });

  it("keeps a slow count for ten minutes, with its time; the refresher counts again what is still read", async () => {
    process.env.ADOPTION_KEEP_AFTER_MS = "0"; // every count is "slow"
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    vi.setSystemTime(start);
    const admin = await actorFor("liangshan.edu");
    const first = await regionAdoption(admin, { regionId: county });
    expect(first.at.getTime()).toBe(start);
    const teachers = first.direct!.teacher.provisioned;

    await account(`meigu-pri.kept${randomId().slice(0, 4)}`, "teacher", school);
    vi.setSystemTime(start + 60_000);
    const kept = await regionAdoption(admin, { regionId: county });
    expect(kept.at.getTime()).toBe(start);
    expect(kept.direct!.teacher.provisioned).toBe(teachers);
    // A moment named by the caller is always counted afresh.
    expect((await regionAdoption(admin, { regionId: county, now: start + 60_000 })).direct!.teacher.provisioned).toBe(teachers + 1);

    // Past half its life, the refresher counts again; the reader then sees the new figure and time.
    vi.setSystemTime(start + KEEP_COUNT_MS / 2 + 1_000);
    expect(await refreshAdoptionSnapshots()).toBe(1);
    const refreshed = await regionAdoption(admin, { regionId: county });
    expect(refreshed.direct!.teacher.provisioned).toBe(teachers + 1);
    expect(refreshed.at.getTime()).toBe(start + KEEP_COUNT_MS / 2 + 1_000);
  });

  it("keeps counts apart for admins whose scopes start at different regions, and still refuses outsiders", async () => {
    process.env.ADOPTION_KEEP_AFTER_MS = "0";
    const fromProvince = await regionAdoption(await actorFor("sichuan.edu"), { regionId: county });
    const fromPrefecture = await regionAdoption(await actorFor("liangshan.edu"), { regionId: county });
    expect(fromProvince.path.map((r) => r.name)).toEqual(["四川省", "凉山彝族自治州", "美姑县"]);
    expect(fromPrefecture.path.map((r) => r.name)).toEqual(["凉山彝族自治州", "美姑县"]);
    expect(await db().select().from(schema.adoptionSnapshots)).toHaveLength(2);
    await expect(regionAdoption(await actorFor("chengdu.edu"), { regionId: county })).rejects.toThrow(ForbiddenError);
    await expect(regionAdoption(await actorFor("zhaojue-pri.admin"), { regionId: county })).rejects.toThrow(ForbiddenError);
  });

  it("forgets kept counts nobody read for a day", async () => {
    process.env.ADOPTION_KEEP_AFTER_MS = "0";
    await regionAdoption(await actorFor("liangshan.edu"), { regionId: county });
    await refreshAdoptionSnapshots(Date.now() + 86_400_000 + 1_000);
    expect(await db().select().from(schema.adoptionSnapshots)).toEqual([]);
  });
});
