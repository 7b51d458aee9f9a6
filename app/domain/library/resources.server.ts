// Reading the region library: a teacher's search over what their libraries admitted (their county's
// up to the province's), one resource's page as its author, a reviewer or a reader sees it, and an
// author's own resources with where they stand, how often they were used (by school, never by pupil)
// and their rating. Writing them is offering.server (library-use) and reviews.server.
import { asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db, schema, selectRows, spell } from "#db/client";
import { LIBRARY_KINDS, LIBRARY_LANGUAGES, type LibraryKind, type LibraryLanguage, type LibraryLicence, type ListingState, type ReviewDecision } from "#db/schema";
import type { Actor } from "../foundation/actor.server";
import { scriptLang } from "../foundation/richtext.server";
import { filesOf, type StoredFile } from "../uploads/files.server";
import { searchFold } from "../groups/groups.server";
import { catalogue, LIBRARY_STAGES, type Catalogue } from "./catalogue.server";
import { requireLibraryTeacher, resourceRow, resourceStanding, reviewedRegionIds } from "./library-access.server";

export const SEARCH_PAGE_SIZE = 20;
export const SEARCH_QUERY_MAX = 60;

export type VersionDescription = {
  kind: LibraryKind;
  stage: string;
  grade: number;
  subject: string;
  edition: string;
  unit: string;
  language: LibraryLanguage;
  licence: LibraryLicence;
};

export type ResourceCard = VersionDescription & {
  id: string;
  title: string;
  lang: "bo" | "ii" | null;
  author: { realName: string; schoolName: string | null };
  quality: boolean;
  uses: number;
  rating: number | null;
  ratings: number;
};

const filterShape = z.object({
  q: z.string().trim().max(SEARCH_QUERY_MAX).catch(""),
  stage: z.enum(LIBRARY_STAGES).optional().catch(undefined),
  grade: z.coerce.number().int().min(1).max(6).optional().catch(undefined),
  subject: z.string().max(40).regex(/^[a-z_]*$/).optional().catch(undefined),
  edition: z.string().max(40).regex(/^[a-z_]*$/).optional().catch(undefined),
  unit: z.string().max(60).optional().catch(undefined),
  kind: z.enum(LIBRARY_KINDS).optional().catch(undefined),
  language: z.enum(LIBRARY_LANGUAGES).optional().catch(undefined),
  quality: z.enum(["1"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});
export type LibraryFilters = z.infer<typeof filterShape>;

export type LibrarySearch = {
  filters: LibraryFilters;
  results: ResourceCard[];
  hasMore: boolean;
  catalogue: Catalogue;
  /** The libraries searched, nearest first (the teacher's county up to the province). */
  libraries: { id: string; name: string }[];
  /** Whether the teacher reviews a library (a link to the review queue). */
  reviews: boolean;
};

const optional = (v: string | null | undefined) => (v === "" || v === null ? undefined : v);

/** The teacher's search: by substring of the title in any script, and by the description's fields. One statement. */
export async function searchLibrary(actor: Actor, raw: Record<string, string | null | undefined>): Promise<LibrarySearch> {
  const teacher = await requireLibraryTeacher(actor);
  const filters = filterShape.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, optional(v)])));
  const pathIds = teacher.path.map((r) => r.id);
  const where: SQL[] = [sql`s.rn = 1`];
  const q = searchFold(filters.q);
  if (q) where.push(spell.contains(sql`v.search_text`, q));
  if (filters.stage) where.push(sql`v.stage = ${filters.stage}`);
  if (filters.grade) where.push(sql`v.grade = ${filters.grade}`);
  if (filters.subject) where.push(sql`v.subject = ${filters.subject}`);
  if (filters.edition) where.push(sql`v.edition = ${filters.edition}`);
  if (filters.unit) where.push(sql`v.unit = ${filters.unit}`);
  if (filters.kind) where.push(sql`v.kind = ${filters.kind}`);
  if (filters.language) where.push(sql`v.language = ${filters.language}`);
  if (filters.quality) where.push(sql`s.quality = 1`);
  const offset = (filters.page - 1) * SEARCH_PAGE_SIZE;
  const rows = await selectRows<CardRow>(sql`
    with shown as (
      select l.resource_id, l.admitted_version_id as version_id,
             row_number() over (partition by l.resource_id order by av.number desc) as rn,
             max(case when l.quality then 1 else 0 end) over (partition by l.resource_id) as quality
      from library_listings l
      join library_versions av on av.id = l.admitted_version_id
      join library_resources lr on lr.id = l.resource_id
      where l.region_id in (${sql.join(pathIds.map((id) => sql`${id}`), sql`, `)}) and lr.withdrawn_at is null
    )
    ${cardSelect}
    from shown s
    join library_versions v on v.id = s.version_id
    join library_resources r on r.id = s.resource_id
    join users u on u.id = r.author_id
    left join schools sc on sc.id = r.school_id
    where ${sql.join(where, sql` and `)}
    order by s.quality desc, v.created_at desc, r.id
    limit ${SEARCH_PAGE_SIZE + 1} offset ${offset}`);
  return {
    filters,
    results: rows.slice(0, SEARCH_PAGE_SIZE).map(cardOf),
    hasMore: rows.length > SEARCH_PAGE_SIZE,
    catalogue: catalogue(),
    libraries: teacher.path.map((r) => ({ id: r.id, name: r.name })),
    reviews: (await reviewedRegionIds(teacher.me.id)).length > 0,
  };
}

