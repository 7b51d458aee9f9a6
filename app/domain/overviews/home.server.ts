// Home = what's next (issue 16): for each role, the few things that wait for the person today, each
// with the place that finishes it. Every list is read for the actor alone, in a fixed number of
// statements whatever the number of items (tests/integration/home-next.test.ts counts them):
// - a pupil: work due soon (with time left), grades returned since their last visit, new announcements
//   of their classes; a pupil whose space is closed only counts of what waits for them;
// - a teacher: hand-ins to grade per assignment, work due this week, group requests and reports;
// - a parent: per linked child (and nobody else's): due soon, late or missing, returned grades and
//   announcements waiting for their 已阅 — nothing while the child waits for consent;
// - a school admin: roster previews not imported, under-14 pupils without consent, posts and
//   comments waiting for approval.
import { and, desc, eq, gt, gte, inArray, isNull, lte, ne, sql } from "drizzle-orm";
import { db, schema, first } from "#db/client";
import type { Lng } from "~/i18n";
import { localName } from "~/lib/local-names";
import { requireActingAs, type Actor, type SignedInActor } from "../foundation/actor.server";
import { teacherAssignments } from "../classwork/assignments.server";
import { beijingLocalTimeOf, shanghaiToday } from "../foundation/beijing-time.server";
import { isFeatureEnabled } from "../rollout/flags.server";
import { myChildren, type ChildSummary } from "../people/guardians.server";
import { plainTextOf } from "../foundation/richtext.server";
import { workStateOf, type Work } from "../classwork/work-states.server";
import { isUnderConsentAge } from "../people/consent-state.server";
import { effectivePhase, OPENS_AT, spaceStatus, studentsWithConsent, type SpaceStatus } from "../rollout/rollout.server";
import { filterInOrder } from "~/lib/in-order";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Work due within this shows as "due soon". */
export const DUE_SOON_WINDOW = 7 * DAY;
/** Missing or late work, new announcements and returned grades look back this far at most. */
export const LOOK_BACK = 14 * DAY;
/** A view of home more than this after the previous one starts a new visit. */
export const NEW_VISIT_AFTER = 30 * 60_000;
const EXCERPT = 80;

/** When a piece of work is due, as the page words it: the Beijing day relative to today, the clock, the time left. */
export type Due = { dueAt: Date; clock: string; dayOffset: number; msLeft: number };

export type DueItem = { id: string; title: string; classNames: string[]; due: Due; overdue: boolean };
export type ReturnedItem = { assignmentId: string; submissionId: string; title: string; score: number | null; points: number; returnedAt: Date };
export type AnnouncementItem = { id: string; classId: string; className: string; excerpt: string; createdAt: Date };

export type PupilHome = {
  space: SpaceStatus;
  /** False: the assignments capability is off for the pupil; no lists of work then. */
  assignments: boolean;
  dueSoon: DueItem[];
  returned: ReturnedItem[];
  announcements: AnnouncementItem[];
  /** Space closed for consent: how much waits (counts only, nothing of anyone else). */
  waiting: { assignments: number; announcements: number } | null;
};

export type TeacherHome = {
  space: SpaceStatus;
  assignments: boolean;
  toGrade: { id: string; title: string; count: number; classNames: string[]; due: Due }[];
  dueThisWeek: { id: string; title: string; handedIn: number; classNames: string[]; due: Due }[];
  groups: { id: string; name: string; requests: number; reports: number }[];
};

export type ChildNext = Pick<ChildSummary, "studentId" | "realName" | "schoolName" | "classNames" | "consentState" | "awaitsConsent"> & {
  /** False: the child's school has not opened to parents yet. */
  admitted: boolean;
  dueSoon: DueItem[];
  lateOrMissing: (DueItem & { state: "late" | "missing" })[];
  returned: ReturnedItem[];
  announcements: AnnouncementItem[];
};

export type SchoolAdminHome = {
  schoolId: string;
  previews: { id: string; fileName: string; rowCount: number; createdAt: Date }[];
  consentMissing: number;
  approvals: number;
};

const SHANGHAI_OFFSET_MS = 8 * HOUR;
const beijingDay = (t: number) => Math.floor((t + SHANGHAI_OFFSET_MS) / DAY);

