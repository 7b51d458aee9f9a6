import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { consentNotice, decideConsent } from "~/domain/families/consent.server";
import { NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { shanghaiToday } from "~/domain/foundation/beijing-time.server";
import { recordConsent, setSchoolPhase, spaceStatus } from "~/domain/rollout/rollout.server";
import { requireSpaceFeature } from "~/domain/spaces/spaces.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal } from "../support/refusal";

beforeAll(async () => {
  await demoWorld();
});

const DAY = 86_400_000;
const recordsOf = async (studentId: string) => db().select().from(schema.consentRecords).where(eq(schema.consentRecords.studentId, studentId));
const auditsOf = async (studentId: string) =>
  db()
        .select()
        .from(schema.auditEvents)
        .where(and(eq(schema.auditEvents.action, "consent.online"), eq(schema.auditEvents.targetId, studentId)));
const linkOf = async (parentLogin: string, studentLogin: string) =>
  (await first(db()
        .select()
        .from(schema.guardianLinks)
        .where(and(eq(schema.guardianLinks.guardianId, (await userByLogin(parentLogin)).id), eq(schema.guardianLinks.studentId, (await userByLogin(studentLogin)).id))).limit(1)))!;
const workOf = async (studentId: string) => db().select().from(schema.submissions).where(eq(schema.submissions.studentId, studentId));

describe("the consent notice", () => {
  it("shows a linked parent their child, the school, the state that counts and whether the space can open", async () => {
    const s1 = await userByLogin("wuhou-pri.s1");
    const notice = await consentNotice(await actorFor("wuhou-pri.p1"), s1.id);
    expect(notice.child).toMatchObject({ id: s1.id, realName: s1.realName, schoolName: "武侯区实验小学", classNames: ["三年级（1）班"] });
    expect(notice).toMatchObject({ underConsentAge: true, state: "given", phaseAllowsSpace: true, spaceOpen: true, retentionMonths: 12 });
  });

  it("says when a child is 14 or older and when the school's phase keeps students' spaces closed", async () => {
    const older = await userByLogin("kangding-jun.s5"); // 九年级（2）班, born 2011; kangding-jun is at phase 2
    expect(await consentNotice(await actorFor("kangding-jun.p5"), older.id)).toMatchObject({ underConsentAge: false, phaseAllowsSpace: true, spaceOpen: true });
    const zhaojue = await userByLogin("zhaojue-pri.p1"); // zhaojue-pri is at phase 1: students' spaces stay closed
    const zChild = (await first(db().select().from(schema.guardianLinks).where(eq(schema.guardianLinks.guardianId, zhaojue.id)).limit(1)))!;
    expect(await consentNotice(await actorFor("zhaojue-pri.p1"), zChild.studentId)).toMatchObject({ phaseAllowsSpace: false, spaceOpen: false });
  });

  it("refuses everyone but the child's linked parent: another child's parent in the same class, a teacher, the student, anonymous", async () => {
    const s1 = (await userByLogin("wuhou-pri.s1")).id;
    expect(await refusal(async () => consentNotice(await actorFor("wuhou-pri.p2"), s1))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => consentNotice(await actorFor("wuhou-pri.p5"), s1))).toBeInstanceOf(NotFoundError); // another class
    expect(await refusal(async () => consentNotice(await actorFor("kangding-pri.p1"), s1))).toBeInstanceOf(NotFoundError); // another school
    expect(await refusal(async () => consentNotice(await actorFor("wuhou-pri.t1", "parent"), s1))).toBeInstanceOf(NotFoundError); // a parent, of someone else
    expect((await refusal(async () => consentNotice(await actorFor("wuhou-pri.t1", "teacher"), s1))).status).toBe(403);
    expect((await refusal(async () => consentNotice(await actorFor("wuhou-pri.admin"), s1))).status).toBe(403);
    expect((await refusal(async () => consentNotice(await actorFor("wuhou-pri.s1"), s1))).status).toBe(403);
    expect((await refusal(async () => consentNotice(null, s1))).status).toBe(401);
  });
});