type CardRow = {
  id: string;
  title: string;
  kind: LibraryKind;
  stage: string;
  grade: number;
  subject: string;
  edition: string;
  unit: string;
  language: LibraryLanguage;
  licence: LibraryLicence;
  quality: number | boolean;
  author_name: string;
  school_name: string | null;
  uses: number;
  rating: number | null;
  ratings: number;
};

const cardSelect = sql`
  select r.id, v.title, v.kind, v.stage, v.grade, v.subject, v.edition, v.unit, v.language, v.licence, s.quality,
         u.real_name as author_name, sc.name as school_name,
         (select count(*) from library_uses lu where lu.resource_id = r.id) as uses,
         (select avg(lt.stars) from library_ratings lt where lt.resource_id = r.id) as rating,
         (select count(*) from library_ratings lt2 where lt2.resource_id = r.id) as ratings`;

function cardOf(r: CardRow): ResourceCard {
  return {
    id: r.id,
    title: r.title,
    lang: scriptLang(r.title),
    kind: r.kind,
    stage: r.stage,
    grade: Number(r.grade),
    subject: r.subject,
    edition: r.edition,
    unit: r.unit,
    language: r.language,
    licence: r.licence,
    author: { realName: r.author_name, schoolName: r.school_name },
    quality: Number(r.quality) === 1 || r.quality === true,
    uses: Number(r.uses),
    rating: r.rating === null ? null : Math.round(Number(r.rating) * 10) / 10,
    ratings: Number(r.ratings),
  };
}

// ---------------------------------------------------------------------------------------------
// One resource

type VersionRow = typeof schema.libraryVersions.$inferSelect;

export type VersionView = VersionDescription & {
  id: string;
  number: number;
  title: string;
  lang: "bo" | "ii" | null;
  bodyHtml: string;
  note: string;
  files: StoredFile[];
  createdAt: Date;
};

export type ListingView = {
  id: string;
  regionId: string;
  regionName: string;
  state: ListingState;
  versionNumber: number;
  admittedNumber: number | null;
  quality: boolean;
  recommendedFrom: string | null;
  round: number;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** The actor reviews this library (and is not the author). */
  mayReview: boolean;
  /** It may go up to this parent library (admitted here, not listed there yet). */
  parent: { id: string; name: string } | null;
};

export type ReviewView = { regionName: string; versionNumber: number; decision: ReviewDecision; comment: string; lang: "bo" | "ii" | null; reviewer: string; at: Date };

export type ResourcePage = {
  id: string;
  /** The version the reader sees: a teacher's admitted one, the reviewer's under review, the author's newest. */
  version: VersionView;
  author: { realName: string; schoolName: string | null; handle: string };
  isAuthor: boolean;
  withdrawn: boolean;
  listings: ListingView[];
  /** Decisions with their comments: for the author and the reviewers. */
  reviews: ReviewView[];
  mayUse: boolean;
  uses: { total: number; bySchool: { schoolName: string; uses: number }[] };
  rating: { average: number | null; count: number; mine: number | null };
  comments: { id: string; body: string; lang: "bo" | "ii" | null; author: string; schoolName: string | null; at: Date }[];
  catalogue: Catalogue;
};

async function versionView(row: VersionRow): Promise<VersionView> {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    lang: scriptLang(row.title),
    bodyHtml: row.bodyHtml,
    note: row.note,
    files: await filesOf("library_version", row.id),
    createdAt: row.createdAt,
    kind: row.kind,
    stage: row.stage,
    grade: row.grade,
    subject: row.subject,
    edition: row.edition,
    unit: row.unit,
    language: row.language,
    licence: row.licence,
  };
}