export function dueOf(dueAt: Date, now: number): Due {
  return { dueAt, clock: beijingLocalTimeOf(dueAt).slice(11, 16), dayOffset: beijingDay(dueAt.getTime()) - beijingDay(now), msLeft: dueAt.getTime() - now };
}

function excerptOf(bodyJson: unknown): string {
  const text = plainTextOf(bodyJson).replace(/\s+/g, " ").trim();
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text;
}

/**
 * Records this view of home and answers since when "new" counts: the start of the previous visit's
 * last view (a reload within half an hour keeps the same boundary), or LOOK_BACK for a first visit.
 */
async function markHomeSeen(me: SignedInActor, now: number): Promise<number> {
  const row = await first(db().select({ seen: schema.users.homeSeenAt, prev: schema.users.homePrevSeenAt }).from(schema.users).where(eq(schema.users.id, me.id)).limit(1));
  const newVisit = !row?.seen || now - row.seen.getTime() > NEW_VISIT_AFTER;
  const prev = newVisit ? (row?.seen ?? null) : (row?.prev ?? null);
  await db()
      .update(schema.users)
      .set({ homeSeenAt: new Date(now), homePrevSeenAt: prev })
      .where(eq(schema.users.id, me.id));
  return Math.max(prev?.getTime() ?? 0, now - LOOK_BACK);
}

// ---------------------------------------------------------------------------------------------
// Work of pupils, read for a known set of pupils at once

type WorkRow = { id: string; title: string; points: number; status: string; openAt: Date; dueAt: Date; lateUntil: Date | null; classId: string; className: string; studentId: string };

/** Published, opened assignments set to the current classes of `studentIds`, due within [from, to], one row per pupil and class. */
async function workOf(studentIds: string[], now: number, from: number, to: number, lng?: Lng): Promise<WorkRow[]> {
  if (!studentIds.length) return [];
  return (await db()
      .select({
        id: schema.assignments.id,
        title: schema.assignments.title,
        points: schema.assignments.points,
        status: schema.assignments.status,
        openAt: schema.assignments.openAt,
        dueAt: schema.assignments.dueAt,
        lateUntil: schema.assignments.lateUntil,
        classId: schema.classes.id,
        className: schema.classes.name,
        classLocalNames: schema.classes.names,
        studentId: schema.classMemberships.userId,
      })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .innerJoin(schema.assignmentClasses, eq(schema.assignmentClasses.classId, schema.classMemberships.classId))
      .innerJoin(schema.assignments, eq(schema.assignments.id, schema.assignmentClasses.assignmentId))
      .where(
        and(
          inArray(schema.classMemberships.userId, studentIds),
          eq(schema.classMemberships.role, "student"),
          isNull(schema.classes.archivedAt),
          eq(schema.assignments.status, "published"),
          lte(schema.assignments.openAt, new Date(now)),
          gte(schema.assignments.dueAt, new Date(from)),
          lte(schema.assignments.dueAt, new Date(to)),
        ),
      )
      .orderBy(schema.assignments.dueAt))
    .map(({ classLocalNames, ...r }) => ({ ...r, className: localName({ name: r.className, names: classLocalNames }, lng) }));
}

type SubmissionRow = { id: string; assignmentId: string; studentId: string; versionCount: number; late: boolean; gradeState: "none" | "draft" | "returned"; score: number | null };

async function submissionsOf(studentIds: string[], assignmentIds: string[]): Promise<SubmissionRow[]> {
  if (!studentIds.length || !assignmentIds.length) return [];
  return db()
      .select({ id: schema.submissions.id, assignmentId: schema.submissions.assignmentId, studentId: schema.submissions.studentId, versionCount: schema.submissions.versionCount, late: schema.submissions.late, gradeState: schema.submissions.gradeState, score: schema.submissions.score })
      .from(schema.submissions)
      .where(and(inArray(schema.submissions.studentId, studentIds), inArray(schema.submissions.assignmentId, assignmentIds)));
}

