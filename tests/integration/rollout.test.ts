import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, selectRows, first } from "#db/client";
import { DomainError, ForbiddenError, ValidationError } from "~/domain/foundation/errors.server";
import { isUnderConsentAge } from "~/domain/people/consent-state.server";
import { shanghaiToday } from "~/domain/foundation/beijing-time.server";
import { effectivePhase, ownerSpaceStatus, recordConsent, requireOpenSpace, rolloutOverview, setSchoolPhase, setStudentContentApproval, spaceStatus, spaceStatusOf } from "~/domain/rollout/rollout.server";
import { findSchool } from "~/domain/places/schools.server";
import { needsApproval, ownerOf } from "~/domain/rollout/visibility.server";
import { randomId } from "~/domain/foundation/ids.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal } from "../support/refusal";
import { mapInOrder } from "~/lib/in-order";

beforeAll(async () => {
  await demoWorld();
});

const schoolOf = async (loginName: string) => (await findSchool((await userByLogin(loginName)).schoolId!))!;


/** Row counts of everything a phase change must never delete. */
async function rowCounts() {
  const n = async (table: string) => (await selectRows<{ n: number }>(sql.raw(`select count(*) as n from ${table}`)))[0]!.n;
  return Object.fromEntries((await mapInOrder(["users", "user_roles", "classes", "class_memberships", "guardian_links", "consent_records", "sessions"], async (t) => [t, await n(t)])));
}

describe("ages and effective phases", () => {
  it("counts under 14 until the 14th birthday, in Beijing's today", () => {
    expect(isUnderConsentAge("2012-11-28", "2026-11-27")).toBe(true);
    expect(isUnderConsentAge("2012-11-28", "2026-11-28")).toBe(false);
    expect(isUnderConsentAge("2012-02-29", "2026-02-28")).toBe(true);
    expect(isUnderConsentAge("2012-02-29", "2026-03-01")).toBe(false);
    expect(isUnderConsentAge(null, "2026-03-01")).toBe(true);
    // 2026-11-28 17:00 UTC is already the 29th in Beijing.
    expect(shanghaiToday(Date.UTC(2026, 10, 28, 17))).toBe("2026-11-29");
  });

  it("caps a school's phase at its region's ceiling", async () => {
    const zhaojueJun = await schoolOf("zhaojue-jun.admin"); // phase 2, 凉山 ceiling 2
    expect(await effectivePhase(zhaojueJun)).toBe(2);
    expect(await effectivePhase({ ...zhaojueJun, phase: 3 })).toBe(2);
    expect(await effectivePhase(await schoolOf("wuhou-pri.admin"))).toBe(3); // no ceiling above 成都
  });
});

