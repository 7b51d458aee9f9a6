// 政府评估准入: a region's reviewers decide on what was offered or recommended to its library. Each
// decision is checked against the short checklist, recorded as a review and an AuditEvent, and made
// on the round the reviewer saw: when two reviewers decide at once, the second is told who decided.
// Nobody reviews their own resource, and nothing is decided on a withdrawn one. Region admins name the
// reviewers of the libraries in their scope (teachers of schools there, or its staff).
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema, changedRows, first } from "#db/client";
import type { ListingState } from "#db/schema";
import type { Actor } from "../foundation/actor.server";
import { recordAudit } from "../foundation/audit.server";
import { ForbiddenError, NotFoundError, ValidationError } from "../foundation/errors.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";
import { scriptLang } from "../foundation/richtext.server";
import { randomId } from "../foundation/ids.server";
import { findRegion, isWithinRegion, regionInScope, regionSubtreeIds, requireRegionScope } from "../places/regions.server";
import { bumpLibraryVersion, requireReviewerOf, reviewedRegionIds } from "./library-access.server";

/** 内容正确 · 适合学段 · 不含学生个人信息 · 有权分享 · 手机上可读 */
export const CHECKLIST = ["correct", "suitable", "noPupilData", "rights", "phoneReadable"] as const;
export const REVIEW_COMMENT_MAX = 2000;

type Fields = { get(name: string): string | null | undefined; getAll?(name: string): string[] };
type ListingRow = typeof schema.libraryListings.$inferSelect;

async function listingRow(listingId: string): Promise<ListingRow> {
  const row = await first(db().select().from(schema.libraryListings).where(eq(schema.libraryListings.id, listingId)).limit(1));
  if (!row) throw new NotFoundError();
  return row;
}

/** The listing, if the actor reviews its library and is not the resource's author. */
async function reviewable(actor: Actor, listingId: string) {
  const listing = await listingRow(listingId);
  let me;
  try {
    me = await requireReviewerOf(actor, listing.regionId);
  } catch {
    // Someone who does not review this library learns nothing about it.
    throw new NotFoundError();
  }
  const resource = (await db().select().from(schema.libraryResources).where(eq(schema.libraryResources.id, listing.resourceId)).limit(1))[0]!;
  if (resource.authorId === me.id) throw new ForbiddenError("library:errors.ownResource");
  return { me, listing, resource };
}

// ---------------------------------------------------------------------------------------------
// The queue

export type QueueEntry = {
  listingId: string;
  resourceId: string;
  versionId: string;
  regionName: string;
  title: string;
  lang: "bo" | "ii" | null;
  versionNumber: number;
  /** A later version of a resource this library already shows. */
  revision: boolean;
  recommendedFrom: string | null;
  author: string;
  schoolName: string | null;
  subject: string;
  stage: string;
  offeredAt: Date;
};

/** What waits for the actor's decision in the libraries they review, oldest first; their own resources left out. */
export async function reviewQueue(actor: Actor): Promise<{ pending: QueueEntry[]; libraries: { id: string; name: string }[] }> {
  if (!actor || (actor.activeRole !== "teacher" && actor.activeRole !== "region_admin")) throw new ForbiddenError();
  const regionIds = await reviewedRegionIds(actor.id);
  if (!regionIds.length) throw new ForbiddenError();
  const from = schema.regions;
  const libraries = await db().select({ id: from.id, name: from.name }).from(from).where(inArray(from.id, regionIds)).orderBy(asc(from.name));
  const recommender = sql<string | null>`(select rr.name from regions rr where rr.id = ${schema.libraryListings.recommendedFrom})`;
  const rows = await db()
    .select({
      listingId: schema.libraryListings.id,
      resourceId: schema.libraryListings.resourceId,
      versionId: schema.libraryListings.versionId,
      admittedVersionId: schema.libraryListings.admittedVersionId,
      regionName: from.name,
      title: schema.libraryVersions.title,
      versionNumber: schema.libraryVersions.number,
      subject: schema.libraryVersions.subject,
      stage: schema.libraryVersions.stage,
      recommendedFrom: recommender,
      author: schema.users.realName,
      schoolName: schema.schools.name,
      offeredAt: schema.libraryVersions.createdAt,
    })
    .from(schema.libraryListings)
    .innerJoin(from, eq(from.id, schema.libraryListings.regionId))
    .innerJoin(schema.libraryVersions, eq(schema.libraryVersions.id, schema.libraryListings.versionId))
    .innerJoin(schema.libraryResources, eq(schema.libraryResources.id, schema.libraryListings.resourceId))
    .innerJoin(schema.users, eq(schema.users.id, schema.libraryResources.authorId))
    .leftJoin(schema.schools, eq(schema.schools.id, schema.libraryResources.schoolId))
    .where(and(inArray(schema.libraryListings.regionId, regionIds), eq(schema.libraryListings.state, "pending"), sql`${schema.libraryResources.withdrawnAt} is null`, sql`${schema.libraryResources.authorId} <> ${actor.id}`))
    .orderBy(asc(schema.libraryVersions.createdAt));
  return {
    libraries,
    pending: rows.map(({ admittedVersionId, ...r }) => ({ ...r, lang: scriptLang(r.title), revision: admittedVersionId !== null })),
  };
}

