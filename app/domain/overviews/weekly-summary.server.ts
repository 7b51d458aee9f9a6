// The weekly summary (每周小结): what a child's week (Monday–Sunday, Beijing time) looked like for their
// parent — work handed in (on time / late), work missing, grades returned, class announcements, and
// portfolio items the child shared. The data is structured so that a later issue can send it by SMS or
// a messaging app: summaryText() is the short plain-text version. A "weekly_summary" notice is written
// lazily once the week is over, when the parent next loads a page (no scheduler, like the assignment
// notices in assignments.server.ts).
import { and, desc, eq, gte, inArray, lt, ne, sql } from "drizzle-orm";
import { filterInOrder } from "~/lib/in-order";
import { db, schema } from "#db/client";
import type { Actor } from "../foundation/actor.server";
import { DomainError, ValidationError } from "../foundation/errors.server";
import { requireGuardianOf } from "../people/guardians.server";
import { randomId } from "../foundation/ids.server";
import { plainTextOf } from "../foundation/richtext.server";
import { shanghaiToday } from "../foundation/beijing-time.server";
import { OPENS_AT, effectivePhaseOf } from "../rollout/rollout.server";
import { canSee } from "../rollout/visibility.server";
import { workStates, type WorkState } from "../classwork/work-states.server";

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // China has no daylight saving time
/** An SMS page is 70 Chinese characters; three pages is what a later issue may send. */
export const SUMMARY_TEXT_MAX = 200;
const EXCERPT_MAX = 60;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(raw: string): number | null {
  const m = ISO_DATE.exec(raw);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(utc).toISOString().slice(0, 10) === raw ? utc : null;
}

const isoOf = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);

/** The Monday (YYYY-MM-DD) of the week a calendar date falls in. */
export function mondayOf(date: string): string {
  const utc = parseDate(date);
  if (utc === null) throw new ValidationError({ week: { key: "consent:weekInvalid" } }, "consent:weekInvalid");
  const sinceMonday = (new Date(utc).getUTCDay() + 6) % 7;
  return isoOf(utc - sinceMonday * DAY_MS);
}

/** The Monday of the current week in Beijing. */
export function currentWeekStart(now = Date.now()): string {
  return mondayOf(shanghaiToday(now));
}

export function addWeeks(weekStart: string, weeks: number): string {
  return isoOf(parseDate(weekStart)! + weeks * 7 * DAY_MS);
}

/** The week's bounds as instants: Monday 00:00 to the next Monday 00:00, Beijing time. */
export function weekBounds(weekStart: string): { start: Date; end: Date } {
  const start = parseDate(weekStart)! - SHANGHAI_OFFSET_MS;
  return { start: new Date(start), end: new Date(start + 7 * DAY_MS) };
}

const excerpt = (text: string | null | undefined) => {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length > EXCERPT_MAX ? `${chars.slice(0, EXCERPT_MAX - 1).join("")}…` : flat;
};

export type WeeklySummary = {
  child: { id: string; realName: string };
  /** Under 14 and no guardian consent on record: every list is empty, and the page and text say why. */
  awaitsConsent: boolean;
  weekStart: string;
  /** The Sunday, for "13–19 October". */
  weekEnd: string;
  previousWeek: string;
  /** Null for the current week: the future has no summary. */
  nextWeek: string | null;
  /** Whether the week is over (the current week is a summary so far). */
  complete: boolean;
  /** `state`: where the work stands now, in work-states.server's words (handedIn, late or returned), as on the child's page. */
  handedIn: { assignmentId: string; title: string; className: string; at: Date; late: boolean; state: WorkState }[];
  missing: { assignmentId: string; title: string; className: string; dueAt: Date }[];
  grades: { submissionId: string; assignmentId: string; title: string; score: number | null; points: number; feedback: string; returnedAt: Date }[];
  announcements: { id: string; className: string; text: string; at: Date }[];
  portfolio: { id: string; title: string; at: Date }[];
};

/** Parents' pages open at phase 3 of the child's school (DESIGN.md §5). */
async function requireParentPhase(schoolId: string | null): Promise<void> {
  if (await effectivePhaseOf(schoolId) < OPENS_AT.parent) throw new DomainError("rollout:spaceClosed", 403, { reason: "phase", context: "phase" });
}

/**
 * The child's week for their linked parent (acting as one); any other child reads as "not found".
 * `weekStart` may be any date of the week (it is taken to its Monday); a week after the current one is
 * refused.
 */