describe("setting the phase", () => {
  it("refuses a phase above the ceiling with the ceiling in the message, and changes nothing", async () => {
    const admin = await actorFor("zhaojue-pri.admin");
    const school = await schoolOf("zhaojue-pri.admin");
    const error = await refusal(async () => setSchoolPhase(admin, school.id, "3")) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fields.phase).toEqual({ key: "rollout:aboveCeiling", params: { ceiling: 2 } });
    expect((await findSchool(school.id))!.phase).toBe(1);
    for (const bad of ["4", "-1", "1.5", "two"]) {
      expect((await refusal(async () => setSchoolPhase(admin, school.id, bad)) as ValidationError).fields.phase?.key).toBe("rollout:phaseInvalid");
    }
  });

  it("refuses the admin of school A on school B, and teachers, region admins and anonymous", async () => {
    const kangding = await schoolOf("kangding-pri.admin");
    await expect(setSchoolPhase(await actorFor("wuhou-pri.admin"), kangding.id, 1)).rejects.toThrow(ForbiddenError);
    for (const actor of [await actorFor("kangding-pri.t1"), await actorFor("kangding-pri.s1"), await actorFor("sichuan.edu"), await actorFor("platform"), null]) {
      await expect(setSchoolPhase(actor, kangding.id, 1)).rejects.toThrow(ForbiddenError);
    }
    expect((await findSchool(kangding.id))!.phase).toBe(2);
  });

  it("moving down closes spaces without deleting anything; moving up reopens them", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const school = await schoolOf("wuhou-pri.admin");
    const teacher = await actorFor("wuhou-pri.t2");
    const student = await actorFor("wuhou-pri.s1"); // under 14, consent given by a linked parent
    const parent = await actorFor("wuhou-pri.p1");
    expect([await spaceStatus(teacher), await spaceStatus(student), await spaceStatus(parent)]).toEqual([{ open: true }, { open: true }, { open: true }]);
    const before = await rowCounts();

    expect(await setSchoolPhase(admin, school.id, 1)).toEqual({ from: 3, to: 1 });
    expect(await spaceStatus(teacher)).toEqual({ open: true });
    expect(await spaceStatus(student)).toEqual({ open: false, reason: "phase" });
    expect(await spaceStatus(parent)).toEqual({ open: false, reason: "phase" });
    await setSchoolPhase(admin, school.id, 0);
    expect(await spaceStatus(teacher)).toEqual({ open: false, reason: "phase" });
    expect(await rowCounts()).toEqual(before);

    await setSchoolPhase(admin, school.id, "3");
    expect([await spaceStatus(teacher), await spaceStatus(student), await spaceStatus(parent)]).toEqual([{ open: true }, { open: true }, { open: true }]);
    const changes = await db()
          .select()
          .from(schema.auditEvents)
          .where(and(eq(schema.auditEvents.action, "school.phase_change"), eq(schema.auditEvents.schoolId, school.id)));
    expect(changes.map((c) => [c.detail?.from, c.detail?.to])).toEqual([
      [3, 1],
      [1, 0],
      [0, 3],
    ]);
  });

  it("a lowered region ceiling closes spaces above it even though the school's own phase stays", async () => {
    const school = await schoolOf("kangding-jun.admin"); // phase 2, 甘孜 ceiling 3
    const student = await actorFor("kangding-jun.s5"); // born 2011: 15, no consent needed
    expect(await spaceStatus(student)).toEqual({ open: true });
    const garze = (await first(db().select().from(schema.regions).where(eq(schema.regions.name, "甘孜藏族自治州")).limit(1)))!;
    await db().update(schema.regions).set({ phaseCeiling: 1 }).where(eq(schema.regions.id, garze.id));
    try {
      expect(await spaceStatus(student)).toEqual({ open: false, reason: "phase" });
      expect(await spaceStatus(await actorFor("kangding-jun.t1"))).toEqual({ open: true });
      expect((await findSchool(school.id))!.phase).toBe(2);
    } finally {
      await db().update(schema.regions).set({ phaseCeiling: 3 }).where(eq(schema.regions.id, garze.id));
    }
  });
});

describe("whose space is open", () => {
  it("opens teachers at 1, students at 2, parents at 3 (zhaojue-pri is at 1)", async () => {
    expect(await spaceStatus(await actorFor("zhaojue-pri.t1"))).toEqual({ open: true });
    expect(await spaceStatus(await actorFor("zhaojue-pri.s1"))).toEqual({ open: false, reason: "phase" });
    expect(await spaceStatus(await actorFor("zhaojue-pri.p1"))).toEqual({ open: false, reason: "phase" });
  });

  it("opens a parent's space when any linked child's school is at phase 3", async () => {
    // wuhou-pri.t1 acting as a parent: their child is at wuhou-jun (phase 3).
    expect(await spaceStatus(await actorFor("wuhou-pri.t1", "parent"))).toEqual({ open: true });
  });

  it("reads admins as open: the phase gates spaces, not administration", async () => {
    expect(await spaceStatus(await actorFor("zhaojue-pri.admin"))).toEqual({ open: true });
    await expect(spaceStatus(null)).rejects.toThrow(ForbiddenError);
  });

  it("a student 14 or older needs no consent", async () => {
    // wuhou-voc students were born in 2009–2010; s2 has no consent on record.
    expect(await spaceStatus(await actorFor("wuhou-voc.s2"))).toEqual({ open: true });
  });

  it("requireOpenSpace refuses a closed space with the reason, as a 403 page", async () => {
    const error = await refusal(async () => requireOpenSpace(await actorFor("zhaojue-pri.s1"))) as DomainError;
    expect(error).toBeInstanceOf(DomainError);
    expect(error.status).toBe(403);
    expect(error.key).toBe("rollout:spaceClosed");
    expect(error.params).toMatchObject({ reason: "phase" });
    await expect(requireOpenSpace(await actorFor("wuhou-pri.t2"))).resolves.not.toThrow();
  });
});

