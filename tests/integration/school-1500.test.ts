import { beforeAll, describe, expect, it } from "vitest";
import { countStatements } from "../support/count-statements";
import { and, eq, inArray } from "drizzle-orm";
import { db, schema } from "#db/client";
import { parsePupilQuery, schoolPupils, type PupilQuery } from "~/domain/people/pupils.server";
import { consentChecklist, recordClassPaperConsent, rolloutOverview, spaceStatusOf } from "~/domain/rollout/rollout.server";
import { classDetail } from "~/domain/classwork/classes.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { createSession } from "~/domain/accounts/sessions.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal } from "../support/refusal";
import { addBigSchool, BIG_SCHOOL_MISSING, SHARED_BIRTH_DATE, SHARED_NAME, type BigSchool } from "../support/big-school";

let big: BigSchool;
beforeAll(async () => {
  await demoWorld();
  big = await addBigSchool();
});


const query = (q: Partial<PupilQuery>): PupilQuery => ({ q: "", classId: null, consent: "missing", page: 1, ...q });

describe("issue 15 #6: the rollout page of a 1,500-pupil school", () => {
  it("issue 15 #6: pages the under-14s without consent 100 at a time, page 2 shows rows 101–124 of 124", async () => {
    const admin = await actorFor(big.adminLogin);
    const first = (await rolloutOverview(admin)).pupils;
    expect(first.total).toBe(BIG_SCHOOL_MISSING);
    expect(first.rows).toHaveLength(100);
    expect([first.first, first.last, first.pageCount]).toEqual([1, 100, 2]);
    const second = (await rolloutOverview(admin, parsePupilQuery(new URLSearchParams("consent=missing&page=2"), { consent: "missing" }))).pupils;
    expect([second.first, second.last, second.total]).toEqual([101, 124, 124]);
    expect(second.query.consent).toBe("missing");
    expect(second.rows.every((r) => r.underConsentAge && r.consent !== "given")).toBe(true);
    const ids = new Set([...first.rows, ...second.rows].map((r) => r.studentId));
    expect(ids.size).toBe(124);
  });

  it("issue 15 #6: filters by class and by each consent state, and keeps the filter on page 2", async () => {
    const admin = await actorFor(big.adminLogin);
    const classId = big.classIds.get("四年级（1）班")!;
    const inClass = await schoolPupils(admin, query({ classId }));
    expect(inClass.rows.map((r) => r.studentId).sort()).toEqual([...big.missingByClass.get("四年级（1）班")!].sort());
    expect(inClass.rows.every((r) => r.className === "四年级（1）班")).toBe(true);
    expect((await schoolPupils(admin, query({ consent: "refused" }))).total).toBe(7);
    expect((await schoolPupils(admin, query({ consent: "withdrawn" }))).total).toBe(6);
    expect((await schoolPupils(admin, query({ consent: "none" }))).total).toBe(124 - 13);
    expect((await schoolPupils(admin, query({ consent: "given" }))).total).toBe(1500 - 124);
    const all = await schoolPupils(admin, query({ consent: "all", page: 15 }));
    expect([all.first, all.last, all.total]).toEqual([1401, 1500, 1500]);
    const allClass = await schoolPupils(admin, query({ consent: "all", classId, page: 1 }));
    expect(allClass.total).toBe(50);
  });

  it("issue 15 #6: a search for a shared name shows both pupils with their class and birth date", async () => {
    const admin = await actorFor(big.adminLogin);
    const found = await schoolPupils(admin, query({ q: SHARED_NAME, consent: "all" }));
    expect(found.total).toBe(2);
    expect(found.rows.map((r) => r.className)).toEqual(["三年级（2）班", "五年级（4）班"]);
    expect(found.rows.every((r) => r.birthDate === SHARED_BIRTH_DATE && r.realName === SHARED_NAME)).toBe(true);
    expect(new Set(found.rows.map((r) => r.loginName)).size).toBe(2);
  });

  it("issue 15 #6: searches login names and class names NFKC-folded", async () => {
    const admin = await actorFor(big.adminLogin);
    expect((await schoolPupils(admin, query({ q: "BIG1500.S1001", consent: "all" }))).rows.map((r) => r.loginName)).toEqual(["big1500.s1001"]);
    const byClass = await schoolPupils(admin, query({ q: "五年级(2)", consent: "all" }));
    expect(byClass.total).toBe(50);
    expect((await schoolPupils(admin, query({ q: "５年级", consent: "all" }))).total).toBe(0); // digits are not grade words
    expect((await schoolPupils(admin, query({ q: "年级（２）", consent: "all" }))).total).toBe(6 * 50);
  });

  it("issue 15 #6: the statements per page stay the same whatever the number of pupils shown", async () => {
    const admin = await actorFor(big.adminLogin);
    const small = await countStatements(async () => schoolPupils(admin, query({ q: SHARED_NAME, consent: "all" })));
    const full = await countStatements(async () => schoolPupils(admin, query({ consent: "all" })));
    expect(full).toBe(small);
    expect(full).toBeLessThanOrEqual(3);
    const overviewSmall = await countStatements(async () => rolloutOverview(admin, query({ q: SHARED_NAME, consent: "all" })));
    const overviewFull = await countStatements(async () => rolloutOverview(admin, query({ consent: "all" })));
    expect(overviewFull).toBe(overviewSmall);
  });

  it("issue 15 #6: the class page lists its pupils in pages with the same search", async () => {
    const admin = await actorFor(big.adminLogin);
    const classId = big.classIds.get("三年级（2）班")!;
    const detail = await classDetail(admin, classId, query({ consent: "all" }));
    expect(detail.pupils.total).toBe(50);
    expect(detail.pupils.rows.every((r) => r.classId === classId)).toBe(true);
    const found = await classDetail(admin, classId, query({ q: SHARED_NAME, consent: "all" }));
    expect(found.pupils.rows.map((r) => r.realName)).toEqual([SHARED_NAME]);
  });

  it("issue 15 #6: a teacher, another school's admin and a region admin cannot list the school's pupils", async () => {
    for (const actor of [await actorFor(big.teacherLogins[0]!), await actorFor("liangshan.edu")]) {
      await refusal(async () => schoolPupils(actor, query({})), ForbiddenError);
    }
    const other = await schoolPupils(await actorFor("zhaojue-pri.admin"), query({ q: SHARED_NAME, consent: "all" }));
    expect(other.total).toBe(0);
  });
});

