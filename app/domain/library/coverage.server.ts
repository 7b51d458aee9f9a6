// The plan's four figures for the region resource library, as a region admin watches them for their
// region R (or one inside it) and one school term.
//
// Terms: `YYYY-spring` is [YYYY-02-01, YYYY-08-01) and `YYYY-autumn` [YYYY-08-01, (YYYY+1)-02-01), each
// boundary at midnight Beijing time (UTC+8), as school terms run in Sichuan.
//
// - Schools of R: the schools in R's subtree whose stage is one a library serves (LIBRARY_STAGES).
// - Resources in reach of R: resources not withdrawn before the term's end that have a listing admitted
//   before the term's end (admittedVersionId set, admittedAt < end) in R, in a region above R, or in one
//   below it: what R's teachers can find in the libraries open to them. A resource's stage and subject
//   are those of its newest admitted version among those listings.
// - reach (target 60%): the share of R's schools where a teacher used a resource within the term (a
//   library use recorded with that school).
// - subjects (target 60%): of the (stage, subject) pairs of the catalogue (SUBJECTS) for each stage R's
//   schools have, the share with at least one resource in reach.
// - quality (target 75%): the share of resources in reach marked 优质 on any of those listings.
// - used (target 70%): the share of resources in reach used at least once within the term, by anyone.
//
// Counted in SQL with GROUP BY, a fixed number of statements however large the region: a province has
// thousands of schools and resources, and the answer is a few dozen rows.
import { eq, sql, type SQL } from "drizzle-orm";
import { schema, selectRows } from "#db/client";
import type { Actor } from "../foundation/actor.server";
import { ForbiddenError, ValidationError } from "../foundation/errors.server";
import { findRegion, regionInScope, regionPath, requireRegionScope, type Region } from "../places/regions.server";
import { LIBRARY_STAGES, SUBJECTS, type LibraryStage } from "./catalogue.server";
import { libraryVersion } from "./library-access.server";

export const COVERAGE_FIGURES = ["reach", "subjects", "quality", "used"] as const;
export type CoverageFigureKey = (typeof COVERAGE_FIGURES)[number];
/** The plan's targets, as shares. */
export const COVERAGE_TARGETS: Record<CoverageFigureKey, number> = { reach: 0.6, subjects: 0.6, quality: 0.75, used: 0.7 };

export type CoverageShare = { numerator: number; denominator: number; share: number | null };
/** A stage's figure; for `subjects`, also which of the stage's subjects have a resource in reach. */
export type StageCoverage = CoverageShare & { stage: LibraryStage; covered?: string[] };
export type SubjectCoverage = CoverageShare & { stage: LibraryStage; subject: string };
export type CoverageFigure = { key: CoverageFigureKey; target: number; total: CoverageShare; stages: StageCoverage[]; subjects: SubjectCoverage[] };

export type TermHalf = "spring" | "autumn";
export type CoverageTerm = { key: string; year: number; half: TermHalf; start: Date; end: Date };

export type LibraryCoverage = {
  /** The region looked at (null: the platform admin's whole tree). */
  focus: { id: string; name: string; level: Region["level"]; parentId: string | null } | null;
  /** Names from the top of the reader's scope down to the focus. */
  path: { id: string; name: string }[];
  /** Where "up" leads, while still inside the reader's scope. */
  upId: string | null;
  /** The regions right below the focus, to look closer. */
  children: { id: string; name: string }[];
  term: CoverageTerm;
  /** The term containing `now` and the five before it, newest first. */
  terms: CoverageTerm[];
  figures: CoverageFigure[];
  at: Date;
};

// ---- terms ----

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const TERM_KEY = /^(\d{4})-(spring|autumn)$/;
export const TERM_CHOICES = 6;

/** Midnight Beijing time at the start of the 1st of a month (1–12), as a UTC instant. */
function beijingMonthStart(year: number, month: number): number {
  return Date.UTC(year, month - 1, 1) - BEIJING_OFFSET_MS;
}