describe("guardian consent on paper", () => {
  it("keeps an under-14 student closed without consent, opens after paper consent, closes after withdrawal", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const student = await actorFor("wuhou-pri.s2"); // born 2018; their linked mother has not consented
    expect(await spaceStatus(student)).toEqual({ open: false, reason: "consent" });
    expect((await rolloutOverview(admin)).pupils.rows.map((s) => s.loginName)).toContain("wuhou-pri.s2");

    await recordConsent(admin, { student: "wuhou-pri.s2", guardianName: "李秀英", signedOn: "2026-09-01", decision: "given", note: "开学家长会签字" });
    expect(await spaceStatus(student)).toEqual({ open: true });
    expect((await rolloutOverview(admin)).pupils.rows.map((s) => s.loginName)).not.toContain("wuhou-pri.s2");

    await recordConsent(admin, { student: "wuhou-pri.s2", guardianName: "李秀英", signedOn: "2026-10-15", decision: "withdrawn" });
    expect(await spaceStatus(student)).toEqual({ open: false, reason: "consent" });
    const missing = (await rolloutOverview(admin)).pupils.rows.find((s) => s.loginName === "wuhou-pri.s2");
    expect(missing).toMatchObject({ lastDecision: "withdrawn", className: "三年级（1）班" });

    const records = await db().select().from(schema.consentRecords).where(eq(schema.consentRecords.studentId, student.id));
    expect(records.map((r) => [r.decision, r.method, r.recordedBy])).toEqual([
      ["given", "paper", admin.id],
      ["withdrawn", "paper", admin.id],
    ]);
    const audited = await db().select().from(schema.auditEvents).where(and(eq(schema.auditEvents.action, "consent.record"), eq(schema.auditEvents.targetId, student.id)));
    expect(audited.map((a) => a.detail?.decision)).toEqual(["given", "withdrawn"]);
  });

  it("a paper withdrawal entered after a parent's online consent closes the space", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const student = await actorFor("wuhou-pri.s5"); // born 2016, linked father consented
    expect(await spaceStatus(student)).toEqual({ open: true });
    await recordConsent(admin, { student: "wuhou-pri.s5", guardianName: "监护人", signedOn: shanghaiToday(), decision: "withdrawn" });
    expect(await spaceStatus(student)).toEqual({ open: false, reason: "consent" });
  });

  it("refuses a student of school B (read as unknown), a future date, an impossible date and a missing decision", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const before = await rowCounts();
    const other = await refusal(async () => recordConsent(admin, { student: "kangding-pri.s1", guardianName: "某人", signedOn: "2026-09-01", decision: "given" })) as ValidationError;
    expect(other.fields.student?.key).toBe("rollout:studentNotFound");
    const future = await refusal(async () => recordConsent(admin, { student: "wuhou-pri.s6", guardianName: "某人", signedOn: "2099-01-01", decision: "given" })) as ValidationError;
    expect(future.fields.signedOn?.key).toBe("rollout:signedOnFuture");
    const impossible = await refusal(async () => recordConsent(admin, { student: "wuhou-pri.s6", guardianName: "某人", signedOn: "2026-02-30", decision: "given" })) as ValidationError;
    expect(impossible.fields.signedOn?.key).toBe("rollout:signedOnInvalid");
    const blank = await refusal(async () => recordConsent(admin, { student: "", guardianName: "", signedOn: "", decision: "maybe" })) as ValidationError;
    expect(Object.keys(blank.fields).sort()).toEqual(["decision", "guardianName", "signedOn", "student"]);
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses consent records and the rollout page to teachers, parents, region admins and anonymous", async () => {
    for (const actor of [await actorFor("wuhou-pri.t1", "teacher"), await actorFor("wuhou-pri.p1"), await actorFor("wuhou-pri.s1"), await actorFor("sichuan.edu"), null]) {
      await expect(recordConsent(actor, { student: "wuhou-pri.s6", guardianName: "某人", signedOn: "2026-09-01", decision: "given" })).rejects.toThrow(ForbiddenError);
      await expect(rolloutOverview(actor)).rejects.toThrow(ForbiddenError);
    }
  });
});