describe("issue 15 #6: bulk paper consent for a class", () => {
  const auditOf = async (classId: string) =>
    db().select().from(schema.auditEvents).where(and(eq(schema.auditEvents.action, "consent.record_batch"), eq(schema.auditEvents.targetId, classId)));

  it("issue 15 #6: the checklist lists the class's under-14s without consent, with birth date and the roster's guardian", async () => {
    const admin = await actorFor(big.adminLogin);
    const classId = big.classIds.get("一年级（1）班")!;
    const list = await consentChecklist(admin, classId);
    expect(list.klass.name).toBe("一年级（1）班");
    expect(list.pupils.map((p) => p.studentId).sort()).toEqual([...big.missingByClass.get("一年级（1）班")!].sort());
    expect(list.pupils.every((p) => p.birthDate && p.loginName)).toBe(true);
    // Pupils 0, 12, 24, 36, 48: those with an index divisible by 3 have a guardian on the roster.
    expect(list.pupils.filter((p) => p.guardianName).length).toBe(5);
    expect(list.defaultSeenBy).toBe((await actorFor(big.adminLogin)).id);
    expect(list.staff.map((s) => s.loginName)).toEqual([big.adminLogin, ...big.teacherLogins]);
  });

  it("issue 15 #6: records 'given' for the ticked pupils in one transaction with one audit entry, and skips those already given", async () => {
    const admin = await actorFor(big.adminLogin);
    const classId = big.classIds.get("四年级（1）班")!;
    const waiting = big.missingByClass.get("四年级（1）班")!;
    const teacher = await actorFor(big.teacherLogins[1]!);
    const alreadyGiven = (await consentChecklist(admin, big.classIds.get("四年级（1）班")!)).pupils.length; // 4 waiting
    expect(alreadyGiven).toBe(4);
    const someoneGiven = (await schoolPupils(admin, query({ classId, consent: "given" }))).rows[0]!.studentId;
    const outcome = await recordClassPaperConsent(
      admin,
      classId,
      { students: [...waiting, someoneGiven], signedOn: "2026-09-03", seenBy: teacher.id, guardianNames: { [waiting[0]!]: "  吉克阿依 " }, defaultGuardianName: "监护人（纸质）" },
      Date.UTC(2026, 8, 10),
    );
    expect(outcome).toEqual({ recorded: 4, alreadyGiven: 1 });
    const records = await db().select().from(schema.consentRecords).where(inArray(schema.consentRecords.studentId, [...waiting, someoneGiven]));
    const fresh = records.filter((r) => r.seenBy === teacher.id);
    expect(fresh).toHaveLength(4);
    expect(fresh.every((r) => r.decision === "given" && r.method === "paper" && r.recordedBy === admin.id)).toBe(true);
    expect(fresh.find((r) => r.studentId === waiting[0])!.guardianName).toBe("吉克阿依");
    expect(new Set(fresh.map((r) => r.decidedAt.toISOString()))).toEqual(new Set(["2026-09-02T16:00:00.000Z"]));
    expect((await schoolPupils(admin, query({ classId }))).total).toBe(0);
    expect(await spaceStatusOf(admin, waiting[1]!, "student")).toMatchObject({ open: true });

    const [entry, ...more] = await auditOf(classId);
    expect(more).toHaveLength(0);
    expect(entry!.detail).toMatchObject({ className: "四年级（1）班", count: 4, seenBy: teacher.realName, signedOn: "2026-09-03" });
    expect((entry!.detail as { pupils: { id: string }[] }).pupils.map((p) => p.id).sort()).toEqual([...waiting].sort());
    expect(JSON.stringify(entry!.detail)).not.toMatch(/2026\d{4}|big1500\.s/); // no student numbers, no logins

    // Sending the same pile again changes nothing, and logs nothing.
    const again = await recordClassPaperConsent(admin, classId, { students: waiting, signedOn: "2026-09-03", seenBy: teacher.id, defaultGuardianName: "监护人（纸质）" }, Date.UTC(2026, 8, 10));
    expect(again).toEqual({ recorded: 0, alreadyGiven: 4 });
    expect(await auditOf(classId)).toHaveLength(1);
  });

  it("issue 15 #6: refuses an empty tick list, a bad date, a staff member of another school and a pupil of another class, recording nothing", async () => {
    const admin = await actorFor(big.adminLogin);
    const classId = big.classIds.get("二年级（1）班")!;
    const waiting = big.missingByClass.get("二年级（1）班")!;
    const base = { students: waiting, signedOn: "2026-09-03", seenBy: (await actorFor(big.adminLogin)).id, defaultGuardianName: "监护人（纸质）" };
    const now = Date.UTC(2026, 8, 10);
    expect((await refusal(async () => recordClassPaperConsent(admin, classId, { ...base, students: [] }, now), ValidationError)).fields.students?.key).toBe("rollout:bulk.noneChosen");
    expect((await refusal(async () => recordClassPaperConsent(admin, classId, { ...base, signedOn: "2026-09-31" }, now), ValidationError)).fields.signedOn?.key).toBe("rollout:signedOnInvalid");
    expect((await refusal(async () => recordClassPaperConsent(admin, classId, { ...base, signedOn: "2026-09-11" }, now), ValidationError)).fields.signedOn?.key).toBe("rollout:signedOnFuture");
    expect((await refusal(async () => recordClassPaperConsent(admin, classId, { ...base, seenBy: (await actorFor("zhaojue-pri.t1")).id }, now), ValidationError)).fields.seenBy?.key).toBe("rollout:bulk.seenByInvalid");
    const otherClassPupil = big.missingByClass.get("二年级（2）班")![0]!;
    expect((await refusal(async () => recordClassPaperConsent(admin, classId, { ...base, students: [...waiting, otherClassPupil] }, now), ValidationError)).key).toBe("rollout:bulk.pupilNotInClass");
    expect((await schoolPupils(admin, query({ classId }))).total).toBe(waiting.length);
    expect(await auditOf(classId)).toHaveLength(0);
  });

  it("issue 15 #6: a teacher and a region admin are refused (403), another school's admin finds no such class (404)", async () => {
    const classId = big.classIds.get("二年级（1）班")!;
    const waiting = big.missingByClass.get("二年级（1）班")!;
    const input = { students: waiting, signedOn: "2026-09-03", seenBy: (await actorFor(big.adminLogin)).id, defaultGuardianName: "监护人（纸质）" };
    for (const login of [big.teacherLogins[0]!, "liangshan.edu", "platform"]) {
      expect((await refusal(async () => recordClassPaperConsent(await actorFor(login), classId, input))).status).toBe(403);
      expect((await refusal(async () => consentChecklist(await actorFor(login), classId))).status).toBe(403);
    }
    await refusal(async () => recordClassPaperConsent(await actorFor("zhaojue-pri.admin"), classId, input), NotFoundError);
    await refusal(async () => consentChecklist(await actorFor("zhaojue-pri.admin"), classId), NotFoundError);
    expect((await schoolPupils(await actorFor(big.adminLogin), query({ classId }))).total).toBe(waiting.length);
  });
});