/** Grades returned to `studentIds` since `since` (each pupil's own rows only). */
async function returnedTo(studentIds: string[], since: number): Promise<(ReturnedItem & { studentId: string })[]> {
  if (!studentIds.length) return [];
  return (await db()
      .select({
        assignmentId: schema.assignments.id,
        submissionId: schema.submissions.id,
        studentId: schema.submissions.studentId,
        title: schema.assignments.title,
        score: schema.submissions.score,
        points: schema.assignments.points,
        returnedAt: schema.submissions.returnedAt,
      })
      .from(schema.submissions)
      .innerJoin(schema.assignments, eq(schema.assignments.id, schema.submissions.assignmentId))
      .where(and(inArray(schema.submissions.studentId, studentIds), eq(schema.submissions.gradeState, "returned"), gt(schema.submissions.returnedAt, new Date(since))))
      .orderBy(desc(schema.submissions.returnedAt)))
    .map((r) => ({ ...r, returnedAt: r.returnedAt ?? new Date(since) }));
}

/** Announcements since `since` of the current classes of `studentIds`, newest first, per pupil. */
async function announcementsFor(studentIds: string[], since: number, lng?: Lng): Promise<(AnnouncementItem & { studentId: string })[]> {
  if (!studentIds.length) return [];
  return (await db()
      .select({ id: schema.announcements.id, classId: schema.classes.id, className: schema.classes.name, classLocalNames: schema.classes.names, bodyJson: schema.announcements.bodyJson, createdAt: schema.announcements.createdAt, studentId: schema.classMemberships.userId })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .innerJoin(schema.announcements, eq(schema.announcements.classId, schema.classMemberships.classId))
      .where(and(inArray(schema.classMemberships.userId, studentIds), eq(schema.classMemberships.role, "student"), isNull(schema.classes.archivedAt), gt(schema.announcements.createdAt, new Date(since))))
      .orderBy(desc(schema.announcements.createdAt)))
    .map(({ bodyJson, classLocalNames, ...r }) => ({ ...r, className: localName({ name: r.className, names: classLocalNames }, lng), excerpt: excerptOf(bodyJson) }));
}

/** One item per assignment (an assignment set to two of the pupil's classes names both). */
function dueItems(rows: WorkRow[], now: number): DueItem[] {
  const out = new Map<string, DueItem>();
  for (const r of rows) {
    const known = out.get(r.id);
    if (known) {
      if (!known.classNames.includes(r.className)) known.classNames.push(r.className);
      continue;
    }
    out.set(r.id, { id: r.id, title: r.title, classNames: [r.className], due: dueOf(r.dueAt, now), overdue: r.dueAt.getTime() < now });
  }
  return [...out.values()];
}

/** Where a pupil stands on a piece of work, in the words every page uses (work-states.server.ts). */
const workOfPupil = (r: WorkRow, s: SubmissionRow | undefined, now: number): Work => workStateOf(r, s, null, now);
/** Still to hand in: before the due time, or after it while late work is taken. */
const stillToHandIn = (w: Work) => w.state === "toDo" || (w.state === "missing" && w.lateOpen);

// ---------------------------------------------------------------------------------------------
// Pupil

/** `lng`: the reader's language, for the class names their school gave (else the official names). */
export async function pupilHome(actor: Actor, now = Date.now(), lng?: Lng): Promise<PupilHome> {
  const { actor: me } = requireActingAs(actor, "student");
  const space = await spaceStatus(me, now);
  const assignments = await isFeatureEnabled(me, "assignments");
  const since = await markHomeSeen(me, now);
  if (!space.open) {
    if (space.reason !== "consent") return { space, assignments, dueSoon: [], returned: [], announcements: [], waiting: null };
    // Counts only: a closed space reads nothing of the class, but the pupil may know that work waits.
    const rows = assignments ? await workOf([me.id], now, now, now + 365 * DAY) : [];
    const mine = await submissionsOf([me.id], rows.map((r) => r.id));
    const open = new Set(rows.filter((r) => stillToHandIn(workOfPupil(r, mine.find((s) => s.assignmentId === r.id), now))).map((r) => r.id));
    const news = new Set((await announcementsFor([me.id], now - LOOK_BACK)).map((a) => a.id));
    return { space, assignments, dueSoon: [], returned: [], announcements: [], waiting: { assignments: open.size, announcements: news.size } };
  }
  let dueSoon: DueItem[] = [];
  let returned: ReturnedItem[] = [];
  if (assignments) {
    // Work still taken: due from LOOK_BACK ago (late work) to the window's end.
    const rows = await workOf([me.id], now, now - LOOK_BACK, now + DUE_SOON_WINDOW, lng);
    const mine = new Map((await submissionsOf([me.id], rows.map((r) => r.id))).map((s) => [s.assignmentId, s]));
    dueSoon = dueItems(rows.filter((r) => stillToHandIn(workOfPupil(r, mine.get(r.id), now))), now);
    returned = (await returnedTo([me.id], since)).map(({ studentId: _s, ...r }) => r);
  }
  const announcements = dedupe((await announcementsFor([me.id], since, lng)).map(({ studentId: _s, ...a }) => a));
  return { space, assignments, dueSoon, returned, announcements, waiting: null };
}