/**
 * One resource as the reader may see it; "not found" for anyone who may see none of it. `versionId`
 * (from the review queue) shows that version to its reviewers and author.
 */
export async function resourcePage(actor: Actor, id: string, opts: { versionId?: string | null } = {}): Promise<ResourcePage> {
  const resource = await resourceRow(id);
  const standing = await resourceStanding(actor, resource);
  const { me, isAuthor } = standing;
  const versions = await db().select().from(schema.libraryVersions).where(eq(schema.libraryVersions.resourceId, id)).orderBy(desc(schema.libraryVersions.number));
  const byId = new Map(versions.map((v) => [v.id, v]));
  const listingRows = await db()
    .select({ listing: schema.libraryListings, regionName: schema.regions.name, parentId: schema.regions.parentId, decidedBy: schema.users.realName })
    .from(schema.libraryListings)
    .innerJoin(schema.regions, eq(schema.regions.id, schema.libraryListings.regionId))
    .leftJoin(schema.users, eq(schema.users.id, schema.libraryListings.decidedBy))
    .where(eq(schema.libraryListings.resourceId, id))
    .orderBy(asc(schema.libraryListings.createdAt));
  // The library above each one the actor reviews (where they may recommend it).
  const parentIds = [...new Set(listingRows.filter((l) => standing.reviews.includes(l.listing.regionId)).map((l) => l.parentId).filter((p): p is string => Boolean(p)))];
  const parents = new Map(parentIds.length ? (await db().select({ id: schema.regions.id, name: schema.regions.name }).from(schema.regions).where(inArray(schema.regions.id, parentIds))).map((r) => [r.id, r.name]) : []);
  const listedRegions = new Set(listingRows.map((l) => l.listing.regionId));
  const listings: ListingView[] = listingRows.map(({ listing, regionName, parentId, decidedBy }) => ({
    id: listing.id,
    regionId: listing.regionId,
    regionName,
    state: listing.state,
    versionNumber: byId.get(listing.versionId)?.number ?? 0,
    admittedNumber: listing.admittedVersionId ? (byId.get(listing.admittedVersionId)?.number ?? null) : null,
    quality: listing.quality,
    recommendedFrom: listing.recommendedFrom,
    round: listing.round,
    decidedBy,
    decidedAt: listing.decidedAt,
    mayReview: standing.reviews.includes(listing.regionId),
    parent: parentId && parents.has(parentId) && listing.admittedVersionId && !listedRegions.has(parentId) ? { id: parentId, name: parents.get(parentId)! } : null,
  }));
  // Which version: asked for (author, or a reviewer of a library it is before), else the reader's.
  const asked = opts.versionId ? byId.get(opts.versionId) : undefined;
  const reviewerMaySee = (v: VersionRow) => listingRows.some((l) => standing.reviews.includes(l.listing.regionId) && (l.listing.versionId === v.id || l.listing.admittedVersionId === v.id));
  let shown: VersionRow | undefined;
  if (asked && (isAuthor || reviewerMaySee(asked))) shown = asked;
  else if (isAuthor) shown = versions[0];
  else if (standing.reviews.length) shown = versions.find(reviewerMaySee);
  else shown = standing.readableVersionId ? byId.get(standing.readableVersionId) : undefined;
  if (!shown) shown = versions[0]!;
  const seesReviews = isAuthor || standing.reviews.length > 0;
  const reviewRows = seesReviews
    ? await db()
        .select({ review: schema.libraryReviews, regionName: schema.regions.name, reviewer: schema.users.realName })
        .from(schema.libraryReviews)
        .innerJoin(schema.libraryListings, eq(schema.libraryListings.id, schema.libraryReviews.listingId))
        .innerJoin(schema.regions, eq(schema.regions.id, schema.libraryListings.regionId))
        .innerJoin(schema.users, eq(schema.users.id, schema.libraryReviews.reviewerId))
        .where(eq(schema.libraryListings.resourceId, id))
        .orderBy(desc(schema.libraryReviews.createdAt))
    : [];
  const author = resource.author;
  // Uses by school, for the author and the reviewers; everyone else sees only how many (counted with the rating).
  const useRows = !seesReviews ? [] : await db()
    .select({ schoolName: schema.schools.name, uses: sql<number>`count(*)` })
    .from(schema.libraryUses)
    .leftJoin(schema.schools, eq(schema.schools.id, schema.libraryUses.schoolId))
    .where(eq(schema.libraryUses.resourceId, id))
    .groupBy(schema.schools.name)
    .orderBy(desc(sql`count(*)`), asc(schema.schools.name));
  const ratingRows = await db()
    .select({
      average: sql<number | null>`avg(${schema.libraryRatings.stars})`,
      count: sql<number>`count(*)`,
      mine: sql<number | null>`max(case when ${schema.libraryRatings.userId} = ${me.id} then ${schema.libraryRatings.stars} end)`,
      uses: sql<number>`(select count(*) from library_uses lu where lu.resource_id = ${id})`,
    })
    .from(schema.libraryRatings)
    .where(eq(schema.libraryRatings.resourceId, id));
  const commentRows = await db()
    .select({ id: schema.libraryComments.id, body: schema.libraryComments.body, at: schema.libraryComments.createdAt, author: schema.users.realName, schoolName: schema.schools.name })
    .from(schema.libraryComments)
    .innerJoin(schema.users, eq(schema.users.id, schema.libraryComments.authorId))
    .leftJoin(schema.schools, eq(schema.schools.id, schema.users.schoolId))
    .where(eq(schema.libraryComments.resourceId, id))
    .orderBy(asc(schema.libraryComments.createdAt));
  const rating = ratingRows[0];
  return {
    id,
    version: await versionView(shown),
    author: { realName: author.realName, handle: author.handle, schoolName: author.schoolName },
    isAuthor,
    withdrawn: Boolean(resource.withdrawnAt),
    listings: isAuthor || standing.reviews.length ? listings : listings.filter((l) => l.admittedNumber !== null),
    reviews: reviewRows.map(({ review, regionName, reviewer }) => ({
      regionName,
      versionNumber: byId.get(review.versionId)?.number ?? 0,
      decision: review.decision,
      comment: review.comment,
      lang: scriptLang(review.comment),
      reviewer,
      at: review.createdAt,
    })),
    mayUse: standing.mayUse,
    uses: { total: Number(rating?.uses ?? 0), bySchool: useRows.map((r) => ({ schoolName: r.schoolName ?? "", uses: Number(r.uses) })) },
    rating: { average: rating?.average == null ? null : Math.round(Number(rating.average) * 10) / 10, count: Number(rating?.count ?? 0), mine: rating?.mine == null ? null : Number(rating.mine) },
    comments: commentRows.map((c) => ({ ...c, lang: scriptLang(c.body) })),
    catalogue: catalogue(),
  };
}

