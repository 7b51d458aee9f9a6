// The states of a piece of work for a pupil — one vocabulary for every page (issue 16): the grading
// queue, the gradebook, the pupil's to-do, the parent's pages and the weekly summary all ask this module
// where a pupil stands on an assignment, and show its words (locale keys common:work.state.*) and its
// counts.
//
//   notOpen      the assignment is not open yet (open time in the future, or not published)
//   toDo         open, nothing handed in, before the due time
//   handedIn     handed in by the due time, not returned yet
//   late         handed in after the due time, not returned yet
//   missing      nothing handed in and the due time has passed (while late work is still taken until
//                "late until", the pupil may still hand in: `lateOpen` says so)
//   returned     the grade is returned to the pupil (a mark for missing work too); a draft grade is the
//                teachers' alone and changes nothing here (teachers see it as `draft`)
//   notExpected  nothing handed in, and the pupil cannot hand in: their space is not open (under 14
//                without guardian consent, the school's phase, a disabled account) or the account was
//                never activated. Shown apart, never counted as missing.
//
// workStates() computes many pupils × assignments in a fixed number of queries. It checks nobody: the
// domain modules that call it have already decided that the actor may see these pupils.
import { and, inArray } from "drizzle-orm";
import { db, schema } from "#db/client";
import { standingsOf } from "../people/people.server";
import { isUnderConsentAge } from "../people/consent-state.server";
import { shanghaiToday } from "../foundation/beijing-time.server";
import { OPENS_AT, phasesOf, studentsWithConsent } from "../rollout/rollout.server";

export const WORK_STATES = ["notOpen", "toDo", "handedIn", "late", "missing", "returned", "notExpected"] as const;
export type WorkState = (typeof WORK_STATES)[number];
/** Why a pupil is not expected to hand in. */
export type NotExpectedReason = "consent" | "phase" | "disabled" | "notActivated";
/** A teacher's words: a pupil's state, or a grade saved as a draft (not yet returned). */
export type TeacherWorkState = WorkState | "draft";
export type WorkCounts = Record<WorkState, number>;

export type WorkAssignment = { id: string; status: string; openAt: Date; dueAt: Date; lateUntil: Date | null };
export type WorkSubmission = { versionCount: number; late: boolean; gradeState: "none" | "draft" | "returned"; score: number | null };

export type Work = {
  state: WorkState;
  /** Only for notExpected. */
  reason: NotExpectedReason | null;
  /** Missing, and late work is still taken (the pupil may hand in until "late until"). */
  lateOpen: boolean;
  /** A draft grade is saved (teachers only: the pupil and parent never see it). */
  draft: boolean;
  /** The returned score; null until returned (drafts are never here). */
  score: number | null;
};

/** Where one pupil stands on one assignment (the pure rule; workStates reads what it needs). */
export function workStateOf(a: WorkAssignment, s: WorkSubmission | undefined, notExpected: NotExpectedReason | null, now: number): Work {
  const base = { reason: null, lateOpen: false, draft: s?.gradeState === "draft", score: null };
  if (s?.gradeState === "returned") return { ...base, state: "returned", score: s.score };
  if (s && s.versionCount > 0) return { ...base, state: s.late ? "late" : "handedIn" };
  if (a.status !== "published" || now < a.openAt.getTime()) return { ...base, state: "notOpen" };
  if (notExpected) return { ...base, state: "notExpected", reason: notExpected };
  if (now <= a.dueAt.getTime()) return { ...base, state: "toDo" };
  return { ...base, state: "missing", lateOpen: a.lateUntil !== null && now <= a.lateUntil.getTime() };
}

export const emptyWorkCounts = (): WorkCounts => ({ notOpen: 0, toDo: 0, handedIn: 0, late: 0, missing: 0, returned: 0, notExpected: 0 });

export function countWork(works: Iterable<Pick<Work, "state">>): WorkCounts {
  const counts = emptyWorkCounts();
  for (const w of works) counts[w.state] += 1;
  return counts;
}

