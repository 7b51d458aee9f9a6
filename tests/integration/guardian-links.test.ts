import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { DomainError, ForbiddenError, ThrottledError, ValidationError } from "~/domain/foundation/errors.server";
import {
  addChildWithCode,
  guardiansOf,
  guardiansOfClass,
  issueLinkCodes,
  joinWithCode,
  LINK_CODE_TTL_MS,
  linkCodeChoices,
  removeGuardianLink,
} from "~/domain/families/guardian-links.server";
import { randomId } from "~/domain/foundation/ids.server";
import { validateSessionToken } from "~/domain/accounts/sessions.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { findInOrder } from "~/lib/in-order";

const DAY = 86_400_000;
const PASSWORD = "秋天的雨 is a key";
let address = 0;
/** A fresh client address per attempt group, so throttling counters of one test do not touch another. */
const client = () => ({ address: `198.51.100.${++address}`, userAgent: "vitest" });

let class1: string; // 三年级（1）班 of 武侯区实验小学: s1–s4
let otherClass: string; // a class of the same school that wuhou-pri.t1 does not teach

beforeAll(async () => {
  await demoWorld();
  class1 = await classOf("wuhou-pri.s2");
  const school = (await userByLogin("wuhou-pri.s2")).schoolId!;
  otherClass = randomId();
  await db().insert(schema.classes).values({ id: otherClass, schoolId: school, grade: 6, name: "六年级（9）班", year: 2026 });
  await db().insert(schema.classMemberships).values({ classId: otherClass, userId: (await userByLogin("wuhou-pri.t2")).id, role: "teacher" });
});

async function classOf(loginName: string): Promise<string> {
  const row = await first(db()
      .select({ classId: schema.classMemberships.classId })
      .from(schema.classMemberships)
      .where(and(eq(schema.classMemberships.userId, (await userByLogin(loginName)).id), eq(schema.classMemberships.role, "student"))).limit(1));
  return row!.classId;
}

async function failure(run: () => unknown): Promise<DomainError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

async function codeFor(loginName: string, now = Date.now()): Promise<string> {
  return (await issueLinkCodes(await actorFor("wuhou-pri.t1", "teacher"), await classOf(loginName), [(await userByLogin(loginName)).id], now))[0]!.code;
}

async function join(code: string, phone: string, extra: Partial<{ realName: string; password: string; confirm: string }> = {}, at = client(), now?: number) {
  return joinWithCode({ code, realName: "王秀英", phone, password: PASSWORD, confirm: PASSWORD, ...extra }, at, now);
}

async function linksOf(studentLogin: string) {
  return db().select().from(schema.guardianLinks).where(eq(schema.guardianLinks.studentId, (await userByLogin(studentLogin)).id));
}

