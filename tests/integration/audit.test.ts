import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { listAuditEvents, recordAudit } from "~/domain/audit.server";
import { createClass, moveStudent } from "~/domain/classes.server";
import { ForbiddenError, ValidationError } from "~/domain/errors.server";
import { randomId } from "~/domain/ids.server";
import { recordConsent, setSchoolPhase } from "~/domain/rollout.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";

const schoolIdOf = (login: string) => userByLogin(login).schoolId!;
let siblingSchoolId = "";
let wuhouRegionId = "";

beforeAll(async () => {
  await demoWorld();
  // Admin actions in four schools: two in 武侯 (成都), one in 康定 (甘孜), one in 昭觉 (凉山).
  createClass(actorFor("wuhou-pri.admin"), { grade: 1, name: "审计一班", year: 2026 });
  const target = db().select().from(schema.classes).where(eq(schema.classes.name, "五年级（2）班")).get()!;
  moveStudent(actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s2", toClassId: target.id });
  recordConsent(actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s3", guardianName: "张桂兰", signedOn: "2026-09-01", decision: "given" });
  setSchoolPhase(actorFor("wuhou-jun.admin"), schoolIdOf("wuhou-jun.admin"), 2);
  createClass(actorFor("kangding-pri.admin"), { grade: 1, name: "一年级（1）班", year: 2026 });
  setSchoolPhase(actorFor("zhaojue-pri.admin"), schoolIdOf("zhaojue-pri.admin"), 2);

  // A sibling county of 武侯 with its own school and event, and a county admin for 武侯.
  const wuhou = db().select().from(schema.regions).where(eq(schema.regions.name, "武侯区")).get()!;
  wuhouRegionId = wuhou.id;
  const sibling = randomId();
  db().insert(schema.regions).values({ id: sibling, parentId: wuhou.parentId, name: "锦江区（测试）", level: "county" }).run();
  siblingSchoolId = randomId();
  db().insert(schema.schools).values({ id: siblingSchoolId, regionId: sibling, name: "锦江区测试小学", stage: "primary" }).run();
  recordAudit({ actorId: null, action: "school.phase_change", targetType: "school", targetId: siblingSchoolId, schoolId: siblingSchoolId, detail: { from: 0, to: 1 } });
  recordAudit({ actorId: null, action: "region.rename", targetType: "region", targetId: sibling, detail: { name: "锦江区（测试）" } });
  recordAudit({ actorId: null, action: "region.rename", targetType: "region", targetId: wuhou.id, detail: { name: "武侯区" } });
  const countyAdmin = randomId();
  db().insert(schema.users).values({ id: countyAdmin, handle: `c-${countyAdmin}`, loginName: "wuhou.edu.audit", realName: "武侯区教育局", status: "active" }).run();
  db().insert(schema.userRoles).values({ userId: countyAdmin, role: "region_admin", regionId: wuhou.id }).run();
});

const all = (actor: ReturnType<typeof actorFor>, filters = {}) => {
  const events = [];
  let cursor: string | null = null;
  do {
    const page = listAuditEvents(actor, filters, cursor, 3);
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  return events;
};

describe("who sees which audit events", () => {
  it("a school admin sees their own school's events only", () => {
    const events = all(actorFor("wuhou-pri.admin"));
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(new Set(events.map((e) => e.schoolName))).toEqual(new Set(["武侯区实验小学"]));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["class.create", "class.move_student", "consent.record"]));
    const move = events.find((e) => e.action === "class.move_student")!;
    expect(move.actor?.loginName).toBe("wuhou-pri.admin");
    expect(move.targetName).toBe(userByLogin("wuhou-pri.s2").realName);
  });

  it("school B's admin does not see school A's events", () => {
    const events = all(actorFor("kangding-pri.admin"));
    expect(events.map((e) => e.action)).toContain("class.create");
    expect(events.some((e) => e.schoolName !== "康定市第二小学")).toBe(false);
  });

  it("a prefecture admin sees their subtree's schools, not another prefecture's", () => {
    const events = all(actorFor("liangshan.edu"));
    expect(events.map((e) => e.schoolName)).toContain("昭觉县城北小学");
    expect(events.every((e) => ["昭觉县城北小学", "昭觉县民族中学", "昭觉县职业技术学校"].includes(e.schoolName ?? ""))).toBe(true);
  });

  it("a county admin sees their county's schools and region events, not a sibling county's", () => {
    const events = all(actorFor("wuhou.edu.audit"));
    const schools = new Set(events.map((e) => e.schoolName).filter(Boolean));
    expect(schools).toEqual(new Set(["武侯区实验小学", "武侯区第一初级中学"]));
    expect(events.some((e) => e.targetId === siblingSchoolId)).toBe(false);
    const regionEvents = events.filter((e) => e.targetType === "region");
    expect(regionEvents.map((e) => e.targetId)).toEqual([wuhouRegionId]);
  });

  it("the province admin and the platform admin see the sibling county too", () => {
    for (const login of ["sichuan.edu", "platform"]) {
      const events = all(actorFor(login));
      expect(events.some((e) => e.targetId === siblingSchoolId)).toBe(true);
      expect(events.filter((e) => e.targetType === "region")).toHaveLength(2);
    }
  });

  it("refuses teachers, students, parents and anonymous", () => {
    for (const actor of [actorFor("wuhou-pri.t1", "teacher"), actorFor("wuhou-pri.t1", "parent"), actorFor("wuhou-pri.s1"), actorFor("wuhou-pri.p1"), null]) {
      expect(() => listAuditEvents(actor)).toThrow(ForbiddenError);
    }
  });
});

describe("filters and pages", () => {
  it("filters by action prefix, matching whole segments", () => {
    const platform = actorFor("platform");
    const classEvents = all(platform, { action: "class" });
    expect(classEvents.length).toBeGreaterThanOrEqual(3);
    expect(classEvents.every((e) => e.action.startsWith("class."))).toBe(true);
    expect(all(platform, { action: "class.move_student" }).map((e) => e.action)).toEqual(["class.move_student"]);
    expect(all(platform, { action: "clas" })).toEqual([]);
    expect(() => listAuditEvents(platform, { action: "class%" })).toThrow(ValidationError);
  });

  it("filters by who did it (login name, any case)", () => {
    const events = all(actorFor("platform"), { who: " WUHOU-JUN.admin " });
    expect(events.map((e) => e.action)).toEqual(["school.phase_change"]);
    expect(events[0]!.detail).toMatchObject({ from: 3, to: 2 });
    expect(all(actorFor("platform"), { who: "nobody.here" })).toEqual([]);
  });

  it("filters by dates in Beijing time, inclusive, and refuses a bad date beside its field", () => {
    const platform = actorFor("platform");
    const at = Date.UTC(2025, 0, 1, 16, 30); // 2025-01-02 00:30 in Beijing
    const id = randomId();
    db().insert(schema.auditEvents).values({ id, actorId: null, action: "test.dated", targetType: "school", at: new Date(at) }).run();
    expect(all(platform, { action: "test", from: "2025-01-02", to: "2025-01-02" }).map((e) => e.id)).toEqual([id]);
    expect(all(platform, { action: "test", to: "2025-01-01" })).toEqual([]);
    expect(all(platform, { action: "test", from: "2025-01-03" })).toEqual([]);
    const error = (() => {
      try {
        listAuditEvents(platform, { from: "2025-02-30" });
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(error?.fields.from?.key).toBe("audit:dateInvalid");
  });

  it("pages newest first with a cursor, without repeats or gaps as new events arrive", () => {
    const admin = actorFor("wuhou-pri.admin");
    const everything = all(admin);
    const first = listAuditEvents(admin, {}, null, 2);
    expect(first.events.map((e) => e.id)).toEqual(everything.slice(0, 2).map((e) => e.id));
    // A new event on top does not shift the next page.
    createClass(admin, { grade: 2, name: "审计二班", year: 2026 });
    const second = listAuditEvents(admin, {}, first.nextCursor, 2);
    expect(second.events.map((e) => e.id)).toEqual(everything.slice(2, 4).map((e) => e.id));
    const times = everything.map((e) => e.at.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(() => listAuditEvents(admin, {}, "not a cursor")).toThrow(ValidationError);
  });
});