export async function weeklySummary(actor: Actor, studentId: string, weekStart: string = currentWeekStart(), now = Date.now()): Promise<WeeklySummary> {
  const { child, awaitsConsent } = await requireGuardianOf(actor, studentId);
  await requireParentPhase(child.schoolId);
  const monday = mondayOf(weekStart);
  const thisWeek = currentWeekStart(now);
  if (monday > thisWeek) throw new ValidationError({ week: { key: "consent:weekInFuture" } }, "consent:weekInFuture");
  const { start, end } = weekBounds(monday);
  const week = {
    child: { id: child.id, realName: child.realName },
    awaitsConsent,
    weekStart: monday,
    weekEnd: isoOf(parseDate(monday)! + 6 * DAY_MS),
    previousWeek: addWeeks(monday, -1),
    nextWeek: monday < thisWeek ? addWeeks(monday, 1) : null,
    complete: end.getTime() <= now,
  };
  if (awaitsConsent) return { ...week, handedIn: [], missing: [], grades: [], announcements: [], portfolio: [] };

  const classRows = await db()
      .select({ id: schema.classes.id, name: schema.classes.name })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .where(and(eq(schema.classMemberships.userId, child.id), eq(schema.classMemberships.role, "student")));
  const classIds = classRows.map((c) => c.id);
  const className = new Map(classRows.map((c) => [c.id, c.name]));
  const s = schema.submissions;
  const a = schema.assignments;

  // Every version handed in during the week; an assignment counts once, as its last version that week.
  const versions = await db()
      .select({ assignmentId: a.id, title: a.title, classId: s.classId, at: schema.submissionVersions.submittedAt, late: schema.submissionVersions.late })
      .from(schema.submissionVersions)
      .innerJoin(s, eq(s.id, schema.submissionVersions.submissionId))
      .innerJoin(a, eq(a.id, s.assignmentId))
      .where(and(eq(s.studentId, child.id), gte(schema.submissionVersions.submittedAt, start), lt(schema.submissionVersions.submittedAt, end)))
      .orderBy(desc(schema.submissionVersions.submittedAt));
  const handedIn = new Map<string, WeeklySummary["handedIn"][number]>();
  for (const v of versions) {
    if (!handedIn.has(v.assignmentId)) handedIn.set(v.assignmentId, { assignmentId: v.assignmentId, title: v.title, className: (v.classId && className.get(v.classId)) ?? "", at: v.at, late: v.late, state: v.late ? "late" : "handedIn" });
  }

  // Due this week (and already due), and "missing" in work-states.server's words: nothing handed in,
  // no grade returned, and the child could hand in (a child who cannot is not expected, never missing).
  const dueUntil = new Date(Math.min(end.getTime(), now));
  const due = classIds.length
    ? await db()
              .selectDistinct({ assignmentId: a.id, title: a.title, classId: schema.assignmentClasses.classId, dueAt: a.dueAt, status: a.status, openAt: a.openAt, lateUntil: a.lateUntil })
              .from(schema.assignmentClasses)
              .innerJoin(a, eq(a.id, schema.assignmentClasses.assignmentId))
              .where(and(inArray(schema.assignmentClasses.classId, classIds), eq(a.status, "published"), gte(a.dueAt, start), lt(a.dueAt, dueUntil)))
              .orderBy(a.dueAt)
    : [];
  const grid = await workStates(
    // Handed-in work's state comes from its submission alone (the times do not matter); due rows come last and win.
    [...[...handedIn.values()].map((h) => ({ id: h.assignmentId, status: "published", openAt: new Date(0), dueAt: new Date(0), lateUntil: null })), ...due.map((m) => ({ ...m, id: m.assignmentId }))],
    [child.id],
    now,
  );
  const missing = due.filter((m) => grid.get(m.assignmentId, child.id).state === "missing");
  for (const h of handedIn.values()) if (grid.get(h.assignmentId, child.id).state === "returned") h.state = "returned";

  const grades = await db()
      .select({ submissionId: s.id, assignmentId: a.id, title: a.title, score: s.score, points: a.points, feedback: s.feedback, returnedAt: s.returnedAt })
      .from(s)
      .innerJoin(a, eq(a.id, s.assignmentId))
      .where(and(eq(s.studentId, child.id), eq(s.gradeState, "returned"), gte(s.returnedAt, start), lt(s.returnedAt, end)))
      .orderBy(s.returnedAt);

  const announcements = classIds.length
    ? await db()
              .select({ id: schema.announcements.id, classId: schema.announcements.classId, bodyJson: schema.announcements.bodyJson, at: schema.announcements.createdAt })
              .from(schema.announcements)
              .where(and(inArray(schema.announcements.classId, classIds), gte(schema.announcements.createdAt, start), lt(schema.announcements.createdAt, end)))
              .orderBy(schema.announcements.createdAt)
    : [];

  // Only what the child shared with others, and only what this parent may see of it (never "private").
  const p = schema.portfolioItems;
  const portfolio = (await filterInOrder((await db()
        .select({ id: p.id, title: p.title, at: p.createdAt, schoolId: p.schoolId, visibility: p.visibility })
        .from(p)
        .where(and(eq(p.ownerId, child.id), ne(p.visibility, "private"), gte(p.createdAt, start), lt(p.createdAt, end)))
        .orderBy(p.createdAt)), async (item) => canSee(actor, { ownerId: child.id, schoolId: item.schoolId, visibility: item.visibility })));

  return {
    ...week,
    handedIn: [...handedIn.values()].reverse(),
    missing: [...new Map(missing.map((m) => [m.assignmentId, m])).values()].map((m) => ({ assignmentId: m.assignmentId, title: m.title, className: className.get(m.classId) ?? "", dueAt: m.dueAt })),
    grades: grades.map((g) => ({ ...g, feedback: excerpt(g.feedback), returnedAt: g.returnedAt! })),
    announcements: announcements.map((n) => ({ id: n.id, className: className.get(n.classId) ?? "", text: excerpt(plainTextOf(n.bodyJson)), at: n.at })),
    portfolio: portfolio.map((item) => ({ id: item.id, title: item.title, at: item.at })),
  };
}