describe("issuing link codes", () => {
  it("gives the class's teacher one slip per chosen child, valid 14 days, audited", async () => {
    const teacher = await actorFor("wuhou-pri.t1", "teacher");
    const s2 = await userByLogin("wuhou-pri.s2");
    const s3 = await userByLogin("wuhou-pri.s3");
    const now = Date.now();
    const slips = await issueLinkCodes(teacher, class1, [s2.id, s3.id, s2.id], now);
    expect(slips).toHaveLength(2);
    const slip = slips.find((s) => s.student.id === s2.id)!;
    expect(slip.code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    expect(slip.class?.name).toBe("三年级（1）班");
    expect(slip.school.name).toBe("武侯区实验小学");
    expect(slip.expiresAt.getTime()).toBe(now + LINK_CODE_TTL_MS);
    expect(LINK_CODE_TTL_MS).toBe(14 * DAY);
    // Only the hash is kept.
    const stored = await db().select().from(schema.guardianLinkCodes).where(eq(schema.guardianLinkCodes.studentId, s2.id));
    expect(stored.map((c) => c.codeHash)).not.toContain(slip.code);
    // One entry for the batch, with the children inside (issue 15).
    const audit = await db().select().from(schema.auditEvents).where(and(eq(schema.auditEvents.action, "guardian_link_code.issue"), eq(schema.auditEvents.targetId, class1)));
    expect(audit.at(-1)?.detail).toMatchObject({ count: 2, students: expect.arrayContaining([s2.id, s3.id]) });
    expect((await linkCodeChoices(teacher, class1)).students.find((s) => s.id === s2.id)?.openCodeExpiresAt?.getTime()).toBe(now + LINK_CODE_TTL_MS);
  });

  it("lets the school's admin issue too", async () => {
    const slips = await issueLinkCodes(await actorFor("wuhou-pri.admin"), class1, [(await userByLogin("wuhou-pri.s4")).id]);
    expect(slips).toHaveLength(1);
  });

  it("voids the child's unused code when a new one is issued", async () => {
    const old = await codeFor("wuhou-pri.s3");
    await codeFor("wuhou-pri.s3");
    const refused = (await failure(async () => join(old, "13900000001"))) as ValidationError;
    expect(refused.fields.code?.key).toBe("guardianLinks:errors.codeVoided");
  });

  it("refuses everyone but the class's teachers and the school's admins", async () => {
    const s2 = (await userByLogin("wuhou-pri.s2")).id;
    const wrong: [string, Actor][] = [
      ["a teacher of another school", await actorFor("wuhou-jun.t1", "teacher")],
      ["the admin of another school", await actorFor("wuhou-jun.admin")],
      ["a student", await actorFor("wuhou-pri.s1")],
      ["a parent", await actorFor("wuhou-pri.p1")],
      ["the class's teacher acting as parent", await actorFor("wuhou-pri.t1", "parent")],
      ["the province's admin", await actorFor("sichuan.edu")],
    ];
    for (const [, actor] of wrong) {
      expect(await failure(async () => issueLinkCodes(actor, class1, [s2]))).toBeInstanceOf(ForbiddenError);
      expect(await failure(async () => linkCodeChoices(actor, class1))).toBeInstanceOf(ForbiddenError);
    }
    // A teacher of the same school who does not teach this class.
    expect(await failure(async () => issueLinkCodes(await actorFor("wuhou-pri.t1", "teacher"), otherClass, [s2]))).toBeInstanceOf(ForbiddenError);
    expect((await failure(async () => issueLinkCodes(null, class1, [s2]))).status).toBe(401);
  });

  it("refuses a student who is not in the class, and an empty choice, issuing nothing", async () => {
    const teacher = await actorFor("wuhou-pri.t1", "teacher");
    const s5 = await userByLogin("wuhou-pri.s5");
    expect(await classOf("wuhou-pri.s5")).not.toBe(class1);
    const before = (await db().select().from(schema.guardianLinkCodes)).length;
    expect(await failure(async () => issueLinkCodes(teacher, class1, [(await userByLogin("wuhou-pri.s1")).id, s5.id]))).toBeInstanceOf(ForbiddenError);
    const empty = (await failure(async () => issueLinkCodes(teacher, class1, []))) as ValidationError;
    expect(empty.fields.students?.key).toBe("guardianLinks:errors.chooseStudents");
    expect((await db().select().from(schema.guardianLinkCodes)).length).toBe(before);
  });
});

describe("joining with a code", () => {
  it("opens a parent account named by the phone, linked to the child without consent, signed in as parent", async () => {
    const code = await codeFor("wuhou-pri.s2");
    const { token, studentId } = await join(code.toLowerCase().replace("-", " "), "+86 138-0000-1234");
    const actor = (await validateSessionToken(token))!.actor;
    expect(actor.loginName).toBe("13800001234");
    expect(actor.activeRole).toBe("parent");
    expect(actor.status).toBe("active");
    expect(actor.realName).toBe("王秀英");
    expect(actor.handle).not.toContain("13800001234");
    expect(studentId).toBe((await userByLogin("wuhou-pri.s2")).id);
    const link = (await linksOf("wuhou-pri.s2")).find((l) => l.guardianId === actor.id)!;
    expect(link.consentState).toBe("none");
    const audit = await db().select().from(schema.auditEvents).where(and(eq(schema.auditEvents.action, "guardian_link.create"), eq(schema.auditEvents.actorId, actor.id)));
    expect(audit).toHaveLength(1);
    // One use only.
    const again = (await failure(async () => join(code, "13800005678"))) as ValidationError;
    expect(again.fields.code?.key).toBe("guardianLinks:errors.codeUsed");
  });

  it("refuses a mistyped and an expired code, each with its own message, and writes nothing", async () => {
    const users = (await db().select().from(schema.users)).length;
    const wrong = (await failure(async () => join("ABCDE-FGHJK", "13900000002"))) as ValidationError;
    expect(wrong.fields.code?.key).toBe("guardianLinks:errors.codeWrong");
    const issuedAt = Date.now() - 15 * DAY;
    const expired = await codeFor("wuhou-pri.s4", issuedAt);
    const late = (await failure(async () => join(expired, "13900000003"))) as ValidationError;
    expect(late.fields.code?.key).toBe("guardianLinks:errors.codeExpired");
    expect((await db().select().from(schema.users)).length).toBe(users);
  });

  it("sends a phone that already signs in to sign in and add the child, keeping the code unused", async () => {
    const code = await codeFor("wuhou-pri.s3");
    const taken = (await failure(async () => join(code, "13800001234"))) as ValidationError;
    expect(taken.fields.phone?.key).toBe("guardianLinks:errors.phoneTaken");
    const bad = (await failure(async () => join(code, "2380000123"))) as ValidationError;
    expect(bad.fields.phone?.key).toBe("guardianLinks:errors.phoneInvalid");
    const mismatch = (await failure(async () => join(code, "13900000004", { confirm: "something else" }))) as ValidationError;
    expect(mismatch.fields.confirm?.key).toBe("auth:confirmMismatch");
    const weak = (await failure(async () => join(code, "13900000004", { password: "13900000004", confirm: "13900000004" }))) as ValidationError;
    expect(weak.fields.password).toBeDefined();
    // Still good for the right details.
    await join(code, "13900000004");
  });

  it("lets only one of two simultaneous uses of a code through", async () => {
    const code = await codeFor("wuhou-pri.s1");
    const results = await Promise.allSettled([join(code, "13700000001"), join(code, "13700000002")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as ValidationError).fields.code?.key).toBe("guardianLinks:errors.codeUsed");
    expect((await db().select().from(schema.users).where(eq(schema.users.loginName, "13700000002"))).length + (await db().select().from(schema.users).where(eq(schema.users.loginName, "13700000001"))).length).toBe(1);
  });

  it("throttles repeated failures like sign-in, by code prefix and address", async () => {
    const at = client();
    for (let i = 0; i < 5; i++) await failure(async () => join(`ZZZ${i}A-BCDEF`, "13900000009", {}, at));
    expect(await failure(async () => join("ZZZ9A-BCDEF", "13900000009", {}, at))).toBeInstanceOf(ThrottledError);
    // The same prefix from elsewhere is not locked yet.
    const elsewhere = (await failure(async () => join("ZZZ9A-BCDEF", "13900000009"))) as ValidationError;
    expect(elsewhere.fields.code?.key).toBe("guardianLinks:errors.codeWrong");
  });
});

describe("adding a child to a signed-in account", () => {
  it("links the child to a teacher who is already a parent, and switches the session to parent", async () => {
    const teacher = await actorFor("wuhou-pri.t1", "teacher");
    const code = await codeFor("wuhou-pri.s4");
    const added = await addChildWithCode(teacher, code, client());
    expect(added).toMatchObject({ studentId: (await userByLogin("wuhou-pri.s4")).id, addedParentRole: false });
    expect((await linksOf("wuhou-pri.s4")).some((l) => l.guardianId === teacher.id)).toBe(true);
    const session = await first(db().select().from(schema.sessions).where(eq(schema.sessions.id, teacher.sessionId)).limit(1));
    expect(session?.activeRole).toBe("parent");
    const used = (await failure(async () => addChildWithCode(await actorFor("wuhou-pri.t1", "parent"), code, client()))) as ValidationError;
    expect(used.fields.code?.key).toBe("guardianLinks:errors.codeUsed");
  });

  it("says so when the child is already linked, and leaves the code for the other parent", async () => {
    const code = await codeFor("wuhou-pri.s4");
    const again = (await failure(async () => addChildWithCode(await actorFor("wuhou-pri.t1", "parent"), code, client()))) as ValidationError;
    expect(again.fields.code).toMatchObject({ key: "guardianLinks:errors.alreadyLinked", params: { name: (await userByLogin("wuhou-pri.s4")).realName } });
    await join(code, "13600000001");
  });

  it("adds the parent role to someone who lacked it", async () => {
    const t2 = await actorFor("wuhou-pri.t2", "teacher");
    expect(t2.roles.some((g) => g.role === "parent")).toBe(false);
    expect((await addChildWithCode(t2, await codeFor("wuhou-pri.s3"), client())).addedParentRole).toBe(true);
    const roles = await db().select().from(schema.userRoles).where(eq(schema.userRoles.userId, t2.id));
    expect(roles.map((r) => r.role)).toContain("parent");
  });

  it("refuses a student and anonymous", async () => {
    const code = await codeFor("wuhou-pri.s3");
    expect(await failure(async () => addChildWithCode(await actorFor("wuhou-pri.s1"), code, client()))).toBeInstanceOf(ForbiddenError);
    expect((await failure(async () => addChildWithCode(null, code, client()))).status).toBe(401);
  });
});

describe("who is linked", () => {
  it("shows a child's guardians to the child, the school's admins and the child's class teachers", async () => {
    const s1 = await userByLogin("wuhou-pri.s1");
    const p1 = await userByLogin("wuhou-pri.p1");
    for (const actor of [await actorFor("wuhou-pri.s1"), await actorFor("wuhou-pri.admin"), await actorFor("wuhou-pri.t1", "teacher")]) {
      const guardians = await guardiansOf(actor, s1.id);
      expect(guardians.find((g) => g.guardianName === p1.realName)).toMatchObject({ relationship: "father", consentState: "given" });
    }
    expect((await guardiansOfClass(await actorFor("wuhou-pri.admin"), class1))[s1.id]?.length).toBeGreaterThan(0);
  });

  it("refuses anyone else", async () => {
    const s1 = (await userByLogin("wuhou-pri.s1")).id;
    const wrong: Actor[] = [
      await actorFor("wuhou-pri.s2"),
      await actorFor("wuhou-pri.p1"),
      await actorFor("wuhou-pri.t1", "parent"),
      await actorFor("wuhou-jun.t1", "teacher"),
      await actorFor("wuhou-jun.admin"),
    ];
    for (const actor of wrong) expect(await failure(async () => guardiansOf(actor, s1))).toBeInstanceOf(ForbiddenError);
    // A teacher of the school who does not teach the child's class.
    const loneTeacher = await userByLogin("wuhou-pri.t2");
    await db().delete(schema.classMemberships).where(and(eq(schema.classMemberships.userId, loneTeacher.id), eq(schema.classMemberships.classId, class1)));
    expect(await failure(async () => guardiansOf(await actorFor("wuhou-pri.t2", "teacher"), s1))).toBeInstanceOf(ForbiddenError);
    await db().insert(schema.classMemberships).values({ classId: class1, userId: loneTeacher.id, role: "teacher" });
    expect((await failure(async () => guardiansOf(null, s1))).status).toBe(401);
    for (const actor of [await actorFor("wuhou-pri.t1", "teacher"), await actorFor("wuhou-jun.admin"), await actorFor("wuhou-pri.s1")]) {
      expect(await failure(async () => guardiansOfClass(actor, class1))).toBeInstanceOf(ForbiddenError);
    }
  });

  it("lets only the school admin of the child's school remove a link, audited", async () => {
    const link = (await findInOrder((await linksOf("wuhou-pri.s2")), async (l) => l.guardianId === (await userByLogin("13800001234")).id))!;
    for (const actor of [await actorFor("wuhou-pri.t1", "teacher"), await actorFor("wuhou-jun.admin"), await actorFor("wuhou-pri.s2"), await actorFor("13800001234"), await actorFor("sichuan.edu")]) {
      expect(await failure(async () => removeGuardianLink(actor, link.id))).toBeInstanceOf(ForbiddenError);
    }
    expect((await failure(async () => removeGuardianLink(null, link.id))).status).toBe(401);
    await removeGuardianLink(await actorFor("wuhou-pri.admin"), link.id);
    expect((await linksOf("wuhou-pri.s2")).some((l) => l.id === link.id)).toBe(false);
    const audit = await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "guardian_link.remove"));
    expect(audit.at(-1)).toMatchObject({ targetId: link.studentId, detail: { linkId: link.id, guardianId: link.guardianId } });
    expect((await failure(async () => removeGuardianLink(await actorFor("wuhou-pri.admin"), link.id))).status).toBe(404);
  });
});