function dedupe<T extends { id: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((x) => (seen.has(x.id) ? false : (seen.add(x.id), true)));
}

// ---------------------------------------------------------------------------------------------
// Teacher

export async function teacherHome(actor: Actor, now = Date.now(), lng?: Lng): Promise<TeacherHome> {
  const { actor: me } = requireActingAs(actor, "teacher");
  const space = await spaceStatus(me, now);
  const assignments = space.open && await isFeatureEnabled(me, "assignments");
  const list = assignments ? await teacherAssignments(me, now) : [];
  const names = (a: (typeof list)[number]) => a.classes.map((c) => localName(c, lng));
  const toGrade = list
    .filter((a) => a.toGrade > 0)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
    .map((a) => ({ id: a.id, title: a.title, count: a.toGrade, classNames: names(a), due: dueOf(a.dueAt, now) }));
  const dueThisWeek = list
    .filter((a) => a.state === "open" && a.dueAt.getTime() >= now && a.dueAt.getTime() <= now + DUE_SOON_WINDOW)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
    .map((a) => ({ id: a.id, title: a.title, handedIn: a.handedIn, classNames: names(a), due: dueOf(a.dueAt, now) }));
  const groups = space.open && await isFeatureEnabled(me, "study_groups") ? await groupsWaitingOn(me) : [];
  return { space, assignments, toGrade, dueThisWeek, groups };
}

/** The groups the teacher moderates (as groups.server decides: owner, moderator, or a teacher of a study group) with requests or open reports. */
async function groupsWaitingOn(me: SignedInActor): Promise<TeacherHome["groups"]> {
  const g = schema.groups;
  const m = schema.groupMembers;
  const requests = sql<number>`(select count(*) from ${m} r where r.group_id = ${g.id} and r.state = 'requested')`;
  const reports = sql<number>`(select count(*) from ${schema.groupReports} p where p.group_id = ${g.id} and p.resolved_at is null)`;
  return db()
      .select({ id: g.id, name: g.name, requests, reports })
      .from(m)
      .innerJoin(g, eq(g.id, m.groupId))
      .where(
        and(
          eq(m.userId, me.id),
          eq(m.state, "active"),
          eq(m.memberAs, "teacher"),
          isNull(g.archivedAt),
          sql`(${m.role} <> 'member' or ${g.kind} = 'study')`,
          sql`(${requests} > 0 or ${reports} > 0)`,
        ),
      )
      .orderBy(g.name);
}

// ---------------------------------------------------------------------------------------------
// Parent