// ---------------------------------------------------------------------------------------------
// An author's own resources

export type MyResource = {
  id: string;
  title: string;
  lang: "bo" | "ii" | null;
  latestNumber: number;
  withdrawn: boolean;
  listings: { regionName: string; state: ListingState; quality: boolean; admittedNumber: number | null }[];
  uses: number;
  schools: number;
  rating: number | null;
};

export async function myResources(actor: Actor): Promise<MyResource[]> {
  const { me } = await requireLibraryTeacher(actor);
  const rows = await selectRows<{ id: string; title: string; number: number; withdrawn_at: unknown; uses: number; schools: number; rating: number | null }>(sql`
    select r.id, v.title, v.number, r.withdrawn_at,
           (select count(*) from library_uses lu where lu.resource_id = r.id) as uses,
           (select count(distinct lu2.school_id) from library_uses lu2 where lu2.resource_id = r.id) as schools,
           (select avg(lt.stars) from library_ratings lt where lt.resource_id = r.id) as rating
    from library_resources r
    join library_versions v on v.id = r.latest_version_id
    where r.author_id = ${me.id}
    order by r.created_at desc`);
  const ids = rows.map((r) => r.id);
  const listingRows = ids.length
    ? await db()
        .select({ resourceId: schema.libraryListings.resourceId, regionName: schema.regions.name, state: schema.libraryListings.state, quality: schema.libraryListings.quality, admittedNumber: schema.libraryVersions.number })
        .from(schema.libraryListings)
        .innerJoin(schema.regions, eq(schema.regions.id, schema.libraryListings.regionId))
        .leftJoin(schema.libraryVersions, eq(schema.libraryVersions.id, schema.libraryListings.admittedVersionId))
        .where(inArray(schema.libraryListings.resourceId, ids))
        .orderBy(asc(schema.libraryListings.createdAt))
    : [];
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    lang: scriptLang(r.title),
    latestNumber: Number(r.number),
    withdrawn: r.withdrawn_at !== null,
    listings: listingRows.filter((l) => l.resourceId === r.id).map(({ regionName, state, quality, admittedNumber }) => ({ regionName, state, quality, admittedNumber })),
    uses: Number(r.uses),
    schools: Number(r.schools),
    rating: r.rating === null ? null : Math.round(Number(r.rating) * 10) / 10,
  }));
}