describe("deciding online", () => {
  it("refuses every wrong user and writes nothing", async () => {
    const s2 = (await userByLogin("wuhou-pri.s2")).id;
    const before = (await recordsOf(s2)).length;
    for (const actor of [await actorFor("wuhou-pri.p1"), await actorFor("wuhou-pri.t1", "parent"), await actorFor("wuhou-pri.t1", "teacher"), await actorFor("wuhou-pri.admin"), await actorFor("wuhou-pri.s2"), null]) {
      await expect(decideConsent(actor, s2, "given")).rejects.toThrow();
    }
    expect(await recordsOf(s2)).toHaveLength(before);
    expect(await spaceStatus(await actorFor("wuhou-pri.s2"))).toEqual({ open: false, reason: "consent" });
  });

  it("giving opens the under-14 child's space; one record, the link's state and an audit event in one go; giving twice changes nothing", async () => {
    const parent = await actorFor("wuhou-pri.p2");
    const s2 = await userByLogin("wuhou-pri.s2");
    expect(await spaceStatus(await actorFor("wuhou-pri.s2"))).toEqual({ open: false, reason: "consent" });
    await expect(requireSpaceFeature(await actorFor("wuhou-pri.s2"), "assignments")).rejects.toThrow();

    const now = Date.now();
    expect(await decideConsent(parent, s2.id, "given", now)).toEqual({ changed: true, state: "given" });
    expect(await spaceStatus(await actorFor("wuhou-pri.s2"))).toEqual({ open: true });
    await expect(requireSpaceFeature(await actorFor("wuhou-pri.s2"), "assignments")).resolves.not.toThrow();

    const records = await recordsOf(s2.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ method: "online", decision: "given", guardianName: parent.realName, recordedBy: parent.id, decidedAt: new Date(now) });
    expect(await linkOf("wuhou-pri.p2", "wuhou-pri.s2")).toMatchObject({ consentState: "given", consentRecordedAt: new Date(now) });
    const audits = await auditsOf(s2.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: parent.id, schoolId: s2.schoolId, targetType: "user" });
    expect(audits[0]!.detail).toMatchObject({ decision: "given", method: "online", recordId: records[0]!.id });

    expect(await decideConsent(parent, s2.id, "given", now + 1000)).toEqual({ changed: false, state: "given" });
    expect(await recordsOf(s2.id)).toHaveLength(1);
    expect(await auditsOf(s2.id)).toHaveLength(1);
    expect((await consentNotice(parent, s2.id)).history.map((h) => h.decision)).toEqual(["given"]);
  });

  it("withdrawing closes the space again without deleting class work; withdrawing twice is refused with a clear message", async () => {
    const parent = await actorFor("wuhou-pri.p2");
    const s2 = await userByLogin("wuhou-pri.s2");
    const work = await workOf(s2.id);
    expect(work.length).toBeGreaterThan(0);
    expect(await decideConsent(parent, s2.id, "withdrawn", Date.now() + 2000)).toEqual({ changed: true, state: "withdrawn" });
    expect(await spaceStatus(await actorFor("wuhou-pri.s2"))).toEqual({ open: false, reason: "consent" });
    expect((await refusal(async () => requireSpaceFeature(await actorFor("wuhou-pri.s2"), "assignments"))).key).toBe("rollout:spaceClosed");
    expect(await workOf(s2.id)).toEqual(work);
    expect((await linkOf("wuhou-pri.p2", "wuhou-pri.s2")).consentState).toBe("withdrawn");

    const again = await refusal(async () => decideConsent(parent, s2.id, "withdrawn", Date.now() + 3000), ValidationError);
    expect(again.key).toBe("consent:notGiven");
    expect(await recordsOf(s2.id)).toHaveLength(2);
    expect((await consentNotice(parent, s2.id)).state).toBe("withdrawn");

    // Consent again reopens it, with everything as it was.
    await decideConsent(parent, s2.id, "given", Date.now() + 4000);
    expect(await spaceStatus(await actorFor("wuhou-pri.s2"))).toEqual({ open: true });
    expect(await workOf(s2.id)).toEqual(work);
    expect((await consentNotice(parent, s2.id)).history.map((h) => h.decision)).toEqual(["given", "withdrawn", "given"]);
  });

  it("refusing keeps the space closed; refusing what was given must be a withdrawal; nonsense is refused", async () => {
    const s6 = await userByLogin("wuhou-pri.s6"); // 五年级（2）班, born 2016, mother linked without consent
    const parent = await actorFor("wuhou-pri.p6");
    expect((await refusal(async () => decideConsent(parent, s6.id, "withdrawn"), ValidationError)).key).toBe("consent:notGiven");
    expect(await decideConsent(parent, s6.id, "refused")).toEqual({ changed: true, state: "refused" });
    expect(await spaceStatus(await actorFor("wuhou-pri.s6"))).toEqual({ open: false, reason: "consent" });
    expect(await decideConsent(parent, s6.id, "refused")).toEqual({ changed: false, state: "refused" });
    expect((await refusal(async () => decideConsent(parent, s6.id, "maybe"), ValidationError)).key).toBe("consent:decisionInvalid");
    await decideConsent(parent, s6.id, "given", Date.now() + 1000);
    expect((await refusal(async () => decideConsent(parent, s6.id, "refused", Date.now() + 2000), ValidationError)).key).toBe("consent:withdrawInstead");
    expect(await spaceStatus(await actorFor("wuhou-pri.s6"))).toEqual({ open: true });
  });

  it("the school admin's paper record counts the same: the newest decision wins, online or on paper", async () => {
    const parent = await actorFor("wuhou-pri.p1");
    const s1 = await userByLogin("wuhou-pri.s1");
    const admin = await actorFor("wuhou-pri.admin");
    const threeDaysAgo = Date.now() - 3 * DAY;
    await decideConsent(parent, s1.id, "withdrawn", threeDaysAgo);
    expect(await spaceStatus(await actorFor("wuhou-pri.s1"))).toEqual({ open: false, reason: "consent" });

    // A paper form signed today, after the online withdrawal: consent again.
    await recordConsent(admin, { student: "wuhou-pri.s1", guardianName: "外婆", signedOn: shanghaiToday(), decision: "given" });
    expect(await spaceStatus(await actorFor("wuhou-pri.s1"))).toEqual({ open: true });
    expect(await consentNotice(parent, s1.id)).toMatchObject({ state: "given", spaceOpen: true });
    // Giving online now changes nothing: consent already counts.
    expect((await decideConsent(parent, s1.id, "given")).changed).toBe(false);

    // And the parent may withdraw what the paper form gave, online.
    await decideConsent(parent, s1.id, "withdrawn", Date.now() + DAY);
    expect(await spaceStatus(await actorFor("wuhou-pri.s1"), Date.now() + DAY)).toEqual({ open: false, reason: "consent" });
    const history = (await consentNotice(parent, s1.id)).history;
    expect(history.map((h) => [h.method, h.decision])).toEqual([
      ["online", "withdrawn"],
      ["paper", "given"],
      ["online", "withdrawn"],
    ]);
    await decideConsent(parent, s1.id, "given", Date.now() + 2 * DAY);
    expect(await spaceStatus(await actorFor("wuhou-pri.s1"))).toEqual({ open: true });
  });

  it("consent opens the space only within the school's phase", async () => {
    const admin = await actorFor("wuhou-pri.admin");
    const school = (await userByLogin("wuhou-pri.s2")).schoolId!;
    await setSchoolPhase(admin, school, 1);
    try {
      expect(await spaceStatus(await actorFor("wuhou-pri.s2"))).toEqual({ open: false, reason: "phase" });
      expect(await consentNotice(await actorFor("wuhou-pri.p2"), (await userByLogin("wuhou-pri.s2")).id)).toMatchObject({ state: "given", phaseAllowsSpace: false, spaceOpen: false });
    } finally {
      await setSchoolPhase(admin, school, 3);
    }
    expect(await spaceStatus(await actorFor("wuhou-pri.s2"))).toEqual({ open: true });
  });
});