/** The teacher's word for a pupil's work: a saved draft grade shows as "draft" over handed in / late / missing. */
export function teacherStateOf(w: Work): TeacherWorkState {
  return w.draft && w.state !== "returned" ? "draft" : w.state;
}

/**
 * Which of these pupils cannot hand in, and why: a disabled or never-activated account, a school below
 * the pupils' phase, under 14 without guardian consent. Three statements whatever their number (their
 * standing, their schools' phases, consent), each answer shared with the rest of the request.
 */
export async function pupilsNotExpected(studentIds: string[], now = Date.now()): Promise<Map<string, NotExpectedReason>> {
  const out = new Map<string, NotExpectedReason>();
  const ids = [...new Set(studentIds)];
  if (!ids.length) return out;
  const people = [...(await standingsOf(ids)).values()];
  const today = shanghaiToday(now);
  const phaseOf = await phasesOf(people.map((p) => p.schoolId));
  const young = people.filter((p) => isUnderConsentAge(p.birthDate, today)).map((p) => p.id);
  const consented = await studentsWithConsent(young);
  for (const p of people) {
    if (p.status === "disabled") out.set(p.id, "disabled");
    else if (p.status === "provisioned") out.set(p.id, "notActivated");
    else if (phaseOf(p.schoolId) < OPENS_AT.student) out.set(p.id, "phase");
    else if (isUnderConsentAge(p.birthDate, today) && !consented.has(p.id)) out.set(p.id, "consent");
  }
  return out;
}

export type WorkGrid = {
  get(assignmentId: string, studentId: string): Work;
  notExpected: Map<string, NotExpectedReason>;
};

type SubmissionFacts = Pick<typeof schema.submissions.$inferSelect, "assignmentId" | "studentId" | "versionCount" | "late" | "gradeState" | "score">;

/**
 * Where each pupil stands on each assignment, in a fixed number of queries whatever the size of the
 * grid (pupils' accounts, consent, schools' phases, and the submissions in one query). Unknown pairs
 * read as if nothing was handed in. A caller that has already read every submission of these pupils
 * (a parent's page, of one child) passes them as `submissions`, and they are not read again.
 */
export async function workStates(assignments: WorkAssignment[], studentIds: string[], now = Date.now(), submissions?: SubmissionFacts[]): Promise<WorkGrid> {
  const notExpected = await pupilsNotExpected(studentIds, now);
  const byId = new Map(assignments.map((a) => [a.id, a]));
  const aIds = [...byId.keys()];
  const sIds = [...new Set(studentIds)];
  const rows: SubmissionFacts[] = submissions
    ? submissions.filter((r) => byId.has(r.assignmentId) && sIds.includes(r.studentId))
    : aIds.length && sIds.length
      ? await db()
                    .select({ assignmentId: schema.submissions.assignmentId, studentId: schema.submissions.studentId, versionCount: schema.submissions.versionCount, late: schema.submissions.late, gradeState: schema.submissions.gradeState, score: schema.submissions.score })
                    .from(schema.submissions)
                    .where(and(inArray(schema.submissions.assignmentId, aIds), inArray(schema.submissions.studentId, sIds)))
      : [];
  const key = (assignmentId: string, studentId: string) => `${assignmentId}:${studentId}`;
  const byKey = new Map(rows.map((r) => [key(r.assignmentId, r.studentId), r]));
  const memo = new Map<string, Work>();
  return {
    notExpected,
    get(assignmentId, studentId) {
      const k = key(assignmentId, studentId);
      let w = memo.get(k);
      if (!w) {
        const a = byId.get(assignmentId);
        if (!a) throw new Error(`workStates: assignment ${assignmentId} not in the grid`);
        w = workStateOf(a, byKey.get(k), notExpected.get(studentId) ?? null, now);
        memo.set(k, w);
      }
      return w;
    },
  };
}

/** The one state of a single pupil on a single assignment (3–4 queries; for one-item pages). */
export async function workStateFor(a: WorkAssignment, studentId: string, now = Date.now()): Promise<Work> {
  return (await workStates([a], [studentId], now)).get(a.id, studentId);
}