describe("the rollout overview", () => {
  it("counts open and closed spaces by role for the admin's own school only", async () => {
    const overview = await rolloutOverview(await actorFor("zhaojue-pri.admin")); // phase 1, ceiling 2
    expect(overview).toMatchObject({ ceiling: 2, effectivePhase: 1 });
    expect(overview.counts).toEqual({ teacher: { open: 3, closed: 0 }, student: { open: 0, closed: 8 }, parent: { open: 0, closed: 4 } });
    // All eight students are under 14; the first of each class has a parent who consented online.
    expect(overview.pupils.rows).toHaveLength(6);
    expect(overview.pupils.rows.map((s) => s.loginName)).not.toContain("zhaojue-pri.s1");
    expect(overview.pupils.rows.every((s) => s.className)).toBe(true);
  });
});

describe("another person's space status", () => {
  it("is shown to the admins of their school and the regions above it, and to nobody else", async () => {
    const s2 = await userByLogin("zhaojue-pri.s2");
    expect(await spaceStatusOf(await actorFor("zhaojue-pri.admin"), s2.id)).toEqual({ open: false, reason: "phase", role: "student" });
    expect((await spaceStatusOf(await actorFor("liangshan.edu"), s2.id)).role).toBe("student");
    expect((await spaceStatusOf(await actorFor("platform"), s2.id)).open).toBe(false);
    for (const actor of [await actorFor("wuhou-pri.admin"), await actorFor("zhaojue-pri.t1"), await actorFor("zhaojue-pri.p2"), await actorFor("zhaojue-pri.s1"), null]) {
      await expect(spaceStatusOf(actor, s2.id)).rejects.toThrow(ForbiddenError);
    }
    // A parent's status goes to the admins of their child's school.
    expect(await spaceStatusOf(await actorFor("wuhou-pri.admin"), (await userByLogin("wuhou-pri.p1")).id)).toEqual({ open: true, role: "parent" });
    await expect(spaceStatusOf(await actorFor("kangding-pri.admin"), (await userByLogin("wuhou-pri.p1")).id)).rejects.toThrow(ForbiddenError);
  });

  it("a county admin cannot reach a school of a sibling county", async () => {
    const wuhou = (await first(db().select().from(schema.regions).where(eq(schema.regions.name, "武侯区")).limit(1)))!;
    const jinjiang = randomId();
    await db().insert(schema.regions).values({ id: jinjiang, parentId: wuhou.parentId, name: "锦江区（测试）", level: "county" });
    const school = randomId();
    await db().insert(schema.schools).values({ id: school, regionId: jinjiang, name: "锦江区测试小学", stage: "primary", phase: 2 });
    const pupil = randomId();
    await db().insert(schema.users).values({ id: pupil, handle: `p-${pupil}`, loginName: `jj-${pupil}`, realName: "测试学生", schoolId: school, birthDate: "2010-01-01", status: "active" });
    await db().insert(schema.userRoles).values({ userId: pupil, role: "student", schoolId: school });
    const countyAdmin = randomId();
    await db().insert(schema.users).values({ id: countyAdmin, handle: `c-${countyAdmin}`, loginName: "wuhou.edu.rollout", realName: "武侯区教育局", status: "active" });
    await db().insert(schema.userRoles).values({ userId: countyAdmin, role: "region_admin", regionId: wuhou.id });

    await expect(spaceStatusOf(await actorFor("wuhou.edu.rollout"), pupil)).rejects.toThrow(ForbiddenError);
    expect((await spaceStatusOf(await actorFor("wuhou.edu.rollout"), (await userByLogin("wuhou-pri.s1")).id)).open).toBe(true);
    expect(await spaceStatusOf(await actorFor("sichuan.edu"), pupil)).toEqual({ open: true, role: "student" });
  });
});