describe("issue 15 #6: the pages, without JavaScript", () => {
  type Answer = { status: number; data: Record<string, unknown> };
  const CONTEXT = { clientAddress: "203.0.113.7" };
  const request = async (login: string, role: "school_admin" | "teacher" | "region_admin", url: string, form?: [string, string][]) => {
    const { token } = await createSession((await userByLogin(login)).id, { remember: false, activeRole: role });
    const body = form ? new URLSearchParams(form) : undefined;
    return new Request(`http://localhost${url}`, { method: form ? "POST" : "GET", body, headers: { Cookie: `session=${token}`, ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) } });
  };
  const answer = async (run: () => Promise<unknown>): Promise<Answer> => {
    let out: unknown;
    try {
      out = await run();
    } catch (thrown) {
      out = thrown;
    }
    const shaped = out as { data?: Record<string, unknown>; init?: { status?: number }; status?: number };
    if (out instanceof Response) return { status: out.status, data: {} };
    return { status: shaped.init?.status ?? shaped.status ?? 200, data: (shaped.data ?? out) as Record<string, unknown> };
  };

  it("issue 15 #6: the rollout page reads search, class, consent and page from the URL and keeps them for the next page", async () => {
    const { loader } = await import("~/routes/school.rollout");
    const classId = big.classIds.get("五年级（4）班")!;
    // Earlier tests recorded some consent: the list is a little shorter than 124 by now.
    const total = String((await schoolPupils(await actorFor(big.adminLogin), query({}))).total);
    const page2 = await answer(async () => loader({ request: await request(big.adminLogin, "school_admin", "/school/rollout?consent=missing&page=2"), params: {}, context: CONTEXT }));
    expect(page2.status).toBe(200);
    expect(page2.data.pager).toMatchObject({ page: 2, pageCount: 2, range: { first: "101", last: total, total } });
    expect(page2.data.pupilQuery).toMatchObject({ consent: "missing", page: 2 });
    const found = await answer(async () => loader({ request: await request(big.adminLogin, "school_admin", `/school/rollout?q=${encodeURIComponent(SHARED_NAME)}&consent=all&class=${classId}`), params: {}, context: CONTEXT }));
    expect((found.data.pupils as { className: string; birthDateText: string }[]).map((p) => p.className)).toEqual(["五年级（4）班"]);
    expect((found.data.pupils as { birthDateText: string }[])[0]!.birthDateText).toBeTruthy();
  });

  it("issue 15 #6: a refused bulk form comes back with its ticks, date, staff member and guardian names", async () => {
    const { action } = await import("~/routes/school.rollout");
    const classId = big.classIds.get("三年级（1）班")!;
    const [a, b] = big.missingByClass.get("三年级（1）班")!;
    const teacherId = (await userByLogin(big.teacherLogins[2]!)).id;
    const refused = await answer(async () =>
      action({
        request: await request(big.adminLogin, "school_admin", "/school/rollout", [
          ["intent", "bulk"],
          ["bulkClass", classId],
          ["students", a!],
          ["students", b!],
          ["signedOn", "2999-01-01"],
          ["seenBy", teacherId],
          [`guardian-${a}`, "阿苦阿依"],
        ]),
        params: {},
        context: CONTEXT,
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.data.values).toMatchObject({ intent: "bulk", bulk: { bulkClass: classId, students: [a, b], signedOn: "2999-01-01", seenBy: teacherId, guardianNames: { [a!]: "阿苦阿依" } } });
    expect((refused.data.fieldErrors as Record<string, { key: string }>).signedOn!.key).toBe("rollout:signedOnFuture");

    const asTeacher = await answer(async () =>
      action({ request: await request(big.teacherLogins[0]!, "teacher", "/school/rollout", [["intent", "bulk"], ["bulkClass", classId], ["students", a!], ["signedOn", "2026-09-01"], ["seenBy", teacherId]]), params: {}, context: CONTEXT }),
    );
    expect(asTeacher.status).toBe(403);
    const asRegion = await answer(async () =>
      action({ request: await request("liangshan.edu", "region_admin", "/school/rollout", [["intent", "bulk"], ["bulkClass", classId], ["students", a!], ["signedOn", "2026-09-01"], ["seenBy", teacherId]]), params: {}, context: CONTEXT }),
    );
    expect(asRegion.status).toBe(403);
    const asOtherAdmin = await answer(async () =>
      action({ request: await request("zhaojue-pri.admin", "school_admin", "/school/rollout", [["intent", "bulk"], ["bulkClass", classId], ["students", a!], ["signedOn", "2026-09-01"], ["seenBy", teacherId]]), params: {}, context: CONTEXT }),
    );
    expect(asOtherAdmin.status).toBe(404);

    const sent = await answer(async () =>
      action({ request: await request(big.adminLogin, "school_admin", "/school/rollout", [["intent", "bulk"], ["bulkClass", classId], ["students", a!], ["signedOn", "2026-09-01"], ["seenBy", teacherId]]), params: {}, context: CONTEXT }),
    );
    expect(sent.status).toBe(302);
    expect((await schoolPupils(await actorFor(big.adminLogin), query({ classId }))).total).toBe(big.missingByClass.get("三年级（1）班")!.length - 1);
  });

  it("issue 15 #6: the class page pages and searches its pupils from the URL", async () => {
    const { loader } = await import("~/routes/school.classes.$classId");
    const classId = big.classIds.get("五年级（4）班")!;
    const found = await answer(async () => loader({ request: await request(big.adminLogin, "school_admin", `/school/classes/${classId}?q=${encodeURIComponent(SHARED_NAME)}`), params: { classId }, context: CONTEXT }));
    expect(found.status).toBe(200);
    expect((found.data.students as { realName: string }[]).map((s) => s.realName)).toEqual([SHARED_NAME]);
    expect(found.data.counts).toMatchObject({ students: "50" });
    expect(found.data.pager).toMatchObject({ range: { first: "1", last: "1", total: "1" } });
  });
});