function term(year: number, half: TermHalf): CoverageTerm {
  const start = half === "spring" ? beijingMonthStart(year, 2) : beijingMonthStart(year, 8);
  const end = half === "spring" ? beijingMonthStart(year, 8) : beijingMonthStart(year + 1, 2);
  return { key: `${year}-${half}`, year, half, start: new Date(start), end: new Date(end) };
}

/** The term a key names, or null when it names none. */
export function termOf(key: string): CoverageTerm | null {
  const m = TERM_KEY.exec(key.trim());
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 2000 || year > 2999) return null;
  return term(year, m[2] as TermHalf);
}

/** The term a moment falls in (January belongs to the autumn term of the year before). */
export function termAt(now: number): CoverageTerm {
  const beijing = new Date(now + BEIJING_OFFSET_MS);
  const year = beijing.getUTCFullYear();
  const month = beijing.getUTCMonth() + 1;
  return month >= 8 ? term(year, "autumn") : month >= 2 ? term(year, "spring") : term(year - 1, "autumn");
}

export function previousTerm(t: CoverageTerm): CoverageTerm {
  return t.half === "autumn" ? term(t.year, "spring") : term(t.year - 1, "autumn");
}

/** The term containing `now` and the ones before it, newest first. */
export function termChoices(now: number, count = TERM_CHOICES): CoverageTerm[] {
  const terms = [termAt(now)];
  while (terms.length < count) terms.push(previousTerm(terms[terms.length - 1]!));
  return terms;
}

// ---- counting ----

const share = (numerator: number, denominator: number): CoverageShare => ({ numerator, denominator, share: denominator > 0 ? numerator / denominator : null });
const isLibraryStage = (s: string): s is LibraryStage => (LIBRARY_STAGES as readonly string[]).includes(s);
const stageList = sql.join(
  LIBRARY_STAGES.map((s) => sql`${s}`),
  sql`, `,
);

/** The focus region and every region below it (all regions for null), as the CTE `down(id)`. */
function downSql(focusId: string | null): SQL {
  return focusId
    ? sql`select id from regions where id = ${focusId}
          union all select r.id from regions r join down on r.parent_id = down.id`
    : sql`select id from regions where parent_id is null
          union all select r.id from regions r join down on r.parent_id = down.id`;
}

type SchoolRow = { stage: string; schools: number; reached: number };
type ResourceRow = { stage: string; subject: string; resources: number; quality: number; used: number };

/** Schools of the focus by stage, and how many of them used the library within the term. */
async function schoolsByStage(focusId: string | null, start: number, end: number): Promise<SchoolRow[]> {
  return selectRows<SchoolRow>(sql`
    select * from (with recursive down(id) as (${downSql(focusId)})
      select stage, count(*) as schools, sum(reached) as reached
        from (select s.stage,
                     case when exists (select 1 from library_uses u where u.school_id = s.id and u.created_at >= ${start} and u.created_at < ${end}) then 1 else 0 end as reached
                from schools s join down on down.id = s.region_id
               where s.stage in (${stageList})) per_school
       group by stage) counted`);
}

/**
 * Resources in reach by (stage, subject): how many, how many marked quality, how many used within the
 * term. `above`: the regions above the focus, whose libraries its teachers also reach.
 */