describe("a space owner's status for other domain modules", () => {
  it("follows the same rules as the owner's own status", async () => {
    expect(await ownerSpaceStatus((await userByLogin("zhaojue-pri.s1")).id, "student")).toEqual({ open: false, reason: "phase" });
    expect(await ownerSpaceStatus((await userByLogin("zhaojue-pri.t1")).id, "teacher")).toEqual({ open: true });
    expect(await ownerSpaceStatus((await userByLogin("wuhou-pri.t1")).id, "parent")).toEqual({ open: true });
  });
});

describe("approval of students' content (school setting)", () => {
  const primary = async () => (await findSchool((await userByLogin("wuhou-pri.admin")).schoolId!))!;
  const junior = async () => (await findSchool((await userByLogin("wuhou-jun.admin")).schoolId!))!;

  it("defaults by stage: on for a primary school, off for a junior school", async () => {
    expect((await rolloutOverview(await actorFor("wuhou-pri.admin"))).studentApproval).toEqual({ required: true, stageDefault: true, setting: "default" });
    expect((await rolloutOverview(await actorFor("wuhou-jun.admin"))).studentApproval).toEqual({ required: false, stageDefault: false, setting: "default" });
    expect(await needsApproval(await ownerOf((await userByLogin("wuhou-pri.s1")).id))).toBe(true);
    expect(await needsApproval(await ownerOf((await userByLogin("wuhou-jun.s1")).id))).toBe(false);
    expect(await needsApproval(await ownerOf((await userByLogin("wuhou-pri.t1")).id))).toBe(false); // teachers never wait
  });

  it("is set by the school's own admin, audited, and takes effect at once", async () => {
    const admin = await actorFor("wuhou-jun.admin");
    await setStudentContentApproval(admin, (await junior()).id, "on");
    expect((await junior()).studentContentApproval).toBe(true);
    expect(await needsApproval(await ownerOf((await userByLogin("wuhou-jun.s1")).id))).toBe(true);
    await setStudentContentApproval(admin, (await junior()).id, "default");
    expect((await junior()).studentContentApproval).toBeNull();
    const events = await db().select().from(schema.auditEvents).where(and(eq(schema.auditEvents.action, "school.content_approval"), eq(schema.auditEvents.schoolId, (await junior()).id)));
    expect(events.map((e) => (e.detail as { to: boolean | null }).to)).toEqual([true, null]);
  });

  it("refuses another school's admin, a teacher, a region admin and anonymous; refuses an unknown value", async () => {
    await expect(setStudentContentApproval(await actorFor("wuhou-jun.admin"), (await primary()).id, "off")).rejects.toThrow(ForbiddenError);
    await expect(setStudentContentApproval(await actorFor("wuhou-pri.t1", "teacher"), (await primary()).id, "off")).rejects.toThrow(ForbiddenError);
    await expect(setStudentContentApproval(await actorFor("sichuan.edu"), (await primary()).id, "off")).rejects.toThrow(ForbiddenError);
    await expect(setStudentContentApproval(null, (await primary()).id, "off")).rejects.toThrow(DomainError);
    await expect(setStudentContentApproval(await actorFor("wuhou-pri.admin"), (await primary()).id, "maybe")).rejects.toThrow(ValidationError);
    expect((await primary()).studentContentApproval).toBeNull();
  });
});
