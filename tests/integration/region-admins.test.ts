// Issue 15 item 7: what region admins may do for the schools of their subtree — ceilings per school,
// flag rules within what the platform allows, and previewing what a person of the subtree gets.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { ForbiddenError, NotFoundError } from "~/domain/errors.server";
import { schoolCeilingFor, setRegionCeiling, setSchoolCeiling } from "~/domain/regions.server";
import { effectivePhase, phaseCeilingOf, rolloutOverview, setSchoolPhase } from "~/domain/rollout.server";
import { actorFor, demoWorld } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";

const school = (prefix: string) => db().select().from(schema.schools).where(eq(schema.schools.loginPrefix, prefix)).get()!;
const regionId = (name: string) => db().select().from(schema.regions).where(eq(schema.regions.name, name)).get()!.id;
const audits = (action: string, targetId: string) =>
  db()
    .select()
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.action, action), eq(schema.auditEvents.targetId, targetId)))
    .all();

beforeAll(async () => {
  await demoWorld();
});

describe("issue 15 #7: ceilings per school", () => {
  it("issue 15 #7: a region admin caps one school of their subtree; the school admin cannot go above it and sees where it comes from", () => {
    const pri = school("zhaojue-pri"); // phase 1, under 凉山's ceiling 2
    expect(schoolCeilingFor(actorFor("zhaojue-pri.admin"))).toEqual({ ceiling: 2, source: { kind: "region", regionId: regionId("凉山彝族自治州"), regionName: "凉山彝族自治州" } });

    expect(setSchoolCeiling(actorFor("liangshan.edu"), pri.id, { ceiling: "1" })).toEqual({ from: null, to: 1 });
    expect(school("zhaojue-pri").phaseCeiling).toBe(1);
    expect(phaseCeilingOf(school("zhaojue-pri"))).toBe(1);
    expect(schoolCeilingFor(actorFor("zhaojue-pri.admin"))).toEqual({ ceiling: 1, source: { kind: "school" } });
    expect(rolloutOverview(actorFor("zhaojue-pri.admin")).ceiling).toBe(1);

    const error = validationRefusal(() => setSchoolPhase(actorFor("zhaojue-pri.admin"), pri.id, "2"));
    expect(error.fields.phase).toMatchObject({ key: "rollout:aboveCeiling", params: { ceiling: 1 } });
    expect(school("zhaojue-pri").phase).toBe(1);

    const [entry, ...more] = audits("school.ceiling", pri.id);
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({ schoolId: pri.id, detail: { from: null, to: 1 } });
  });

  it("issue 15 #7: no audit entry when the ceiling does not change", () => {
    const pri = school("zhaojue-pri");
    const before = audits("school.ceiling", pri.id).length;
    expect(setSchoolCeiling(actorFor("liangshan.edu"), pri.id, { ceiling: "1" })).toEqual({ from: 1, to: 1 });
    expect(audits("school.ceiling", pri.id)).toHaveLength(before);
  });

  it("issue 15 #7: a ceiling lowered below the school's phase caps it without changing the phase, and lifting it reopens", () => {
    const jun = school("zhaojue-jun"); // phase 2
    setSchoolCeiling(actorFor("liangshan.edu"), jun.id, { ceiling: "1" });
    expect(school("zhaojue-jun").phase).toBe(2);
    expect(effectivePhase(school("zhaojue-jun"))).toBe(1);
    setSchoolCeiling(actorFor("liangshan.edu"), jun.id, { ceiling: "none" });
    expect(school("zhaojue-jun").phaseCeiling).toBeNull();
    expect(effectivePhase(school("zhaojue-jun"))).toBe(2);
    expect(audits("school.ceiling", jun.id).map((a) => a.detail)).toEqual([
      { from: null, to: 1 },
      { from: 1, to: null },
    ]);
  });

  it("issue 15 #7: the lowest ceiling wins, and a region ceiling lowered above a school lowers the school's own with it", () => {
    const voc = school("zhaojue-voc"); // phase 2
    // The province may hand out 3; 凉山's 2 still caps the school.
    setSchoolCeiling(actorFor("sichuan.edu"), voc.id, { ceiling: "3" });
    expect(phaseCeilingOf(school("zhaojue-voc"))).toBe(2);
    const { lowered } = setRegionCeiling(actorFor("sichuan.edu"), regionId("凉山彝族自治州"), { ceiling: "2" });
    expect(lowered).toContain(voc.id);
    expect(school("zhaojue-voc").phaseCeiling).toBe(2);
  });

  it("issue 15 #7: a ceiling above the region admin's own is refused", () => {
    const error = validationRefusal(() => setSchoolCeiling(actorFor("liangshan.edu"), school("zhaojue-voc").id, { ceiling: "3" }));
    expect(error.fields.ceiling).toMatchObject({ key: "regions:ceilingAboveYours", params: { cap: 2 } });
  });

  it("issue 15 #7: a school admin cannot set a school ceiling, not even their own school's", () => {
    const pri = school("zhaojue-pri");
    refusal(() => setSchoolCeiling(actorFor("zhaojue-pri.admin"), pri.id, { ceiling: "3" }), ForbiddenError);
    expect(school("zhaojue-pri").phaseCeiling).toBe(1);
  });

  it("issue 15 #7: a region admin cannot set the ceiling of a school outside their subtree (answered as unknown)", () => {
    const wuhou = school("wuhou-pri");
    refusal(() => setSchoolCeiling(actorFor("liangshan.edu"), wuhou.id, { ceiling: "1" }), NotFoundError);
    refusal(() => setSchoolCeiling(actorFor("liangshan.edu"), "no-such-school", { ceiling: "1" }), NotFoundError);
    refusal(() => schoolCeilingFor(actorFor("liangshan.edu"), wuhou.id), NotFoundError);
    expect(school("wuhou-pri").phaseCeiling).toBeNull();
    expect(audits("school.ceiling", wuhou.id)).toHaveLength(0);
  });
});