async function resourcesBySubject(focusId: string | null, above: string[], start: number, end: number): Promise<ResourceRow[]> {
  const listings = schema.libraryListings;
  const where = focusId
    ? above.length
      ? sql`and (${listings.regionId} in (select id from down) or ${listings.regionId} in (${sql.join(
          above.map((id) => sql`${id}`),
          sql`, `,
        )}))`
      : sql`and ${listings.regionId} in (select id from down)`
    : sql``;
  // The listings table stays unaliased so the quality test can be drizzle's own (a boolean on both engines).
  // One pass over the listings: each resource's newest admitted version (row_number) and whether any of
  // its listings marks it 优质 (max over the resource), then counted by stage and subject.
  return selectRows<ResourceRow>(sql`
    select * from (with recursive down(id) as (${downSql(focusId)}),
      reach(resource_id, stage, subject, rn, quality) as (
        select ${listings.resourceId}, v.stage, v.subject,
               row_number() over (partition by ${listings.resourceId} order by v.number desc),
               max(case when ${eq(listings.quality, true)} then 1 else 0 end) over (partition by ${listings.resourceId})
          from library_listings
          join library_versions v on v.id = ${listings.admittedVersionId}
          join library_resources r on r.id = ${listings.resourceId}
         where ${listings.admittedVersionId} is not null and ${listings.admittedAt} < ${end}
           and (r.withdrawn_at is null or r.withdrawn_at >= ${end})
           ${where}
      )
      select stage, subject, count(*) as resources, sum(quality) as quality,
             sum(case when exists (select 1 from library_uses u where u.resource_id = reach.resource_id and u.created_at >= ${start} and u.created_at < ${end}) then 1 else 0 end) as used
        from reach where rn = 1 group by stage, subject) counted`);
}

// The counts of a region and term, kept per app server until the library's cache version moves (a
// decision, a 优质 mark, a withdrawal or a use anywhere) or COUNTS_KEPT_MS pass (schools opened or moved
// between regions do not move the version). Counting a province costs ~8 ms of SQL at 100,000 pupils; a
// dashboard read again reads one row.
const COUNTS_KEPT_MS = 5 * 60_000;
const COUNTS_KEPT_MAX = 500;
type Counts = { schoolRows: SchoolRow[]; resourceRows: ResourceRow[] };
const keptCounts = new Map<string, { version: number; at: number; counts: Counts }>();

async function countsOf(focusId: string | null, term: string, count: () => Promise<[SchoolRow[], ResourceRow[]]>): Promise<Counts> {
  const key = `${focusId ?? "*"}|${term}`;
  const version = await libraryVersion();
  const kept = keptCounts.get(key);
  if (kept && kept.version === version && Date.now() - kept.at < COUNTS_KEPT_MS) return kept.counts;
  const [schoolRows, resourceRows] = await count();
  if (keptCounts.size >= COUNTS_KEPT_MAX) keptCounts.delete(keptCounts.keys().next().value!);
  keptCounts.set(key, { version, at: Date.now(), counts: { schoolRows, resourceRows } });
  return { schoolRows, resourceRows };
}

/**
 * The four coverage figures for a region admin's region (or, for the platform admin, anywhere).
 * `regionId` looks at a region further down; it must lie in the reader's subtree. `term` is a term key
 * (`2026-spring`); without one, the term containing `now`.
 */