/** i18next's t, bound to the parent's locale. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * The summary as short plain text (at most SUMMARY_TEXT_MAX characters) in the parent's locale: the
 * counts first, then returned grades while they fit. For SMS or a messaging app; no markup, no links.
 */
export function summaryText(summary: WeeklySummary, t: Translate): string {
  if (summary.awaitsConsent) return t("consent:sms.consentNeeded", { name: summary.child.realName });
  const late = summary.handedIn.filter((h) => h.late).length;
  const head = t("consent:sms.head", {
    name: summary.child.realName,
    from: summary.weekStart.slice(5),
    to: summary.weekEnd.slice(5),
    onTime: summary.handedIn.length - late,
    late,
    missing: summary.missing.length,
    grades: summary.grades.length,
    announcements: summary.announcements.length,
    portfolio: summary.portfolio.length,
  });
  let text = head;
  for (const g of summary.grades) {
    const next = text + t("consent:sms.grade", { title: g.title, score: g.score ?? "–", points: g.points });
    if ([...next].length > SUMMARY_TEXT_MAX) break;
    text = next;
  }
  const chars = [...text];
  return chars.length > SUMMARY_TEXT_MAX ? `${chars.slice(0, SUMMARY_TEXT_MAX - 1).join("")}…` : text;
}

/**
 * Writes, for a parent (acting as one), a "weekly_summary" notice per child for the last week that has
 * ended, dated the Monday after it (when it became true). Idempotent: a notice already written for that
 * child and week is not written again, also when two pages load at once. The root loader calls it.
 */
export async function deliverWeeklySummaries(actor: Actor, now = Date.now()): Promise<number> {
  if (!actor || actor.activeRole !== "parent") return 0;
  const dueAt = weekBounds(currentWeekStart(now)).start; // Monday 00:00 after the last full week
  const n = schema.notifications;
  const pending = async () =>
    (filterInOrder((await db()
                .select({ studentId: schema.guardianLinks.studentId, schoolId: schema.users.schoolId })
                .from(schema.guardianLinks)
                .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.studentId))
                .where(
                  and(
                    eq(schema.guardianLinks.guardianId, actor.id),
                    sql`not exists (select 1 from ${n} where ${n.userId} = ${actor.id} and ${n.kind} = 'weekly_summary' and ${n.subjectId} = ${schema.guardianLinks.studentId} and ${n.createdAt} = ${dueAt.getTime()})`,
                  ),
                )), async (c) => await effectivePhaseOf(c.schoolId) >= OPENS_AT.parent));
  if (!(await pending()).length) return 0;
  return db().transaction(
    async (tx) => {
      let written = 0;
      // Again inside the write lock: two pages loading at once write each notice once.
      for (const c of await pending()) {
        // actorId is the child: the notice reads "<child>'s week", and the child is who it is about.
        await tx.insert(n).values({ id: randomId(), userId: actor.id, kind: "weekly_summary", actorId: c.studentId, subjectType: "user", subjectId: c.studentId, createdAt: dueAt });
        written++;
      }
      return written;
    },
    { behavior: "immediate" },
  );
}

/** The week a weekly_summary notice (dated the Monday after) is about. */
export function weekOfNotice(createdAt: Date): string {
  return addWeeks(mondayOf(shanghaiToday(createdAt.getTime())), -1);
}

// ---------------------------------------------------------------------------------------------
// 家长已阅 on the teacher's side of grading: acknowledgersOf wants submission ids, which the grading
// queue does not carry; this keys them by student for the queue and the grading view.

