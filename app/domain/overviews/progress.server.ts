// A parent's view of their child's progress (issue 6): per current class, where the child stands on
// each assignment, the grades returned with the teacher's feedback, a score series for the chart, what
// the child has shared with the class, and the class's announcements with 家长已阅.
//
// Privacy is decided here, not on the page: everything is read for ONE child the actor is a guardian
// of (requireGuardianOf first), by the child's id; no query returns another student's row, so no other
// child's name, score or average can reach the parent. Class work stays visible when the child's own
// space is closed (consent refused or withdrawn): it is the school's record of the child, not the
// child's space. What the child shared (portfolio, posts) follows canSee with the parent as reader, so
// private or pending content, and anything of a closed space, never shows.
import { and, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { filterInOrder, mapInOrder } from "~/lib/in-order";
import { db, schema, selectRows } from "#db/client";
import type { Lng } from "~/i18n";
import { localName } from "~/lib/local-names";
import type { AcknowledgedSubject, Visibility } from "#db/schema";
import type { Actor } from "../foundation/actor.server";
import { announcementsOf } from "../classwork/announcements.server";
import { FeatureClosedError } from "../rollout/flags.server";
import { myChildren, requireGuardianOf, type ChildSummary } from "../people/guardians.server";
import { standingsOf } from "../people/people.server";
import { effectivePhaseOf, ownerSpaceStatus, OPENS_AT, type ClosedReason } from "../rollout/rollout.server";
import { canSee } from "../rollout/visibility.server";
import { workStates, type WorkState } from "../classwork/work-states.server";

const DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const RECENT_SHARED = 5;
const RECENT_ANNOUNCEMENTS = 5;

/** work-states.server's words (an open assignment is never "not open" here). */
export type ProgressStatus = Exclude<WorkState, "notOpen">;
export const PROGRESS_STATUSES: readonly ProgressStatus[] = ["toDo", "handedIn", "late", "missing", "returned", "notExpected"];
export type StatusCounts = Record<ProgressStatus, number>;

export type ChildAssignment = {
  id: string;
  title: string;
  dueAt: Date;
  points: number;
  status: ProgressStatus;
  /** Handed in after the due time (also shown on a returned grade). */
  late: boolean;
  /** Only once returned: a draft grade is the teachers' alone. */
  grade: { submissionId: string; score: number | null; feedback: string; returnedAt: Date; acknowledgedAt: Date | null } | null;
};

export type ChildAnnouncement = { id: string; bodyHtml: string; pinned: boolean; createdAt: Date; authorName: string; acknowledgedAt: Date | null };

export type ClassProgress = {
  id: string;
  name: string;
  assignments: ChildAssignment[];
  counts: StatusCounts;
  announcements: ChildAnnouncement[];
};

export type ScorePoint = { submissionId: string; at: Date; percent: number; score: number; points: number; title: string };
export type SharedItem = { kind: "portfolio" | "post"; id: string; title: string; at: Date };

export type ChildProgress = {
  child: { id: string; realName: string; schoolName: string };
  consentState: ChildSummary["consentState"];
  /** Under 14 and no consent on record: every list below is empty and every count zero. */
  awaitsConsent: boolean;
  /** The child's own space: class work shows either way; shared content only while it is open. */
  space: { open: true } | { open: false; reason: ClosedReason };
  classes: ClassProgress[];
  counts: StatusCounts;
  scores: ScorePoint[];
  shared: SharedItem[];
};

const emptyCounts = (): StatusCounts => ({ toDo: 0, handedIn: 0, late: 0, missing: 0, returned: 0, notExpected: 0 });

/** Monday 00:00 in Asia/Shanghai of the week `now` falls in (school weeks follow Beijing time). */
export function shanghaiWeekStart(now: number): Date {
  const local = new Date(now + SHANGHAI_OFFSET_MS);
  const sinceMonday = (local.getUTCDay() + 6) % 7;
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - SHANGHAI_OFFSET_MS;
  return new Date(midnight - sinceMonday * DAY);
}

/** Parents see a child's school only from phase 3 (DESIGN.md §5). */
async function parentsAdmitted(schoolId: string | null): Promise<boolean> {
  return await effectivePhaseOf(schoolId) >= OPENS_AT.parent;
}

async function currentClasses(studentId: string, lng?: Lng): Promise<{ id: string; name: string }[]> {
  return (await db()
      .select({ id: schema.classes.id, name: schema.classes.name, names: schema.classes.names })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .where(and(eq(schema.classMemberships.userId, studentId), eq(schema.classMemberships.role, "student"), isNull(schema.classes.archivedAt)))
      .orderBy(schema.classes.grade, schema.classes.name))
    .map((k) => ({ id: k.id, name: localName(k, lng) }));
}

/** When this parent acknowledged each subject for this child, keyed "<type>:<id>", for all kinds in one statement. */
async function acknowledgedAt(parentId: string, studentId: string, subjects: Partial<Record<AcknowledgedSubject, string[]>>): Promise<Map<string, Date>> {
  const a = schema.acknowledgements;
  const kinds = (Object.entries(subjects) as [AcknowledgedSubject, string[]][]).filter(([, ids]) => ids.length);
  if (!kinds.length) return new Map();
  return new Map(
    (await db()
            .select({ type: a.subjectType, id: a.subjectId, at: a.at })
            .from(a)
            .where(and(eq(a.guardianId, parentId), eq(a.studentId, studentId), or(...kinds.map(([type, ids]) => and(eq(a.subjectType, type), inArray(a.subjectId, ids)))))))
      .map((r) => [`${r.type}:${r.id}`, r.at]),
  );
}

/** Published assignments of each class that are open (students see them from their open time), newest due first; one statement. */
async function assignmentsOfClasses(classIds: string[], now: number): Promise<Map<string, (typeof schema.assignments.$inferSelect)[]>> {
  const byClass = new Map(classIds.map((id) => [id, [] as (typeof schema.assignments.$inferSelect)[]]));
  if (!classIds.length) return byClass;
  const rows = await db()
      .select({ classId: schema.assignmentClasses.classId, a: schema.assignments })
      .from(schema.assignmentClasses)
      .innerJoin(schema.assignments, eq(schema.assignments.id, schema.assignmentClasses.assignmentId))
      .where(and(inArray(schema.assignmentClasses.classId, classIds), eq(schema.assignments.status, "published"), lte(schema.assignments.openAt, new Date(now))))
      .orderBy(desc(schema.assignments.dueAt));
  for (const r of rows) byClass.get(r.classId)!.push(r.a);
  return byClass;
}

/**
 * The progress of one child of the actor (acting as a parent). Any other child — same class, other
 * school, a made-up id — is "not found"; a teacher, student or anonymous reader is refused.
 */
export async function childProgress(actor: Actor, studentId: string, now = Date.now(), lng?: Lng): Promise<ChildProgress> {
  const { parentId, child, consentState, awaitsConsent } = await requireGuardianOf(actor, studentId, lng);
  if (!await parentsAdmitted(child.schoolId)) throw new FeatureClosedError("parent_access");
  const { schoolName } = child;
  if (awaitsConsent) {
    return { child: { id: child.id, realName: child.realName, schoolName }, consentState, awaitsConsent, space: await ownerSpaceStatus(studentId, "student", now), classes: [], counts: emptyCounts(), scores: [], shared: [] };
  }
  const classes = await currentClasses(studentId, lng);
  // Only this child's own submissions are read: nothing of a classmate can end up on the page.
  const own = await db().select().from(schema.submissions).where(eq(schema.submissions.studentId, studentId));
  const byAssignment = new Map(own.map((s) => [s.assignmentId, s]));
  const returned = own.filter((s) => s.gradeState === "returned");
  const streams = new Map((await mapInOrder(classes, async (k) => [k.id, await announcementsOf(k.id, RECENT_ANNOUNCEMENTS)])));
  const acks = await acknowledgedAt(parentId, studentId, { grade: returned.map((s) => s.id), announcement: [...streams.values()].flat().map((x) => x.id) });

  const total = emptyCounts();
  const scores: ScorePoint[] = [];
  const seen = new Set<string>();
  const ofClass = await assignmentsOfClasses(
    classes.map((k) => k.id),
    now,
  );
  // The same states as the teacher's queue, the pupil's to-do and the weekly summary.
  const grid = await workStates([...ofClass.values()].flat(), [studentId], now, own);
  const classProgress: ClassProgress[] = classes.map((k) => {
    const counts = emptyCounts();
    const assignments = ofClass.get(k.id)!.map((a): ChildAssignment => {
      const s = byAssignment.get(a.id);
      const state = grid.get(a.id, studentId).state;
      // Only opened assignments are read here: never "not open".
      const status: ProgressStatus = state === "notOpen" ? "toDo" : state;
      counts[status] += 1;
      const grade =
        s && s.gradeState === "returned" ? { submissionId: s.id, score: s.score, feedback: s.feedback ?? "", returnedAt: s.returnedAt ?? a.dueAt, acknowledgedAt: acks.get(`grade:${s.id}`) ?? null } : null;
      // An assignment set to two of the child's classes counts (and is charted) once.
      if (!seen.has(a.id)) {
        seen.add(a.id);
        total[status] += 1;
        if (grade && grade.score !== null && a.points > 0) {
          scores.push({ submissionId: s!.id, at: grade.returnedAt, percent: Math.round((grade.score / a.points) * 1000) / 10, score: grade.score, points: a.points, title: a.title });
        }
      }
      return { id: a.id, title: a.title, dueAt: a.dueAt, points: a.points, status, late: Boolean(s && s.versionCount > 0 && s.late), grade };
    });
    const stream = streams.get(k.id)!;
    return {
      id: k.id,
      name: k.name,
      assignments,
      counts,
      announcements: stream.map((x) => ({ id: x.id, bodyHtml: x.bodyHtml, pinned: x.pinned, createdAt: x.createdAt, authorName: x.author.realName, acknowledgedAt: acks.get(`announcement:${x.id}`) ?? null })),
    };
  });
  scores.sort((x, y) => x.at.getTime() - y.at.getTime());

  const status = await ownerSpaceStatus(studentId, "student", now);
  return {
    child: { id: child.id, realName: child.realName, schoolName },
    consentState,
    awaitsConsent,
    space: status,
    classes: classProgress,
    counts: total,
    scores,
    shared: status.open ? await sharedWithClass(actor, studentId) : [],
  };
}

/** What the child shared with the class or wider, published and not waiting for approval, as the parent may see it; one statement. */
async function sharedWithClass(actor: Actor, studentId: string): Promise<SharedItem[]> {
  type Row = { kind: SharedItem["kind"]; id: string; title: string; school_id: string | null; visibility: Visibility; approval: "none" | "approved"; at: number };
  const rows = await selectRows<Row>(sql`
    select * from (
      select 'portfolio' as kind, i.id, i.title, i.school_id, i.visibility, 'none' as approval, i.created_at as at
        from portfolio_items i
       where i.owner_id = ${studentId} and i.visibility <> 'private'
       order by i.created_at desc limit ${RECENT_SHARED * 2}) items
    union all
    select * from (
      select 'post', p.id, p.title, p.school_id, p.visibility, p.approval, coalesce(p.published_at, p.created_at)
        from posts p
       where p.author_id = ${studentId} and p.status = 'published' and p.visibility <> 'private' and p.approval in ('none', 'approved')
       order by p.published_at desc limit ${RECENT_SHARED * 2}) posts`);
  const shown = async (kind: Row["kind"]) =>
    (await filterInOrder(rows, async (r) => r.kind === kind && await canSee(actor, { ownerId: studentId, schoolId: r.school_id, visibility: r.visibility, approval: r.approval })))
      .slice(0, RECENT_SHARED)
      .map((r): SharedItem => ({ kind, id: r.id, title: r.title, at: new Date(r.at) }));
  return [...await shown("portfolio"), ...await shown("post")].sort((x, y) => y.at.getTime() - x.at.getTime());
}

export type ChildOverview = ChildSummary & {
  /** False: the child's school has not opened to parents yet (phase below 3); no counts then, nor while the child awaits consent. */
  admitted: boolean;
  space: { open: true } | { open: false; reason: ClosedReason };
  counts: { toDo: number; late: number; missing: number; returnedThisWeek: number } | null;
};

/** Every child of the actor (acting as a parent), each with a summary for /parent. */
export async function progressOverview(actor: Actor, now = Date.now(), lng?: Lng): Promise<ChildOverview[]> {
  const weekStart = shanghaiWeekStart(now).getTime();
  return (mapInOrder((await myChildren(actor, lng)), async (c) => {
      const schoolId = (await standingsOf([c.studentId])).get(c.studentId)?.schoolId ?? null;
      const space = await ownerSpaceStatus(c.studentId, "student", now);
      const admitted = await parentsAdmitted(schoolId);
      if (!admitted || c.awaitsConsent) return { ...c, admitted, space, counts: null };
      const p = await childProgress(actor, c.studentId, now);
      const returnedThisWeek = p.classes
        .flatMap((k) => k.assignments)
        .filter((a, i, all) => all.findIndex((b) => b.id === a.id) === i)
        .filter((a) => a.grade && a.grade.returnedAt.getTime() >= weekStart).length;
      return { ...c, admitted: true, space, counts: { toDo: p.counts.toDo, late: p.counts.late, missing: p.counts.missing, returnedThisWeek } };
    }));
}
