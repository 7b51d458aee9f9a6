// The region library's test world: libraries by name, the reviewers these tests appoint (as the
// province's admin), an offer form with a valid description, and admitting a listing as a reviewer.
import { and, eq } from "drizzle-orm";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { randomId } from "~/domain/foundation/ids.server";
import { unitCode } from "~/domain/library/catalogue.server";
import { CHECKLIST, appointReviewer, decideListing } from "~/domain/library/reviews.server";
import { offerResource } from "~/domain/library-use/offering.server";
import { actorFor, userByLogin } from "./world";

export const regionIdOf = async (name: string) => (await first(db().select().from(schema.regions).where(eq(schema.regions.name, name)).limit(1)))!.id;

/**
 * Who reviews what in these tests (the demo's own library seed may name others too; nothing here
 * depends on them): 武侯区 by two teachers of its schools and, to be refused on their own work, the
 * author 武侯区第一初级中学's t1; 成都市 by its admin; the province by a 康定 teacher; 康定市 by a
 * teacher there (a reviewer of another region).
 */
export const REVIEWERS = {
  wuhou: ["wuhou-voc.t2", "wuhou-pri.t2", "wuhou-jun.t1"],
  chengdu: ["chengdu.edu"],
  sichuan: ["kangding-jun.t3"],
  kangding: ["kangding-pri.t2"],
} as const;
const LIBRARY_NAMES = { wuhou: "武侯区", chengdu: "成都市", sichuan: "四川省", kangding: "康定市" } as const;

export async function appointTestReviewers(): Promise<void> {
  const province = await actorFor("sichuan.edu");
  for (const [library, logins] of Object.entries(REVIEWERS)) {
    const regionId = await regionIdOf(LIBRARY_NAMES[library as keyof typeof LIBRARY_NAMES]);
    for (const loginName of logins) await appointReviewer(province, { regionId, loginName });
  }
}

/** A county admin of 武侯区 (the demo world has none). */
export async function wuhouCountyAdmin(): Promise<Actor> {
  const existing = await first(db().select().from(schema.users).where(eq(schema.users.loginName, "wuhou.edu")).limit(1));
  if (!existing) {
    const id = randomId();
    await db().insert(schema.users).values({ id, loginName: "wuhou.edu", handle: `wuhou-edu-${id.slice(0, 6)}`, realName: "王区长", status: "active" });
    await db().insert(schema.userRoles).values({ userId: id, role: "region_admin", regionId: await regionIdOf("武侯区") });
  }
  return actorFor("wuhou.edu");
}

/** A valid offer: 七年级上册 数学 (人教版) unit 2, a lesson plan in Chinese, to `regionId`. */
export function offerFields(regionId: string, overrides: Record<string, string> = {}): Map<string, string> {
  return new Map(
    Object.entries({
      title: "有理数的加法",
      body: "先看数轴上的两次移动。",
      regionId,
      kind: "lesson_plan",
      stage: "junior",
      grade: "1",
      subject: "math",
      edition: "pep",
      unit: unitCode("pep", 1, "a", 2),
      language: "zh-Hans",
      licence: "platform_adapt",
      ...overrides,
    }),
  );
}

export async function listingOf(resourceId: string, regionName: string) {
  return (await first(
    db()
      .select()
      .from(schema.libraryListings)
      .where(and(eq(schema.libraryListings.resourceId, resourceId), eq(schema.libraryListings.regionId, await regionIdOf(regionName))))
      .limit(1),
  ))!;
}

/** Admits the resource's listing in `regionName` as `reviewer`, on the round it is at. */
export async function admit(reviewer: Actor, resourceId: string, regionName: string): Promise<string> {
  const listing = await listingOf(resourceId, regionName);
  await decideListing(reviewer, listing.id, { decision: "admit", round: listing.round, comment: "", checklist: [...CHECKLIST] });
  return listing.id;
}

/** Offers a resource as `author` to `regionName` and has `reviewer` admit it there. */
export async function offeredAndAdmitted(author: Actor, reviewer: Actor, regionName: string, overrides: Record<string, string> = {}, files: string[] = []): Promise<string> {
  const { id } = await offerResource(author, offerFields(await regionIdOf(regionName), overrides), files);
  await admit(reviewer, id, regionName);
  return id;
}

export const auditsOf = async (resourceId: string) =>
  (await db().select().from(schema.auditEvents).where(and(eq(schema.auditEvents.targetType, "library_resource"), eq(schema.auditEvents.targetId, resourceId)))).map((a) => a.action);

export const userIdOf = async (login: string) => (await userByLogin(login)).id;
