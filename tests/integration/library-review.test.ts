// The region library, reviewing: region admins name reviewers for libraries in their scope; reviewers
// admit (the whole checklist), return or refuse (with a comment), mark 优质 and recommend up; nobody
// reviews their own resource, two reviewers at once do not both decide, and a withdrawn resource is
// not decided on. Every decision is an AuditEvent.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { CHECKLIST, appointReviewer, decideListing, markQuality, recommendUp, removeReviewer, reviewQueue, reviewersView } from "~/domain/library/reviews.server";
import { offerResource, withdrawResource } from "~/domain/library-use/offering.server";
import { resourcePage, searchLibrary } from "~/domain/library/resources.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal, validationRefusal } from "../support/refusal";
import { admit, appointTestReviewers, auditsOf, listingOf, offerFields, regionIdOf, userIdOf, wuhouCountyAdmin } from "../support/library";

const AUTHOR = "wuhou-jun.t1";
let author: Actor;
let reviewer: Actor; // 武侯区
let second: Actor; // 武侯区 too
let wuhou: string;

beforeAll(async () => {
  await demoWorld();
  await appointTestReviewers();
  author = await actorFor(AUTHOR, "teacher");
  reviewer = await actorFor("wuhou-voc.t2", "teacher");
  second = await actorFor("wuhou-pri.t2", "teacher");
  wuhou = await regionIdOf("武侯区");
});

const offer = async (title: string, regionName = "武侯区") => (await offerResource(author, offerFields(await regionIdOf(regionName), { title }))).id;
const reviewsOf = async (listingId: string) => db().select().from(schema.libraryReviews).where(eq(schema.libraryReviews.listingId, listingId));
const full = [...CHECKLIST];

describe("naming reviewers", () => {
  it("a region admin names a teacher of a school in the region, or its staff; the appointment is audited and listed", async () => {
    const province = await actorFor("sichuan.edu");
    const view = await reviewersView(province);
    expect(view.reviewers.filter((r) => r.regionId === wuhou).map((r) => r.loginName).sort()).toEqual(["wuhou-jun.t1", "wuhou-pri.t2", "wuhou-voc.t2"]);
    await appointReviewer(await actorFor("chengdu.edu"), { regionId: wuhou, loginName: "wuhou-jun.t3" });
    expect((await reviewersView(await actorFor("chengdu.edu"))).reviewers.map((r) => r.loginName)).toContain("wuhou-jun.t3");
    const appointed = await db().select().from(schema.auditEvents).where(and(eq(schema.auditEvents.action, "library.appoint_reviewer"), eq(schema.auditEvents.targetId, wuhou)));
    expect(appointed.map((a) => (a.detail as { userId: string }).userId)).toContain(await userIdOf("wuhou-jun.t3"));
    // A county admin names reviewers of their county.
    await appointReviewer(await wuhouCountyAdmin(), { regionId: wuhou, loginName: "wuhou-voc.t3" });
  });

  it("refuses a teacher of a school elsewhere, a student, a parent, an unknown login", async () => {
    const province = await actorFor("sichuan.edu");
    for (const loginName of ["zhaojue-jun.t1", "kangding-pri.t1", "wuhou-pri.s1", "wuhou-pri.p2"]) {
      expect((await validationRefusal(() => appointReviewer(province, { regionId: wuhou, loginName }))).fields.loginName?.key).toBe("library:errors.reviewerNotOfRegion");
    }
    expect((await validationRefusal(() => appointReviewer(province, { regionId: wuhou, loginName: "nobody.t9" }))).fields.loginName?.key).toBe("library:errors.reviewerUnknown");
  });

  it("refuses a library outside the admin's scope: a county admin for the prefecture, 成都 for 凉山; and anyone not an admin", async () => {
    const county = await wuhouCountyAdmin();
    expect((await validationRefusal(async () => appointReviewer(county, { regionId: await regionIdOf("成都市"), loginName: "wuhou-jun.t2" }))).fields.regionId?.key).toBe("library:errors.regionNotInScope");
    expect((await validationRefusal(async () => appointReviewer(await actorFor("chengdu.edu"), { regionId: await regionIdOf("凉山彝族自治州"), loginName: "zhaojue-jun.t2" }))).fields.regionId?.key).toBe("library:errors.regionNotInScope");
    for (const login of ["wuhou-jun.t2", "wuhou-jun.admin", "wuhou-pri.s1", "wuhou-pri.p1"]) {
      expect(await refusal(async () => appointReviewer(await actorFor(login), { regionId: wuhou, loginName: "wuhou-jun.t2" }))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(async () => reviewersView(await actorFor(login)))).toBeInstanceOf(ForbiddenError);
    }
    expect((await db().select().from(schema.libraryReviewers).where(eq(schema.libraryReviewers.userId, await userIdOf("wuhou-jun.t2")))).length).toBe(0);
  });

  it("a removed reviewer decides nothing more", async () => {
    const province = await actorFor("sichuan.edu");
    await appointReviewer(province, { regionId: wuhou, loginName: "wuhou-jun.t2" });
    const id = await offer("卸任之前");
    const listing = await listingOf(id, "武侯区");
    await removeReviewer(province, { regionId: wuhou, userId: await userIdOf("wuhou-jun.t2") });
    expect(await refusal(async () => decideListing(await actorFor("wuhou-jun.t2", "teacher"), listing.id, { decision: "admit", round: listing.round, comment: "", checklist: full }))).toBeInstanceOf(NotFoundError);
    expect(await refusal(async () => removeReviewer(await actorFor("chengdu.edu"), { regionId: await regionIdOf("昭觉县"), userId: await userIdOf("zhaojue-voc.t1") }))).toBeInstanceOf(ForbiddenError);
  });
});

