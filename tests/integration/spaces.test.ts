import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { bumpFlagsVersion, FeatureClosedError, setFlagOverride } from "~/domain/rollout/flags.server";
import { recordConsent, setSchoolPhase } from "~/domain/rollout/rollout.server";
import { requireSpaceFeature, spaceHome } from "~/domain/spaces/spaces.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";

beforeAll(async () => {
  await demoWorld();
  // wuhou-pri.s3 reads as a classmate: a pupil reads others only once their own space is open
  // (issue 13 #8b), so the demo's s3 gets a guardian's paper consent. wuhou-pri.s2 stays without.
  recordConsent(actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s3", guardianName: "王秀兰", signedOn: "2026-09-01", decision: "given" });
});

describe("space home", () => {
  it("shows the owner their open space and which capabilities are open", () => {
    const home = spaceHome(actorFor("wuhou-pri.t2"), userByLogin("wuhou-pri.t2").handle);
    expect(home.isOwner).toBe(true);
    expect(home.status).toEqual({ open: true });
    expect(home.capabilities?.map((c) => c.key)).toEqual(["blog", "portfolio", "assignments"]);
    expect(home.capabilities?.find((c) => c.key === "blog")?.open).toBe(true); // demo rule: teachers first
  });

  it("lets any signed-in person see an open teacher's space, never anonymous", () => {
    const handle = userByLogin("wuhou-pri.t2").handle;
    const visitor = spaceHome(actorFor("kangding-pri.t1"), handle);
    expect(visitor.isOwner).toBe(false);
    expect(visitor.capabilities).toBeNull();
    expect(() => spaceHome(null, handle)).toThrow(ForbiddenError);
  });

  it("keeps a student's space inside their school and their guardians", () => {
    const handle = userByLogin("wuhou-pri.s1").handle;
    expect(spaceHome(actorFor("wuhou-pri.s3"), handle).owner.realName).toBe(userByLogin("wuhou-pri.s1").realName); // classmate
    expect(spaceHome(actorFor("wuhou-pri.t3"), handle).isOwner).toBe(false); // teacher of the school
    expect(spaceHome(actorFor("wuhou-pri.p1"), handle).isOwner).toBe(false); // the student's guardian
    for (const outsider of ["wuhou-jun.t1", "wuhou-jun.s1", "kangding-pri.admin", "wuhou-pri.p2", "wuhou-pri.s2"]) {
      expect(() => spaceHome(actorFor(outsider), handle), outsider).toThrow(NotFoundError);
    }
  });

  it("hides a closed space from others and tells the owner why it is closed", () => {
    // 昭觉县城北小学 is at phase 1: teachers open, students not yet.
    const student = userByLogin("zhaojue-pri.s1");
    expect(spaceHome(actorFor("zhaojue-pri.s1"), student.handle).status).toEqual({ open: false, reason: "phase" });
    expect(() => spaceHome(actorFor("zhaojue-pri.t1"), student.handle)).toThrow(NotFoundError);
    // Phase down to 0 closes the teacher's space too, and nothing is deleted.
    setSchoolPhase(actorFor("zhaojue-pri.admin"), student.schoolId!, 0);
    const teacher = userByLogin("zhaojue-pri.t2");
    expect(spaceHome(actorFor("zhaojue-pri.t2"), teacher.handle).status).toEqual({ open: false, reason: "phase" });
    expect(() => spaceHome(actorFor("zhaojue-pri.t1"), teacher.handle)).toThrow(NotFoundError);
    setSchoolPhase(actorFor("zhaojue-pri.admin"), student.schoolId!, 1);
    expect(spaceHome(actorFor("zhaojue-pri.t1"), teacher.handle).status).toEqual({ open: true });
  });

  it("does not show parents' spaces, provisioned accounts or unknown handles to others", () => {
    expect(() => spaceHome(actorFor("wuhou-pri.t2"), userByLogin("wuhou-pri.p1").handle)).toThrow(NotFoundError);
    expect(() => spaceHome(actorFor("wuhou-pri.t2"), userByLogin("wuhou-pri.s4").handle)).toThrow(NotFoundError);
    expect(() => spaceHome(actorFor("wuhou-pri.t2"), "no-such-person")).toThrow(NotFoundError);
  });
});

describe("space capabilities", () => {
  it("refuse with the not-yet-open page when the school turns a flag off, and open again when it is cleared", () => {
    const teacher = actorFor("wuhou-voc.t1");
    expect(() => requireSpaceFeature(teacher, "blog")).not.toThrow();
    const school = userByLogin("wuhou-voc.t1").schoolId!;
    setFlagOverride(actorFor("wuhou-voc.admin"), { flag: "blog", scope: "school", scopeId: school, enabled: false, locked: false });
    expect(() => requireSpaceFeature(actorFor("wuhou-voc.t1"), "blog")).toThrow(FeatureClosedError);
    expect(spaceHome(actorFor("wuhou-voc.t1"), userByLogin("wuhou-voc.t1").handle).capabilities?.find((c) => c.key === "blog")?.open).toBe(false);
    db().delete(schema.flagOverrides).where(eq(schema.flagOverrides.scopeId, school)).run();
    bumpFlagsVersion();
    expect(() => requireSpaceFeature(actorFor("wuhou-voc.t1"), "blog")).not.toThrow();
  });

  it("refuse a closed space before any flag is asked", () => {
    const error = (() => {
      try {
        requireSpaceFeature(actorFor("zhaojue-pri.s1"), "blog");
      } catch (e) {
        return e as { key: string };
      }
    })();
    expect(error?.key).toBe("rollout:spaceClosed");
  });
});
