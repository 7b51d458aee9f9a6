// Issue 14 item 5: the right language for everyone. A parent has no school of their own, so their
// default follows their linked children's schools; a saved choice and the lng cookie still win.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { issueLinkCodes } from "~/domain/families/guardian-links.server";
import { randomId } from "~/domain/foundation/ids.server";
import { resolveLocale, setPreferredLocale } from "~/domain/accounts/locale.server";
import { action as joinAction } from "~/routes/parent.join";
import { actorFor, demoWorld, userByLogin } from "../support/world";

const page = (headers: Record<string, string> = {}) => new Request("http://localhost/", { headers });

/** Links a demo parent to one more child, `later` ms after their existing links. */
async function linkAnotherChild(parentLogin: string, childLogin: string, later: number) {
  await db()
      .insert(schema.guardianLinks)
      .values({ id: randomId(), guardianId: (await userByLogin(parentLogin)).id, studentId: (await userByLogin(childLogin)).id, createdAt: new Date(Date.now() + later) });
}

/** Opens a parent account through /parent/join with a fresh slip for `childLogin`. */
async function joinWithSlipOf(childLogin: string, phone: string, headers: Record<string, string>) {
  const child = await userByLogin(childLogin);
  const classId = (await first(db().select().from(schema.classMemberships).where(eq(schema.classMemberships.userId, child.id)).limit(1)))!.classId;
  const [slip] = await issueLinkCodes(await actorFor("kangding-pri.t1", "teacher"), classId, [child.id]);
  const password = "雪山下的格桑花 2026";
  const form = new URLSearchParams({ code: slip!.code, realName: "扎西", phone, password, confirm: password });
  const request = new Request("http://localhost/parent/join", {
    method: "POST",
    body: form,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });
  const response = await joinAction({ request, params: {}, context: { clientAddress: "198.51.100.14" } });
  expect((response as Response).status).toBe(302);
}

beforeAll(async () => {
  await demoWorld();
});

describe("issue 14 item 5: a parent's default language follows their children's schools", () => {
  it("a parent of a 康定 pupil gets Tibetan, a parent of a 昭觉 pupil gets Yi", async () => {
    expect(await resolveLocale(page(), await actorFor("kangding-pri.p1"))).toBe("bo");
    expect(await resolveLocale(page(), await actorFor("zhaojue-pri.p1"))).toBe("ii");
  });

  it("a parent of a 武侯 pupil is not given another family's school language (Chinese)", async () => {
    expect(await resolveLocale(page(), await actorFor("wuhou-pri.p1"))).toBe("zh-Hans");
  });

  it("the children's school default comes before Accept-Language, as for a pupil", async () => {
    expect(await resolveLocale(page({ "Accept-Language": "zh-CN,zh;q=0.9" }), await actorFor("kangding-pri.p1"))).toBe("bo");
  });

  it("a parent's saved choice wins over their children's school", async () => {
    const parent = await actorFor("zhaojue-pri.p2");
    await setPreferredLocale(parent, "zh-Hans");
    expect(await resolveLocale(page(), await actorFor("zhaojue-pri.p2"))).toBe("zh-Hans");
  });

  it("the lng cookie wins over the children's school", async () => {
    expect(await resolveLocale(page({ Cookie: "lng=en" }), await actorFor("kangding-pri.p2"))).toBe("en");
  });

  it("children in schools of different defaults: the first linked child's school decides", async () => {
    await linkAnotherChild("kangding-jun.p1", "zhaojue-jun.s1", 60_000);
    expect(await resolveLocale(page(), await actorFor("kangding-jun.p1"))).toBe("bo");
    await linkAnotherChild("zhaojue-jun.p2", "kangding-jun.s2", 60_000);
    expect(await resolveLocale(page(), await actorFor("zhaojue-jun.p2"))).toBe("ii");
  });

  it("a teacher who is also a parent keeps their own school's default, even acting as parent", async () => {
    const teacher = await userByLogin("wuhou-pri.t1");
    await linkAnotherChild("wuhou-pri.t1", "kangding-pri.s3", 60_000);
    await db().update(schema.users).set({ locale: null }).where(eq(schema.users.id, teacher.id));
    expect(await resolveLocale(page(), await actorFor("wuhou-pri.t1", "parent"))).toBe("zh-Hans");
  });

  it("a removed link no longer decides: a parent without children falls back to Accept-Language", async () => {
    const parent = await userByLogin("zhaojue-voc.p1");
    await db().delete(schema.guardianLinks).where(eq(schema.guardianLinks.guardianId, parent.id));
    expect(await resolveLocale(page({ "Accept-Language": "en" }), await actorFor("zhaojue-voc.p1"))).toBe("en");
    expect(await resolveLocale(page(), await actorFor("zhaojue-voc.p1"))).toBe("zh-Hans");
  });

  it("a parent who joins with a 康定 pupil's code is not saved as Chinese from their browser's Accept-Language", async () => {
    await joinWithSlipOf("kangding-pri.s3", "13900000001", { "Accept-Language": "zh-CN,zh;q=0.9" });
    expect((await userByLogin("13900000001")).locale).toBeNull();
    expect(await resolveLocale(page({ "Accept-Language": "zh-CN,zh;q=0.9" }), await actorFor("13900000001"))).toBe("bo");
  });

  it("a language picked with the switcher before joining is saved as the new parent's choice", async () => {
    await joinWithSlipOf("kangding-pri.s4", "13900000002", { Cookie: "lng=zh-Hans" });
    expect((await userByLogin("13900000002")).locale).toBe("zh-Hans");
    expect(await resolveLocale(page(), await actorFor("13900000002"))).toBe("zh-Hans");
  });

  it("asks the database once per signed-in request, however often the page resolves its language", async () => {
    const parent = await actorFor("zhaojue-pri.p1");
    expect(await resolveLocale(page(), parent)).toBe("ii");
    // Moving the child's school's default after the first answer does not change this request's language.
    const school = (await userByLogin("zhaojue-pri.s1")).schoolId!;
    await db().update(schema.schools).set({ defaultLocale: "zh-Hans" }).where(eq(schema.schools.id, school));
    expect(await resolveLocale(page(), parent)).toBe("ii");
    expect(await resolveLocale(page(), await actorFor("zhaojue-pri.p1"))).toBe("zh-Hans");
    await db().update(schema.schools).set({ defaultLocale: "ii" }).where(eq(schema.schools.id, school));
  });
});
