import { beforeAll, describe, expect, it } from "vitest";
import { myClasses } from "~/domain/classwork/classes.server";
import { ForbiddenError } from "~/domain/foundation/errors.server";
import { myChildren } from "~/domain/people/guardians.server";
import { platformOverview, regionOverview } from "~/domain/places/regions.server";
import { schoolOverview } from "~/domain/places/schools.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";

beforeAll(async () => {
  await demoWorld();
});

describe("what each role's home shows, and to whom", () => {
  it("shows a teacher their own classes with their colleagues", async () => {
    const classes = await myClasses(await actorFor("kangding-pri.t1", "teacher"));
    expect(classes.map((c) => c.name)).toEqual(["四年级（1）班", "六年级（1）班"]);
    expect(classes.every((c) => c.schoolName === "康定市第二小学")).toBe(true);
    expect(classes[0]!.teachers.map((t) => t.subject).sort()).toEqual(["数学", "藏文", "语文"].sort());
    expect(classes[0]!.teachers[0]!.isHeadTeacher).toBe(true);
    expect(classes[0]!.students).toBe(4);
  });

  it("shows a student only the classes they are in", async () => {
    const classes = await myClasses(await actorFor("wuhou-pri.s1"));
    expect(classes.map((c) => c.name)).toEqual(["三年级（1）班"]);
    expect(classes[0]!.myRole).toBe("student");
  });

  it("issue 13 #8b: shows a pupil whose space is closed (no consent, or the phase) no class, classmate or teacher", async () => {
    expect(await myClasses(await actorFor("wuhou-pri.s2"))).toEqual([]); // under 14, no consent
    expect(await myClasses(await actorFor("zhaojue-pri.s1"))).toEqual([]); // zhaojue-pri is at phase 1
  });

  it("refuses class lists to a parent, an admin and anonymous", async () => {
    await expect(myClasses(await actorFor("wuhou-pri.p1"))).rejects.toThrow(ForbiddenError);
    await expect(myClasses(await actorFor("wuhou-pri.admin"))).rejects.toThrow(ForbiddenError);
    await expect(myClasses(null)).rejects.toThrow(ForbiddenError);
  });

  it("shows a parent their own children only, across schools", async () => {
    const children = await myChildren(await actorFor("wuhou-pri.t1", "parent"));
    expect(children.map((c) => c.realName)).toEqual([(await userByLogin("wuhou-jun.s3")).realName]);
    expect(children[0]!.consentState).toBe("given");
    const other = await myChildren(await actorFor("wuhou-pri.p1"));
    expect(other.map((c) => c.studentId)).toEqual([(await userByLogin("wuhou-pri.s1")).id]);
  });

  it("refuses children lists to the same teacher acting as teacher, to students and anonymous", async () => {
    await expect(myChildren(await actorFor("wuhou-pri.t1", "teacher"))).rejects.toThrow(ForbiddenError);
    await expect(myChildren(await actorFor("wuhou-pri.s1"))).rejects.toThrow(ForbiddenError);
    await expect(myChildren(null)).rejects.toThrow(ForbiddenError);
  });

  it("shows a school admin their own school's counts, and refuses a teacher", async () => {
    const overview = await schoolOverview(await actorFor("zhaojue-pri.admin"));
    expect(overview.school.name).toBe("昭觉县城北小学");
    expect(overview.phaseCeiling).toBe(2);
    expect(overview).toMatchObject({ teachers: 3, students: 8, classes: 2, parents: 4 });
    await expect(schoolOverview(await actorFor("zhaojue-pri.t1"))).rejects.toThrow(ForbiddenError);
    await expect(schoolOverview(null)).rejects.toThrow(ForbiddenError);
  });

  it("shows a region admin the schools of their subtree only", async () => {
    const liangshan = await regionOverview(await actorFor("liangshan.edu"));
    expect(liangshan.path.map((r) => r.name)).toEqual(["凉山彝族自治州", "四川省"]);
    expect(liangshan.schools.map((s) => s.name).sort()).toEqual(["昭觉县城北小学", "昭觉县职业技术学校", "昭觉县民族中学"].sort());
    expect((await regionOverview(await actorFor("sichuan.edu"))).schools).toHaveLength(9);
    await expect(regionOverview(await actorFor("zhaojue-pri.admin"))).rejects.toThrow(ForbiddenError);
    await expect(regionOverview(null)).rejects.toThrow(ForbiddenError);
  });

  it("shows the platform admin the whole region tree, and nobody else", async () => {
    const rows = await platformOverview(await actorFor("platform"));
    expect(rows.map((r) => [r.depth, r.name])).toContainEqual([2, "昭觉县"]);
    expect(rows[0]).toMatchObject({ name: "四川省", depth: 0 });
    await expect(platformOverview(await actorFor("sichuan.edu"))).rejects.toThrow(ForbiddenError);
  });
});

describe("the demo seed", () => {
  it("adds nothing when run again", async () => {
    const { seedDemo } = await import("#db/seed/demo");
    const second = await seedDemo();
    expect(second.created).toBe(0);
  });
});
