// Who may see what in the region library. A resource admitted to a region's library is visible to
// every teacher whose school lies in that region (the province's library: the whole province; a
// county's: that county), while it is not withdrawn; its author sees it always; a reviewer of a
// library it was offered or recommended to sees the version before them. Students, parents and
// everyone else see none of it: students meet a resource only as a lesson their teacher published.
// Offering and using need the `lesson_sharing` capability (so the rollout's phases and ceilings apply).
import { and, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import { db, execute, first, firstRow, schema } from "#db/client";
import { requireActingAs, requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { ForbiddenError, NotFoundError } from "../foundation/errors.server";
import { regionPath, type Region } from "../places/regions.server";
import { findSchool } from "../places/schools.server";
import { requireSpaceFeature } from "../spaces/spaces.server";
import { oncePerRequest } from "~/lib/request-scope.server";

export type LibraryTeacher = {
  me: SignedInActor;
  schoolId: string;
  stage: string;
  /** The libraries the teacher reads and may offer to: their county's up to the province's, nearest first. */
  path: Region[];
};

/** A teacher, acting as one, whose space is open and whose `lesson_sharing` is on; with their school's region path. */
export async function requireLibraryTeacher(actor: Actor): Promise<LibraryTeacher> {
  const { actor: me } = requireActingAs(actor, "teacher");
  await requireSpaceFeature(me, "lesson_sharing");
  const school = me.schoolId ? await findSchool(me.schoolId) : undefined;
  if (!school) throw new ForbiddenError();
  return { me, schoolId: school.id, stage: school.stage, path: await regionPath(school.regionId) };
}

/** Whether the actor is a teacher who may use the library (for links and menus; never a permission by itself). */
export async function mayUseLibrary(actor: Actor): Promise<boolean> {
  if (actor?.activeRole !== "teacher") return false;
  try {
    await requireLibraryTeacher(actor);
    return true;
  } catch {
    return false;
  }
}

/** The regions whose library the person reviews. */
export async function reviewedRegionIds(userId: string): Promise<string[]> {
  return oncePerRequest(`library-reviewer:${userId}`, async () =>
    (await db().select({ regionId: schema.libraryReviewers.regionId }).from(schema.libraryReviewers).where(eq(schema.libraryReviewers.userId, userId))).map((r) => r.regionId),
  );
}

/** A reviewer acts as the teacher or region staff they are; students and parents never review. */
export async function requireReviewerOf(actor: Actor, regionId: string): Promise<SignedInActor> {
  const me = requireSignedIn(actor);
  if (me.activeRole !== "teacher" && me.activeRole !== "region_admin") throw new ForbiddenError();
  if (!(await reviewedRegionIds(me.id)).includes(regionId)) throw new ForbiddenError();
  return me;
}

/** Whether the actor reviews any library (for the menu). */
export async function isReviewer(actor: Actor): Promise<boolean> {
  if (!actor || (actor.activeRole !== "teacher" && actor.activeRole !== "region_admin")) return false;
  return (await reviewedRegionIds(actor.id)).length > 0;
}

export type ResourceStanding = {
  me: SignedInActor;
  isAuthor: boolean;
  /** Libraries (region ids) of this resource the actor reviews. */
  reviews: string[];
  /** The newest version a teacher of the region may read (admitted in a library on their path), if any. */
  readableVersionId: string | null;
  /** Whether the actor may use it, rate it and comment (a library teacher who can read an admitted version). */
  mayUse: boolean;
};

/** A resource with its author's name, handle and school (teachers: staff, named to every reader). */
type ResourceRow = typeof schema.libraryResources.$inferSelect & { author: { realName: string; handle: string; schoolName: string | null } };

export async function resourceRow(id: string): Promise<ResourceRow> {
  const row = await oncePerRequest(`library-resource:${id}`, async () =>
    first(
      db()
        .select({ resource: schema.libraryResources, realName: schema.users.realName, handle: schema.users.handle, schoolName: schema.schools.name })
        .from(schema.libraryResources)
        .innerJoin(schema.users, eq(schema.users.id, schema.libraryResources.authorId))
        .leftJoin(schema.schools, eq(schema.schools.id, schema.libraryResources.schoolId))
        .where(eq(schema.libraryResources.id, id))
        .limit(1),
    ),
  );
  if (!row) throw new NotFoundError();
  return { ...row.resource, author: { realName: row.realName, handle: row.handle, schoolName: row.schoolName } };
}

/**
 * How the actor stands to a resource; NotFoundError when they may see none of it (a student, a parent,
 * a teacher of another region, anyone once it is withdrawn unless author or its reviewer).
 */
export async function resourceStanding(actor: Actor, resource: ResourceRow): Promise<ResourceStanding> {
  const me = requireSignedIn(actor);
  const isAuthor = resource.authorId === me.id && me.activeRole === "teacher";
  const listings = await oncePerRequest(`library-listings:${resource.id}`, async () =>
    db()
      .select({ regionId: schema.libraryListings.regionId, admittedVersionId: schema.libraryListings.admittedVersionId, number: schema.libraryVersions.number })
      .from(schema.libraryListings)
      .leftJoin(schema.libraryVersions, eq(schema.libraryVersions.id, schema.libraryListings.admittedVersionId))
      .where(eq(schema.libraryListings.resourceId, resource.id)),
  );
  const reviewed = me.activeRole === "teacher" || me.activeRole === "region_admin" ? await reviewedRegionIds(me.id) : [];
  const reviews = listings.map((l) => l.regionId).filter((r) => reviewed.includes(r) && !isAuthor);
  let readableVersionId: string | null = null;
  let mayUse = false;
  if (!resource.withdrawnAt && me.activeRole === "teacher") {
    const teacher = await requireLibraryTeacher(me).catch(() => null);
    if (teacher) {
      const onPath = new Set(teacher.path.map((r) => r.id));
      const readable = listings.filter((l) => l.admittedVersionId && onPath.has(l.regionId)).sort((a, b) => (b.number ?? 0) - (a.number ?? 0));
      readableVersionId = readable[0]?.admittedVersionId ?? null;
      mayUse = readableVersionId !== null;
    }
  }
  if (!isAuthor && !reviews.length && !readableVersionId) throw new NotFoundError();
  return { me, isAuthor, reviews, readableVersionId, mayUse };
}

/** Whether the actor may read this version (and so its files): its author, its reviewers, or a teacher it was admitted for. */
export async function mayReadLibraryVersion(actor: Actor, versionId: string): Promise<boolean> {
  if (!actor) return false;
  const version = await first(db().select({ resourceId: schema.libraryVersions.resourceId }).from(schema.libraryVersions).where(eq(schema.libraryVersions.id, versionId)).limit(1));
  if (!version) return false;
  const resource = await resourceRow(version.resourceId);
  let standing: ResourceStanding;
  try {
    standing = await resourceStanding(actor, resource);
  } catch {
    return false;
  }
  if (standing.isAuthor) return true;
  if (standing.reviews.length) {
    const underReview = await first(
      db()
        .select({ id: schema.libraryListings.id })
        .from(schema.libraryListings)
        .where(and(eq(schema.libraryListings.resourceId, resource.id), inArray(schema.libraryListings.regionId, standing.reviews), or(eq(schema.libraryListings.versionId, versionId), eq(schema.libraryListings.admittedVersionId, versionId))))
        .limit(1),
    );
    if (underReview) return true;
  }
  if (standing.readableVersionId === versionId) return true;
  // A teacher may also read an older admitted version still shown in another library on their path.
  if (standing.mayUse) {
    const teacher = await requireLibraryTeacher(actor);
    const shown = await first(
      db()
        .select({ id: schema.libraryListings.id })
        .from(schema.libraryListings)
        .where(and(eq(schema.libraryListings.resourceId, resource.id), eq(schema.libraryListings.admittedVersionId, versionId), isNotNull(schema.libraryListings.admittedAt), inArray(schema.libraryListings.regionId, teacher.path.map((r) => r.id))))
        .limit(1),
    );
    return Boolean(shown);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The library's cache version: bumped in the transaction of every write that changes what the plan's
// figures count (a decision, a 优质 mark, a withdrawal, a use), so that every app server knows when
// the coverage counts it keeps are stale (as the flags' "flags" version does).

export async function bumpLibraryVersion(): Promise<void> {
  await execute(sql`insert into cache_versions (name, version) values ('library', 1) on conflict(name) do update set version = cache_versions.version + 1`);
}

export async function libraryVersion(): Promise<number> {
  return Number((await firstRow<{ version: number }>(sql`select version from cache_versions where name = 'library'`))?.version ?? 0);
}