/** For each child linked to the actor (acting as a parent), what waits; nothing of any other pupil. */
export async function parentHome(actor: Actor, now = Date.now(), lng?: Lng): Promise<ChildNext[]> {
  const { actor: parent } = requireActingAs(actor, "parent");
  const children = await myChildren(parent, lng);
  if (!children.length) return [];
  const schools = await db()
      .select({ studentId: schema.users.id, school: schema.schools })
      .from(schema.users)
      .innerJoin(schema.schools, eq(schema.schools.id, schema.users.schoolId))
      .where(inArray(schema.users.id, children.map((c) => c.studentId)));
  const admitted = new Set((await filterInOrder(schools, async (s) => await effectivePhase(s.school) >= OPENS_AT.parent)).map((s) => s.studentId));
  // Only children the parent may read the work of: school open to parents, consent on record where needed.
  const readable = children.filter((c) => admitted.has(c.studentId) && !c.awaitsConsent).map((c) => c.studentId);
  const rows = await workOf(readable, now, now - LOOK_BACK, now + DUE_SOON_WINDOW, lng);
  const subs = await submissionsOf(readable, [...new Set(rows.map((r) => r.id))]);
  const subOf = (studentId: string, assignmentId: string) => subs.find((s) => s.studentId === studentId && s.assignmentId === assignmentId);
  const returned = await returnedTo(readable, now - LOOK_BACK);
  const news = await announcementsFor(readable, now - LOOK_BACK, lng);
  const acked = new Set(
    readable.length
      ? (await db()
                    .select({ studentId: schema.acknowledgements.studentId, type: schema.acknowledgements.subjectType, id: schema.acknowledgements.subjectId })
                    .from(schema.acknowledgements)
                    .where(and(eq(schema.acknowledgements.guardianId, parent.id), inArray(schema.acknowledgements.studentId, readable), gt(schema.acknowledgements.at, new Date(now - 2 * LOOK_BACK)))))
          .map((a) => `${a.studentId}/${a.type}/${a.id}`)
      : [],
  );
  return children.map((c) => {
    const base = { studentId: c.studentId, realName: c.realName, schoolName: c.schoolName, classNames: c.classNames, consentState: c.consentState, awaitsConsent: c.awaitsConsent, admitted: admitted.has(c.studentId) };
    if (!readable.includes(c.studentId)) return { ...base, dueSoon: [], lateOrMissing: [], returned: [], announcements: [] };
    const works = rows.filter((r) => r.studentId === c.studentId).map((r) => ({ r, work: workOfPupil(r, subOf(c.studentId, r.id), now) }));
    const stateOfWork = new Map(works.map(({ r, work }) => [r.id, work.state]));
    const lateOrMissing = dueItems(
      works.filter(({ work }) => work.state === "late" || work.state === "missing").map(({ r }) => r),
      now,
    ).map((d) => ({ ...d, state: stateOfWork.get(d.id) as "late" | "missing" }));
    return {
      ...base,
      dueSoon: dueItems(works.filter(({ work }) => work.state === "toDo").map(({ r }) => r), now),
      lateOrMissing,
      returned: returned.filter((r) => r.studentId === c.studentId && !acked.has(`${c.studentId}/grade/${r.submissionId}`)).map(({ studentId: _s, ...r }) => r),
      announcements: dedupe(news.filter((a) => a.studentId === c.studentId && !acked.has(`${c.studentId}/announcement/${a.id}`)).map(({ studentId: _s, ...a }) => a)),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// School admin

export async function schoolAdminHome(actor: Actor, now = Date.now()): Promise<SchoolAdminHome> {
  const { grant } = requireActingAs(actor, "school_admin");
  const schoolId = grant.schoolId;
  if (!schoolId) throw new Error("school admin without a school");
  const previews = await db()
      .select({ id: schema.rosterImports.id, fileName: schema.rosterImports.fileName, rowCount: schema.rosterImports.rowCount, createdAt: schema.rosterImports.createdAt })
      .from(schema.rosterImports)
      .where(and(eq(schema.rosterImports.schoolId, schoolId), eq(schema.rosterImports.status, "preview")))
      .orderBy(desc(schema.rosterImports.createdAt));
  const today = shanghaiToday(now);
  const pupils = (await db()
      .select({ id: schema.users.id, status: schema.users.status, birthDate: schema.users.birthDate })
      .from(schema.userRoles)
      .innerJoin(schema.users, eq(schema.users.id, schema.userRoles.userId))
      .where(and(eq(schema.userRoles.schoolId, schoolId), eq(schema.userRoles.role, "student"))))
    .filter((p) => p.status !== "disabled" && isUnderConsentAge(p.birthDate, today));
  const consented = await studentsWithConsent(pupils.map((p) => p.id));
  const consentMissing = pupils.filter((p) => !consented.has(p.id)).length;
  // A school admin approves everything of their school (posts.server approvalQueue): counted, not listed.
  const posts = (await first(db()
      .select({ n: sql<number>`count(*)` })
      .from(schema.posts)
      .where(and(eq(schema.posts.approval, "pending"), ne(schema.posts.visibility, "private"), eq(schema.posts.schoolId, schoolId))).limit(1)))!.n;
  const comments = (await first(db()
      .select({ n: sql<number>`count(*)` })
      .from(schema.comments)
      .innerJoin(schema.users, eq(schema.users.id, schema.comments.authorId))
      .innerJoin(schema.posts, eq(schema.posts.id, schema.comments.postId))
      .where(and(eq(schema.comments.approval, "pending"), isNull(schema.comments.removedAt), ne(schema.posts.visibility, "private"), eq(schema.users.schoolId, schoolId))).limit(1)))!.n;
  return { schoolId, previews, consentMissing, approvals: posts + comments };
}