// ---------------------------------------------------------------------------------------------
// Deciding

const decisionShape = z.object({
  decision: z.enum(["admit", "return", "refuse"], { message: "library:errors.decisionRequired" }),
  round: z.coerce.number().int(),
  comment: z.string().overwrite(withoutDirectionControls).trim().max(REVIEW_COMMENT_MAX, "library:errors.commentTooLong"),
  checklist: z.array(z.enum(CHECKLIST)),
});

export type DecisionInput = { decision: string; round: string | number; comment: string; checklist: string[] };

/** The form's values as sent, to show again with an error. */
export function decisionFormValues(fields: Fields): DecisionInput {
  return { decision: fields.get("decision") ?? "", round: fields.get("round") ?? "", comment: fields.get("comment") ?? "", checklist: fields.getAll?.("checklist") ?? [] };
}

/**
 * Admits, returns (with comments for the author) or refuses the version before the library. Admitting
 * needs every checklist item ticked; returning and refusing need a comment. A decision on an older
 * round than the listing's, or on a withdrawn resource, changes nothing and says why.
 */
export async function decideListing(actor: Actor, listingId: string, raw: DecisionInput, now = Date.now()): Promise<{ state: ListingState }> {
  const { me, listing } = await reviewable(actor, listingId);
  const parsed = decisionShape.safeParse({ ...raw, checklist: (raw.checklist ?? []).filter((c) => (CHECKLIST as readonly string[]).includes(c)) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError({ [String(issue.path[0] ?? "decision")]: { key: issue.message.startsWith("library:") ? issue.message : "errors:invalidInput" } });
  }
  const input = parsed.data;
  if (input.decision === "admit" && input.checklist.length !== CHECKLIST.length) throw new ValidationError({ checklist: { key: "library:errors.checklistIncomplete" } });
  if (input.decision !== "admit" && !input.comment) throw new ValidationError({ comment: { key: "library:errors.commentRequired" } });
  const state: ListingState = input.decision === "admit" ? "admitted" : input.decision === "return" ? "returned" : "refused";
  await db().transaction(
    async (tx) => {
      const resource = (await tx.select().from(schema.libraryResources).where(eq(schema.libraryResources.id, listing.resourceId)).limit(1))[0]!;
      if (resource.withdrawnAt) throw new ValidationError({}, "library:errors.withdrawnMeanwhile");
      const current = (await tx.select().from(schema.libraryListings).where(eq(schema.libraryListings.id, listingId)).limit(1))[0]!;
      if (current.round !== input.round || current.state !== "pending") throw await decidedMeanwhile(current);
      const admitted = state === "admitted";
      const changed = await changedRows(
        tx
          .update(schema.libraryListings)
          .set({
            state,
            round: current.round + 1,
            decidedBy: me.id,
            decidedAt: new Date(now),
            ...(admitted ? { admittedVersionId: current.versionId, admittedAt: current.admittedAt ?? new Date(now) } : {}),
          })
          .where(and(eq(schema.libraryListings.id, listingId), eq(schema.libraryListings.round, current.round))),
      );
      if (!changed) throw await decidedMeanwhile(current);
      await tx.insert(schema.libraryReviews).values({ id: randomId(), listingId, versionId: current.versionId, reviewerId: me.id, decision: input.decision, checklist: input.checklist, comment: input.comment });
      await bumpLibraryVersion();
      await recordAudit({ actorId: me.id, action: `library.${input.decision}`, targetType: "library_resource", targetId: resource.id, schoolId: resource.schoolId, detail: { regionId: current.regionId, library: await regionName(current.regionId), versionId: current.versionId, checklist: input.checklist } }, tx);
    },
    { behavior: "immediate" },
  );
  return { state };
}

/** A library's region by name, for the audit log's sentences. */
async function regionName(regionId: string): Promise<string> {
  return (await findRegion(regionId))?.name ?? "";
}

async function decidedMeanwhile(current: ListingRow): Promise<ValidationError> {
  const by = current.decidedBy ? await first(db().select({ realName: schema.users.realName }).from(schema.users).where(eq(schema.users.id, current.decidedBy)).limit(1)) : undefined;
  return new ValidationError({}, "library:errors.decidedMeanwhile", { name: by?.realName ?? "", state: current.state });
}

/** Marks an admitted resource 优质 in this library, or takes the mark back. */
export async function markQuality(actor: Actor, listingId: string, quality: boolean): Promise<void> {
  const { me, listing, resource } = await reviewable(actor, listingId);
  if (resource.withdrawnAt) throw new ValidationError({}, "library:errors.withdrawnMeanwhile");
  if (!listing.admittedVersionId) throw new ValidationError({}, "library:errors.notAdmitted");
  if (listing.quality === quality) return;
  await db().transaction(
    async (tx) => {
      await tx.update(schema.libraryListings).set({ quality }).where(eq(schema.libraryListings.id, listingId));
      await bumpLibraryVersion();
      await tx.insert(schema.libraryReviews).values({ id: randomId(), listingId, versionId: listing.admittedVersionId!, reviewerId: me.id, decision: quality ? "quality" : "unquality", comment: "" });
      await recordAudit({ actorId: me.id, action: quality ? "library.quality" : "library.unquality", targetType: "library_resource", targetId: resource.id, schoolId: resource.schoolId, detail: { regionId: listing.regionId, library: await regionName(listing.regionId) } }, tx);
    },
    { behavior: "immediate" },
  );
}

/** Recommends an admitted resource up to the parent region's library, whose reviewers decide again. */
export async function recommendUp(actor: Actor, listingId: string, comment = ""): Promise<{ listingId: string }> {
  const { me, listing, resource } = await reviewable(actor, listingId);
  if (resource.withdrawnAt) throw new ValidationError({}, "library:errors.withdrawnMeanwhile");
  if (!listing.admittedVersionId) throw new ValidationError({}, "library:errors.notAdmitted");
  const region = await findRegion(listing.regionId);
  if (!region?.parentId) throw new ValidationError({}, "library:errors.noParentLibrary");
  const id = randomId();
  await db().transaction(
    async (tx) => {
      const already = (await tx.select({ id: schema.libraryListings.id }).from(schema.libraryListings).where(and(eq(schema.libraryListings.resourceId, resource.id), eq(schema.libraryListings.regionId, region.parentId!))).limit(1))[0];
      if (already) throw new ValidationError({}, "library:errors.alreadyListed");
      await tx.insert(schema.libraryListings).values({ id, resourceId: resource.id, regionId: region.parentId!, versionId: listing.admittedVersionId!, recommendedFrom: listing.regionId });
      await tx.insert(schema.libraryReviews).values({ id: randomId(), listingId, versionId: listing.admittedVersionId!, reviewerId: me.id, decision: "recommend", comment: withoutDirectionControls(comment).trim().slice(0, REVIEW_COMMENT_MAX) });
      await recordAudit({ actorId: me.id, action: "library.recommend", targetType: "library_resource", targetId: resource.id, schoolId: resource.schoolId, detail: { regionId: listing.regionId, library: region.name, toRegionId: region.parentId, toLibrary: await regionName(region.parentId!) } }, tx);
    },
    { behavior: "immediate" },
  );
  return { listingId: id };
}

// ---------------------------------------------------------------------------------------------
// Naming reviewers

export type ReviewerRow = { userId: string; realName: string; loginName: string; schoolName: string | null; regionId: string; regionName: string; since: Date };

/** The reviewers of the libraries in the admin's scope, and the libraries they may name reviewers for. */
export async function reviewersView(actor: Actor): Promise<{ reviewers: ReviewerRow[]; libraries: { id: string; name: string }[] }> {
  const scope = requireRegionScope(actor);
  const libraries = scope.rootId === null
    ? await db().select({ id: schema.regions.id, name: schema.regions.name }).from(schema.regions).orderBy(asc(schema.regions.name))
    : await db()
        .select({ id: schema.regions.id, name: schema.regions.name })
        .from(schema.regions)
        .where(inArray(schema.regions.id, await regionSubtreeIds(scope.rootId)))
        .orderBy(asc(schema.regions.name));
  const ids = libraries.map((l) => l.id);
  const rows = ids.length
    ? await db()
        .select({ userId: schema.users.id, realName: schema.users.realName, loginName: schema.users.loginName, schoolName: schema.schools.name, regionId: schema.regions.id, regionName: schema.regions.name, since: schema.libraryReviewers.createdAt })
        .from(schema.libraryReviewers)
        .innerJoin(schema.users, eq(schema.users.id, schema.libraryReviewers.userId))
        .innerJoin(schema.regions, eq(schema.regions.id, schema.libraryReviewers.regionId))
        .leftJoin(schema.schools, eq(schema.schools.id, schema.users.schoolId))
        .where(inArray(schema.libraryReviewers.regionId, ids))
        .orderBy(asc(schema.regions.name), desc(schema.libraryReviewers.createdAt))
    : [];
  return { reviewers: rows, libraries };
}

/**
 * Names a reviewer of a library in the admin's scope: a teacher whose school is in that region, or a
 * region admin of it or below. Anyone else (a pupil, a parent, a teacher elsewhere) is refused.
 */
export async function appointReviewer(actor: Actor, raw: { regionId: string; loginName: string }): Promise<void> {
  const scope = requireRegionScope(actor);
  if (!raw.regionId || !(await regionInScope(scope, raw.regionId))) throw new ValidationError({ regionId: { key: "library:errors.regionNotInScope" } });
  const loginName = (raw.loginName ?? "").trim().toLowerCase();
  const person = loginName ? await first(db().select().from(schema.users).where(eq(schema.users.loginName, loginName)).limit(1)) : undefined;
  if (!person || person.status === "disabled") throw new ValidationError({ loginName: { key: "library:errors.reviewerUnknown" } });
  const roles = await db().select().from(schema.userRoles).where(eq(schema.userRoles.userId, person.id));
  const school = person.schoolId ? await first(db().select({ regionId: schema.schools.regionId }).from(schema.schools).where(eq(schema.schools.id, person.schoolId)).limit(1)) : undefined;
  const teacherHere = roles.some((r) => r.role === "teacher") && school && (await isWithinRegion(school.regionId, raw.regionId));
  const staffHere = (await Promise.all(roles.filter((g) => g.role === "region_admin" && g.regionId).map((g) => isWithinRegion(g.regionId!, raw.regionId)))).some(Boolean);
  if (!teacherHere && !staffHere) throw new ValidationError({ loginName: { key: "library:errors.reviewerNotOfRegion" } });
  await db().transaction(
    async (tx) => {
      await tx.insert(schema.libraryReviewers).values({ userId: person.id, regionId: raw.regionId, grantedBy: scope.actor.id }).onConflictDoNothing();
      await recordAudit({ actorId: scope.actor.id, action: "library.appoint_reviewer", targetType: "region", targetId: raw.regionId, detail: { regionId: raw.regionId, userId: person.id, reviewer: person.realName } }, tx);
    },
    { behavior: "immediate" },
  );
}

export async function removeReviewer(actor: Actor, raw: { regionId: string; userId: string }): Promise<void> {
  const scope = requireRegionScope(actor);
  if (!raw.regionId || !(await regionInScope(scope, raw.regionId))) throw new ForbiddenError();
  await db().transaction(
    async (tx) => {
      const removed = await changedRows(tx.delete(schema.libraryReviewers).where(and(eq(schema.libraryReviewers.regionId, raw.regionId), eq(schema.libraryReviewers.userId, raw.userId))));
      const reviewer = await first(db().select({ realName: schema.users.realName }).from(schema.users).where(eq(schema.users.id, raw.userId)).limit(1));
      if (removed) await recordAudit({ actorId: scope.actor.id, action: "library.remove_reviewer", targetType: "region", targetId: raw.regionId, detail: { regionId: raw.regionId, userId: raw.userId, reviewer: reviewer?.realName ?? "" } }, tx);
    },
    { behavior: "immediate" },
  );
}