export async function libraryCoverage(actor: Actor, opts: { regionId?: string | null; term?: string | null } = {}, now = Date.now()): Promise<LibraryCoverage> {
  const scope = requireRegionScope(actor);
  const focusId = opts.regionId || scope.rootId;
  if (focusId && (!await findRegion(focusId) || !await regionInScope(scope, focusId))) throw new ForbiddenError();
  const chosen = opts.term ? termOf(opts.term) : termAt(now);
  if (!chosen) throw new ValidationError({ term: { key: "libraryCoverage:termInvalid" } }, "libraryCoverage:termInvalid");
  const start = chosen.start.getTime();
  const end = chosen.end.getTime();

  const fullPath = focusId ? await regionPath(focusId) : [];
  const focus = fullPath[0] ?? null;
  const above = fullPath.slice(1).map((r) => r.id);
  const { schoolRows, resourceRows: counted } = await countsOf(focusId, chosen.key, () => Promise.all([schoolsByStage(focusId, start, end), resourcesBySubject(focusId, above, start, end)]));
  const resourceRows = counted.filter((r) => isLibraryStage(r.stage));
  const children = await selectRows<{ id: string; name: string }>(
    focusId ? sql`select id, name from regions where parent_id = ${focusId} order by name` : sql`select id, name from regions where parent_id is null order by name`,
  );

  const schoolsOf = (stage: LibraryStage) => schoolRows.find((r) => r.stage === stage) ?? { schools: 0, reached: 0 };
  const stagesWithSchools = LIBRARY_STAGES.filter((s) => schoolsOf(s).schools > 0);
  const sum = <T>(rows: T[], pick: (row: T) => number) => rows.reduce((n, row) => n + Number(pick(row)), 0);
  const subjectOrder = (r: { stage: LibraryStage; subject: string }) => {
    const i = SUBJECTS[r.stage].indexOf(r.subject);
    return LIBRARY_STAGES.indexOf(r.stage) * 1000 + (i < 0 ? 999 : i);
  };
  const resourceByPair = [...resourceRows]
    .map((r) => ({ ...r, stage: r.stage as LibraryStage, resources: Number(r.resources), quality: Number(r.quality), used: Number(r.used) }))
    .sort((a, b) => subjectOrder(a) - subjectOrder(b) || a.subject.localeCompare(b.subject));
  const resourcesOf = (stage: LibraryStage) => resourceByPair.filter((r) => r.stage === stage);

  const reach: CoverageFigure = {
    key: "reach",
    target: COVERAGE_TARGETS.reach,
    total: share(sum(schoolRows, (r) => r.reached), sum(schoolRows, (r) => r.schools)),
    stages: LIBRARY_STAGES.map((stage) => ({ stage, ...share(Number(schoolsOf(stage).reached), Number(schoolsOf(stage).schools)) })),
    subjects: [],
  };

  const coveredOf = (stage: LibraryStage) => SUBJECTS[stage].filter((subject) => resourcesOf(stage).some((r) => r.subject === subject));
  const subjectStages = LIBRARY_STAGES.map((stage) => {
    const counted = stagesWithSchools.includes(stage);
    const covered = counted ? coveredOf(stage) : [];
    return { stage, covered, ...share(covered.length, counted ? SUBJECTS[stage].length : 0) };
  });
  const subjects: CoverageFigure = {
    key: "subjects",
    target: COVERAGE_TARGETS.subjects,
    total: share(sum(subjectStages, (r) => r.numerator), sum(subjectStages, (r) => r.denominator)),
    stages: subjectStages,
    subjects: stagesWithSchools.flatMap((stage) => SUBJECTS[stage].map((subject) => ({ stage, subject, ...share(coveredOf(stage).includes(subject) ? 1 : 0, 1) }))),
  };

  const ofResources = (key: "quality" | "used"): CoverageFigure => ({
    key,
    target: COVERAGE_TARGETS[key],
    total: share(sum(resourceByPair, (r) => r[key]), sum(resourceByPair, (r) => r.resources)),
    stages: LIBRARY_STAGES.map((stage) => ({ stage, ...share(sum(resourcesOf(stage), (r) => r[key]), sum(resourcesOf(stage), (r) => r.resources)) })),
    subjects: resourceByPair.map((r) => ({ stage: r.stage, subject: r.subject, ...share(r[key], r.resources) })),
  });

  const topDown = [...fullPath].reverse();
  const reachable = scope.rootId === null ? topDown : topDown.slice(topDown.findIndex((r) => r.id === scope.rootId));
  return {
    focus: focus && { id: focus.id, name: focus.name, level: focus.level, parentId: focus.parentId },
    path: reachable.map((r) => ({ id: r.id, name: r.name })),
    upId: focus && focus.id !== scope.rootId ? (focus.parentId ?? null) : null,
    children,
    term: chosen,
    terms: termChoices(now),
    figures: [reach, subjects, ofResources("quality"), ofResources("used")],
    at: new Date(now),
  };
}