describe("deciding", () => {
  it("the queue shows what waits in the reviewer's libraries, never the reviewer's own", async () => {
    const id = await offer("排队中的资源");
    expect((await reviewQueue(reviewer)).pending.map((p) => p.resourceId)).toContain(id);
    expect((await reviewQueue(author)).pending.map((p) => p.resourceId)).not.toContain(id);
    expect((await reviewQueue(await actorFor("kangding-jun.t3", "teacher"))).pending.map((p) => p.resourceId)).not.toContain(id);
    for (const login of ["zhaojue-jun.t1", "wuhou-pri.s1", "wuhou-pri.p1"]) expect(await refusal(async () => reviewQueue(await actorFor(login)))).toBeInstanceOf(ForbiddenError);
  });

  it("admitting needs the whole checklist; it is then admitted, reviewed and audited", async () => {
    const id = await offer("勾选清单");
    const listing = await listingOf(id, "武侯区");
    const error = await validationRefusal(() => decideListing(reviewer, listing.id, { decision: "admit", round: listing.round, comment: "", checklist: full.slice(1) }));
    expect(error.fields.checklist?.key).toBe("library:errors.checklistIncomplete");
    expect(await listingOf(id, "武侯区")).toMatchObject({ state: "pending", round: listing.round });
    expect((await validationRefusal(() => decideListing(reviewer, listing.id, { decision: "maybe", round: listing.round, comment: "", checklist: full }))).fields.decision?.key).toBe("library:errors.decisionRequired");
    expect(await decideListing(reviewer, listing.id, { decision: "admit", round: listing.round, comment: "", checklist: full })).toEqual({ state: "admitted" });
    const after = await listingOf(id, "武侯区");
    expect(after).toMatchObject({ state: "admitted", admittedVersionId: listing.versionId, decidedBy: await userIdOf("wuhou-voc.t2"), round: listing.round + 1 });
    expect((await reviewsOf(listing.id)).map((r) => [r.decision, r.checklist])).toEqual([["admit", full]]);
    expect(await auditsOf(id)).toEqual(["library.offer", "library.admit"]);
  });

  it("returning and refusing need a comment, which the author reads", async () => {
    const returned = await offer("待修改");
    const listing = await listingOf(returned, "武侯区");
    expect((await validationRefusal(() => decideListing(reviewer, listing.id, { decision: "return", round: listing.round, comment: "  ", checklist: [] }))).fields.comment?.key).toBe("library:errors.commentRequired");
    expect(await decideListing(reviewer, listing.id, { decision: "return", round: listing.round, comment: "请补充例题答案。", checklist: ["correct"] })).toEqual({ state: "returned" });
    const page = await resourcePage(author, returned);
    expect(page.listings[0]).toMatchObject({ state: "returned" });
    expect(page.reviews).toMatchObject([{ decision: "return", comment: "请补充例题答案。", regionName: "武侯区" }]);

    const refused = await offer("不合适的");
    const l2 = await listingOf(refused, "武侯区");
    expect((await validationRefusal(() => decideListing(reviewer, l2.id, { decision: "refuse", round: l2.round, comment: "", checklist: [] }))).fields.comment?.key).toBe("library:errors.commentRequired");
    expect(await decideListing(reviewer, l2.id, { decision: "refuse", round: l2.round, comment: "含有学生姓名。", checklist: [] })).toEqual({ state: "refused" });
    expect(await auditsOf(returned)).toEqual(["library.offer", "library.return"]);
    expect(await auditsOf(refused)).toEqual(["library.offer", "library.refuse"]);
  });

  it("is refused to the author as reviewer, a reviewer of another region, another teacher, a student, a parent", async () => {
    const id = await offer("自己不能审");
    const listing = await listingOf(id, "武侯区");
    const decide = (actor: Actor) => decideListing(actor, listing.id, { decision: "admit", round: listing.round, comment: "", checklist: full });
    expect(await refusal(() => decide(author))).toBeInstanceOf(ForbiddenError);
    expect(await refusal(() => markQuality(author, listing.id, true))).toBeInstanceOf(ForbiddenError);
    for (const login of ["kangding-pri.t2", "kangding-jun.t3", "zhaojue-jun.t1", "wuhou-pri.s1", "wuhou-pri.p1", "chengdu.edu"]) {
      expect(await refusal(async () => decide(await actorFor(login)))).toBeInstanceOf(NotFoundError);
    }
    // A reviewer acting as a parent reviews nothing.
    const parentRole = await actorFor("wuhou-pri.t1", "parent");
    expect(await refusal(() => decide(parentRole))).toBeInstanceOf(NotFoundError);
    expect(await listingOf(id, "武侯区")).toMatchObject({ state: "pending", round: listing.round });
    expect(await reviewsOf(listing.id)).toEqual([]);
    expect(await auditsOf(id)).toEqual(["library.offer"]);
  });

  it("two reviewers at once: the second is told who decided, and nothing changes", async () => {
    const id = await offer("两位审核员");
    const listing = await listingOf(id, "武侯区");
    await decideListing(reviewer, listing.id, { decision: "admit", round: listing.round, comment: "", checklist: full });
    const error = await validationRefusal(() => decideListing(second, listing.id, { decision: "refuse", round: listing.round, comment: "不行", checklist: [] }));
    expect(error.key).toBe("library:errors.decidedMeanwhile");
    expect(error.params.name).toBe((await userByLogin("wuhou-voc.t2")).realName);
    expect(await listingOf(id, "武侯区")).toMatchObject({ state: "admitted", decidedBy: await userIdOf("wuhou-voc.t2"), round: listing.round + 1 });
    expect((await reviewsOf(listing.id)).map((r) => r.decision)).toEqual(["admit"]);
    expect(await auditsOf(id)).toEqual(["library.offer", "library.admit"]);
  });

  it("two reviewers at the same moment: exactly one decision lands", async () => {
    const id = await offer("同时审核");
    const listing = await listingOf(id, "武侯区");
    const results = await Promise.allSettled([
      decideListing(reviewer, listing.id, { decision: "admit", round: listing.round, comment: "", checklist: full }),
      decideListing(second, listing.id, { decision: "return", round: listing.round, comment: "再改改", checklist: [] }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    const winner = results[0]!.status === "fulfilled" ? "wuhou-voc.t2" : "wuhou-pri.t2";
    expect(rejected.reason).toMatchObject({ key: "library:errors.decidedMeanwhile", params: { name: (await userByLogin(winner)).realName } });
    expect((await listingOf(id, "武侯区")).decidedBy).toBe(await userIdOf(winner));
    expect(await reviewsOf(listing.id)).toHaveLength(1);
    expect((await auditsOf(id)).filter((a) => a !== "library.offer")).toHaveLength(1);
  });

  it("a resource withdrawn while under review: the decision is refused and nothing changes", async () => {
    const id = await offer("审核时撤回");
    const listing = await listingOf(id, "武侯区");
    const queued = (await reviewQueue(reviewer)).pending.find((p) => p.resourceId === id);
    expect(queued).toBeDefined();
    await withdrawResource(author, id);
    const error = await validationRefusal(() => decideListing(reviewer, listing.id, { decision: "admit", round: listing.round, comment: "", checklist: full }));
    expect(error.key).toBe("library:errors.withdrawnMeanwhile");
    expect(await listingOf(id, "武侯区")).toMatchObject({ state: "pending", round: listing.round, decidedBy: null });
    expect(await reviewsOf(listing.id)).toEqual([]);
    expect(await auditsOf(id)).toEqual(["library.offer", "library.withdraw"]);
    expect((await reviewQueue(reviewer)).pending.map((p) => p.resourceId)).not.toContain(id);
  });
});

describe("优质 and recommending up", () => {
  it("a reviewer marks an admitted resource 优质 (audited), and only an admitted one", async () => {
    const pending = await offer("还没通过");
    expect((await validationRefusal(async () => markQuality(reviewer, (await listingOf(pending, "武侯区")).id, true))).key).toBe("library:errors.notAdmitted");
    const id = await offer("优质课例");
    const listingId = await admit(reviewer, id, "武侯区");
    for (const login of ["kangding-pri.t2", "wuhou-pri.s1", "zhaojue-jun.t1"]) expect(await refusal(async () => markQuality(await actorFor(login), listingId, true))).toBeInstanceOf(NotFoundError);
    await markQuality(second, listingId, true);
    await markQuality(second, listingId, true);
    expect((await listingOf(id, "武侯区")).quality).toBe(true);
    const reader = await actorFor("wuhou-pri.t3", "teacher");
    expect((await searchLibrary(reader, { quality: "1", q: "优质课例" })).results.map((r) => r.id)).toEqual([id]);
    expect((await searchLibrary(reader, { quality: "1", q: "还没通过" })).results).toEqual([]);
    await markQuality(reviewer, listingId, false);
    expect((await listingOf(id, "武侯区")).quality).toBe(false);
    expect(await auditsOf(id)).toEqual(["library.offer", "library.admit", "library.quality", "library.unquality"]);
  });

  it("recommends up: a second listing, pending there, decided again by that library; the province's makes it everyone's", async () => {
    const id = await offer("逐级推荐");
    const county = await admit(reviewer, id, "武侯区");
    const zhaojue = await actorFor("zhaojue-jun.t1", "teacher");
    expect(await refusal(() => resourcePage(zhaojue, id))).toBeInstanceOf(NotFoundError);
    for (const login of ["kangding-pri.t2", "wuhou-pri.s1"]) expect(await refusal(async () => recommendUp(await actorFor(login), county))).toBeInstanceOf(NotFoundError);
    expect(await refusal(() => recommendUp(author, county))).toBeInstanceOf(ForbiddenError);

    const { listingId: prefecture } = await recommendUp(reviewer, county, "值得全市推广");
    expect(await listingOf(id, "成都市")).toMatchObject({ id: prefecture, state: "pending", recommendedFrom: wuhou, admittedVersionId: null });
    expect((await validationRefusal(() => recommendUp(second, county))).key).toBe("library:errors.alreadyListed");
    // Pending up there: the county's teachers still see it (their county admitted it); the province's do not.
    expect((await searchLibrary(zhaojue, { q: "逐级推荐" })).results).toEqual([]);
    const chengduReviewer = await actorFor("chengdu.edu");
    expect((await reviewQueue(chengduReviewer)).pending.map((p) => p.listingId)).toContain(prefecture);
    await admit(chengduReviewer, id, "成都市");
    const { listingId: province } = await recommendUp(chengduReviewer, prefecture);
    const provinceReviewer = await actorFor("kangding-jun.t3", "teacher");
    await admit(provinceReviewer, id, "四川省");
    expect((await validationRefusal(() => recommendUp(provinceReviewer, province))).key).toBe("library:errors.noParentLibrary");

    for (const login of ["zhaojue-jun.t1", "kangding-pri.t1", "garze-voc.t3", "wuhou-pri.t3"]) {
      expect((await searchLibrary(await actorFor(login, "teacher"), { q: "逐级推荐" })).results.map((r) => r.id)).toEqual([id]);
    }
    expect(await auditsOf(id)).toEqual(["library.offer", "library.admit", "library.recommend", "library.admit", "library.recommend", "library.admit"]);
  });
});
