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
  await recordConsent(await actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s3", guardianName: "王秀兰", signedOn: "2026-09-01", decision: "given" });
});

describe("space home", () => {
  it("shows the owner their open space and which capabilities are open", async () => {
    const home = await spaceHome(await actorFor("wuhou-pri.t2"), (await userByLogin("wuhou-pri.t2")).handle);
    expect(home.isOwner).toBe(true);
    expect(home.status).toEqual({ open: true });
    expect(home.capabilities?.map((c) => c.key)).toEqual(["blog", "portfolio", "assignments"]);
    expect(home.capabilities?.find((c) => c.key === "blog")?.open).toBe(true); // demo rule: teachers first
  });

  it("lets any signed-in person see an open teacher's space, never anonymous", async () => {
    const handle = (await userByLogin("wuhou-pri.t2")).handle;
    const visitor = await spaceHome(await actorFor("kangding-pri.t1"), handle);
    expect(visitor.isOwner).toBe(false);
    expect(visitor.capabilities).toBeNull();
    await expect(spaceHome(null, handle)).rejects.toThrow(ForbiddenError);
  });

  it("keeps a student's space inside their school and their guardians", async () => {
    const handle = (await userByLogin("wuhou-pri.s1")).handle;
    expect((await spaceHome(await actorFor("wuhou-pri.s3"), handle)).owner.realName).toBe((await userByLogin("wuhou-pri.s1")).realName); // classmate
    expect((await spaceHome(await actorFor("wuhou-pri.t3"), handle)).isOwner).toBe(false); // teacher of the school
    expect((await spaceHome(await actorFor("wuhou-pri.p1"), handle)).isOwner).toBe(false); // the student's guardian
    for (const outsider of ["wuhou-jun.t1", "wuhou-jun.s1", "kangding-pri.admin", "wuhou-pri.p2", "wuhou-pri.s2"]) {
      await expect(spaceHome(await actorFor(outsider), handle)).rejects.toThrow(NotFoundError);
    }
  });

  it("hides a closed space from others and tells the owner why it is closed", async () => {
    // 昭觉县城北小学 is at phase 1: teachers open, students not yet.
    const student = await userByLogin("zhaojue-pri.s1");
    expect((await spaceHome(await actorFor("zhaojue-pri.s1"), student.handle)).status).toEqual({ open: false, reason: "phase" });
    await expect(spaceHome(await actorFor("zhaojue-pri.t1"), student.handle)).rejects.toThrow(NotFoundError);
    // Phase down to 0 closes the teacher's space too, and nothing is deleted.
    await setSchoolPhase(await actorFor("zhaojue-pri.admin"), student.schoolId!, 0);
    const teacher = await userByLogin("zhaojue-pri.t2");
    expect((await spaceHome(await actorFor("zhaojue-pri.t2"), teacher.handle)).status).toEqual({ open: false, reason: "phase" });
    await expect(spaceHome(await actorFor("zhaojue-pri.t1"), teacher.handle)).rejects.toThrow(NotFoundError);
    await setSchoolPhase(await actorFor("zhaojue-pri.admin"), student.schoolId!, 1);
    expect((await spaceHome(await actorFor("zhaojue-pri.t1"), teacher.handle)).status).toEqual({ open: true });
  });

  it("does not show parents' spaces, provisioned accounts or unknown handles to others", async () => {
    await expect(spaceHome(await actorFor("wuhou-pri.t2"), (await userByLogin("wuhou-pri.p1")).handle)).rejects.toThrow(NotFoundError);
    await expect(spaceHome(await actorFor("wuhou-pri.t2"), (await userByLogin("wuhou-pri.s4")).handle)).rejects.toThrow(NotFoundError);
    await expect(spaceHome(await actorFor("wuhou-pri.t2"), "no-such-person")).rejects.toThrow(NotFoundError);
  });
});

describe("space capabilities", () => {
  it("refuse with the not-yet-open page when the school turns a flag off, and open again when it is cleared", async () => {
    const teacher = await actorFor("wuhou-voc.t1");
    await expect(requireSpaceFeature(teacher, "blog")).resolves.not.toThrow();
    const school = (await userByLogin("wuhou-voc.t1")).schoolId!;
    await setFlagOverride(await actorFor("wuhou-voc.admin"), { flag: "blog", scope: "school", scopeId: school, enabled: false, locked: false });
    await expect(requireSpaceFeature(await actorFor("wuhou-voc.t1"), "blog")).rejects.toThrow(FeatureClosedError);
    expect((await spaceHome(await actorFor("wuhou-voc.t1"), (await userByLogin("wuhou-voc.t1")).handle)).capabilities?.find((c) => c.key === "blog")?.open).toBe(false);
    await db().delete(schema.flagOverrides).where(eq(schema.flagOverrides.scopeId, school));
    await bumpFlagsVersion();
    await expect(requireSpaceFeature(await actorFor("wuhou-voc.t1"), "blog")).resolves.not.toThrow();
  });

  it("refuse a closed space before any flag is asked", async () => {
    const error = await (async () => {
      try {
        await requireSpaceFeature(await actorFor("zhaojue-pri.s1"), "blog");
      } catch (e) {
        return e as { key: string };
      }
    })();
    expect(error?.key).toBe("rollout:spaceClosed");
  });
});
