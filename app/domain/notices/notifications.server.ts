// Notices: one row per person told (the in-app channel, always on). Other modules call `notify` inside
// their own transaction, so a comment and its notice are written together or not at all. A row keeps
// the facts (kind, who, what, a score, a count), never words: the reader's language renders it when
// read (noticeText in notice-channels.server.ts, also the text an outside channel would send).
import { and, desc, eq, gt, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { db, schema, type DB, first } from "#db/client";
import { NOTIFICATION_KINDS, type NoticeFacts, type NotificationKind, type NotificationSubjectType } from "#db/schema";
import { requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { NotFoundError } from "../foundation/errors.server";
import { randomId } from "../foundation/ids.server";
import { isUnderConsentAge } from "../people/consent-state.server";
import { OPENS_AT, effectivePhaseOf, studentsWithConsent } from "../rollout/rollout.server";
import { ownersOf, readerFor, type Owner } from "../rollout/visibility.server";
import { mapInOrder } from "~/lib/in-order";

type Tx = Pick<DB, "insert" | "select" | "selectDistinct" | "update">;
type InsertTx = Pick<DB, "insert">;
export type NotificationSubject = { type: NotificationSubjectType; id: string };

/** One notice to one person, as the channels receive it. */
export type Notice = { userId: string; kind: NotificationKind; actorId: string | null; subject: NotificationSubject | null; facts?: NoticeFacts | null };

/**
 * A way of telling people. The in-app store below is the one always on; an outside channel (SMS, a
 * messaging app) is one more implementation: `deliver` runs inside the writer's transaction, so it
 * should only queue (an outbox row) and send after commit, rendering with noticeText() in the
 * recipient's language, and honour the recipient's noticeSettings (immediately, or in the daily digest).
 */
export interface NoticeChannel {
  readonly name: string;
  deliver(tx: InsertTx, notice: Notice): Promise<void>;
}

export const inAppChannel: NoticeChannel = {
  name: "in_app",
  async deliver(tx, n) {
    await tx.insert(schema.notifications)
          .values({ id: randomId(), userId: n.userId, kind: n.kind, actorId: n.actorId, subjectType: n.subject?.type ?? null, subjectId: n.subject?.id ?? null, facts: n.facts ?? null });
  },
};

/** The channels every notice goes through. Outside channels are added here (one adapter each). */
export const noticeChannels: NoticeChannel[] = [inAppChannel];

/** Tells `userId` that `actorId` did `kind` to `subject`. Nobody is told about their own doing. */
export async function notify(tx: InsertTx, userId: string, kind: NotificationKind, actorId: string | null, subject: NotificationSubject | null, facts?: NoticeFacts | null): Promise<void> {
  if (actorId && actorId === userId) return;
  for (const channel of noticeChannels) await channel.deliver(tx, { userId, kind, actorId, subject, facts });
}

// ---------------------------------------------------------------------------------------------
// Who is told of a pupil's work beyond the pupil.

/**
 * A pupil handed in: each teacher of the class the work counts for is told, batched per assignment —
 * one unread "《…》有 N 份新提交" notice whose count goes up (and moves to the top) with each hand-in.
 * Once read, the next hand-in starts a new one. The pupil is not named (the count is the fact).
 */
export async function tellTeachersOfHandIn(tx: Tx, assignmentId: string, classId: string | null, now = Date.now()): Promise<void> {
  if (!classId) return;
  const cm = schema.classMemberships;
  const teachers = await tx
      .selectDistinct({ userId: cm.userId })
      .from(cm)
      .innerJoin(schema.classes, eq(schema.classes.id, cm.classId))
      .where(and(eq(cm.classId, classId), eq(cm.role, "teacher"), isNull(schema.classes.archivedAt)));
  const n = schema.notifications;
  for (const { userId } of teachers) {
    const open = await first(tx
          .select({ id: n.id, facts: n.facts })
          .from(n)
          .where(and(eq(n.userId, userId), eq(n.kind, "handins"), eq(n.subjectId, assignmentId), isNull(n.readAt))).limit(1));
    if (open) await tx.update(n).set({ facts: { count: (open.facts?.count ?? 1) + 1 }, createdAt: new Date(now) }).where(eq(n.id, open.id));
    else await notify(tx, userId, "handins", null, { type: "assignment", id: assignmentId }, { count: 1 });
  }
}

/**
 * The parents who may read a pupil's work (README "Who sees what"): linked to the pupil, the pupil's
 * school open to parents, and the pupil 14+ or with a guardian's consent on record. Anyone else — another
 * child's parent, the parent of an under-14 without consent — is told nothing.
 */
export async function guardiansToTell(tx: Pick<DB, "select">, studentId: string): Promise<string[]> {
  const child = await first(tx.select({ birthDate: schema.users.birthDate, schoolId: schema.users.schoolId }).from(schema.users).where(eq(schema.users.id, studentId)).limit(1));
  if (!child?.schoolId) return [];
  if (await effectivePhaseOf(child.schoolId) < OPENS_AT.parent) return [];
  if (isUnderConsentAge(child.birthDate) && !(await studentsWithConsent([studentId])).has(studentId)) return [];
  return (await tx
      .select({ id: schema.guardianLinks.guardianId })
      .from(schema.guardianLinks)
      .where(eq(schema.guardianLinks.studentId, studentId)))
    .map((g) => g.id);
}

/** A grade came back: the pupil is told, and so are the parents who may read it ("明轩 的《…》已批改：8/10"). */
export async function tellOfReturnedGrade(tx: Tx, studentId: string, teacherId: string, assignmentId: string, score: number | null, points: number): Promise<void> {
  const subject = { type: "assignment" as const, id: assignmentId };
  await notify(tx, studentId, "grade_returned", teacherId, subject, { score, points });
  // actorId is the child: the parent's notice names the child, and the child is who it is about.
  for (const parentId of await guardiansToTell(tx, studentId)) await notify(tx, parentId, "child_grade_returned", studentId, subject, { score, points });
}

/** How far back a parent is told of missing work (a parent linking today is not told of last year). */
export const MISSING_LOOKBACK_MS = 14 * 86_400_000;

/**
 * Writes, for a parent (acting as one), a "child_missing" notice per child and assignment whose
 * due/late-until time has passed with nothing handed in — once, dated when it became true. Written when
 * the parent next loads a page (no scheduler), like the assignment notices; the root loader calls it.
 * Only for children the parent may read (guardiansToTell) and pupils who could hand in (activated).
 */
export async function deliverMissingWorkNotices(actor: Actor, now = Date.now()): Promise<number> {
  if (!actor || actor.activeRole !== "parent") return 0;
  const a = schema.assignments;
  const n = schema.notifications;
  const s = schema.submissions;
  const closedAt = sql`coalesce(${a.lateUntil}, ${a.dueAt})`;
  const candidates = async () =>
    db()
            .selectDistinct({ studentId: schema.guardianLinks.studentId, assignmentId: a.id, closedAt: sql<number>`${closedAt}` })
            .from(schema.guardianLinks)
            .innerJoin(schema.users, eq(schema.users.id, schema.guardianLinks.studentId))
            .innerJoin(schema.classMemberships, and(eq(schema.classMemberships.userId, schema.guardianLinks.studentId), eq(schema.classMemberships.role, "student")))
            .innerJoin(schema.assignmentClasses, eq(schema.assignmentClasses.classId, schema.classMemberships.classId))
            .innerJoin(a, eq(a.id, schema.assignmentClasses.assignmentId))
            .leftJoin(s, and(eq(s.assignmentId, a.id), eq(s.studentId, schema.guardianLinks.studentId)))
            .where(
              and(
                eq(schema.guardianLinks.guardianId, actor.id),
                sql`${schema.users.activatedAt} is not null`,
                eq(a.status, "published"),
                lte(closedAt, now),
                gt(closedAt, now - MISSING_LOOKBACK_MS),
                sql`coalesce(${s.versionCount}, 0) = 0`,
                sql`not exists (select 1 from ${n} where ${n.userId} = ${actor.id} and ${n.kind} = 'child_missing' and ${n.subjectId} = ${a.id} and ${n.actorId} = ${schema.guardianLinks.studentId})`,
              ),
            );
  const first = await candidates();
  if (!first.length) return 0;
  const mayTell = new Map<string, boolean>();
  return db().transaction(
    async (tx) => {
      let written = 0;
      // Again inside the write lock: two pages loading at once write each notice once.
      for (const c of await candidates()) {
        if (!mayTell.has(c.studentId)) mayTell.set(c.studentId, (await guardiansToTell(tx, c.studentId)).includes(actor.id));
        if (!mayTell.get(c.studentId)) continue;
        await tx.insert(n).values({ id: randomId(), userId: actor.id, kind: "child_missing", actorId: c.studentId, subjectType: "assignment", subjectId: c.assignmentId, createdAt: new Date(Number(c.closedAt)) });
        written++;
      }
      return written;
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------------
// Reading.

/** The number shown in the header. */
export async function unreadCount(actor: Actor): Promise<number> {
  if (!actor) return 0;
  const row = await first(db()
      .select({ n: sql<number>`count(*)` })
      .from(schema.notifications)
      .where(and(eq(schema.notifications.userId, actor.id), isNull(schema.notifications.readAt))).limit(1));
  return row?.n ?? 0;
}

export const NOTIFICATIONS_PAGE_SIZE = 30;

export type NotificationRow = {
  id: string;
  kind: NotificationKind;
  /** Who caused it (server-side only: for links, never sent to a page). */
  actorId: string | null;
  /** Null also when the name is hidden from this reader (actorHidden). */
  actorName: string | null;
  /** The notice's actor is a pupil of a school the reader holds no role at, and not their child: "a student". */
  actorHidden: boolean;
  subjectType: NotificationSubject["type"] | null;
  subjectId: string | null;
  /** The thing the notice is about, read fresh: an assignment's, post's, thread's or task's title, a group's name. */
  title: string | null;
  /** For assignments: the due time and the points. */
  dueAt: Date | null;
  points: number | null;
  facts: NoticeFacts | null;
  read: boolean;
  createdAt: Date;
};

/** The actor's notifications, newest first, by cursor ("<createdAt ms>.<id>" of the last row seen: stable within a millisecond). */
export async function listNotifications(actor: Actor, cursor?: string | null, limit = NOTIFICATIONS_PAGE_SIZE): Promise<{ rows: NotificationRow[]; nextCursor: string | null }> {
  const me = requireSignedIn(actor);
  const n = schema.notifications;
  const match = cursor ? /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/.exec(cursor) : null;
  const after = match ? or(lt(n.createdAt, new Date(Number(match[1]))), and(eq(n.createdAt, new Date(Number(match[1]))), lt(n.id, match[2]!))) : undefined;
  const rows = await db()
      .select({ id: n.id, kind: n.kind, actorId: n.actorId, actorName: schema.users.realName, subjectType: n.subjectType, subjectId: n.subjectId, facts: n.facts, readAt: n.readAt, createdAt: n.createdAt })
      .from(n)
      .leftJoin(schema.users, eq(schema.users.id, n.actorId))
      .where(and(eq(n.userId, me.id), after))
      .orderBy(desc(n.createdAt), desc(n.id))
      .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    rows: await describe(me, page),
    nextCursor: rows.length > limit ? `${page[page.length - 1]!.createdAt.getTime()}.${page[page.length - 1]!.id}` : null,
  };
}

type StoredRow = { id: string; kind: NotificationKind; actorId: string | null; actorName: string | null; subjectType: NotificationSubjectType | null; subjectId: string | null; facts: NoticeFacts | null; readAt: Date | null; createdAt: Date };

/** Names and subjects for a page of notices: one query per kind of subject present, never one per notice. */
async function describe(me: SignedInActor, page: StoredRow[]): Promise<NotificationRow[]> {
  // The notices' actors at once: whether each one's name is hidden from this reader.
  const actors = await ownersOf([...new Set(page.map((r) => r.actorId).filter((id): id is string => Boolean(id)))]);
  const subjects = await subjectsOf(page);
  return (mapInOrder(page, async (r) => {
      const actor = r.actorId ? actors.get(r.actorId) : undefined;
      const actorHidden = Boolean(actor && await pupilHiddenFrom(me, actor));
      const subject = r.subjectId ? subjects.get(`${r.subjectType}:${r.subjectId}`) : undefined;
      return {
        id: r.id,
        kind: r.kind,
        actorId: r.actorId,
        actorName: actorHidden ? null : r.actorName,
        actorHidden,
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        title: subject?.title ?? null,
        dueAt: subject?.dueAt ?? null,
        points: subject?.points ?? null,
        facts: r.facts,
        read: r.readAt !== null,
        createdAt: r.createdAt,
      };
    }));
}

type Subject = { title: string; dueAt?: Date; points?: number };

async function subjectsOf(page: StoredRow[]): Promise<Map<string, Subject>> {
  const ids = (type: NotificationSubjectType) => [...new Set(page.filter((r) => r.subjectType === type && r.subjectId).map((r) => r.subjectId!))];
  const out = new Map<string, Subject>();
  const assignments = ids("assignment");
  if (assignments.length) {
    const a = schema.assignments;
    for (const r of await db().select({ id: a.id, title: a.title, dueAt: a.dueAt, points: a.points }).from(a).where(inArray(a.id, assignments))) out.set(`assignment:${r.id}`, r);
  }
  const titled = [
    ["post", schema.posts.id, schema.posts.title, schema.posts],
    ["group_thread", schema.groupThreads.id, schema.groupThreads.title, schema.groupThreads],
    ["group_task", schema.groupTasks.id, schema.groupTasks.title, schema.groupTasks],
    ["group", schema.groups.id, schema.groups.name, schema.groups],
  ] as const;
  for (const [type, idCol, titleCol, table] of titled) {
    const wanted = ids(type);
    if (!wanted.length) continue;
    for (const r of await db().select({ id: idCol, title: titleCol }).from(table).where(inArray(idCol, wanted))) out.set(`${type}:${r.id}`, { title: r.title });
  }
  return out;
}

/**
 * Notices to people outside a pupil's school never carry the pupil's name: whoever holds no role at the
 * pupil's school and is not their guardian reads "a student" (and gets no link to the pupil's space).
 */
async function pupilHiddenFrom(reader: SignedInActor, pupil: Owner): Promise<boolean> {
  if (pupil.role !== "student") return false;
  if (pupil.schoolId && reader.roles.some((g) => g.schoolId === pupil.schoolId)) return false;
  return !(await readerFor(reader).children()).has(pupil.id);
}

/** One of the actor's own notices, described; anyone else's (or none) is "not found". */
export async function findNotification(actor: Actor, id: string): Promise<NotificationRow> {
  const me = requireSignedIn(actor);
  const n = schema.notifications;
  const row = await first(db()
      .select({ id: n.id, kind: n.kind, actorId: n.actorId, actorName: schema.users.realName, subjectType: n.subjectType, subjectId: n.subjectId, facts: n.facts, readAt: n.readAt, createdAt: n.createdAt })
      .from(n)
      .leftJoin(schema.users, eq(schema.users.id, n.actorId))
      .where(and(eq(n.id, id), eq(n.userId, me.id))).limit(1));
  if (!row) throw new NotFoundError();
  return (await describe(me, [row]))[0]!;
}

/** Opening a notice marks it read (only the reader's own; another's is "not found"). */
export async function markRead(actor: Actor, id: string, now = Date.now()): Promise<NotificationRow> {
  const row = await findNotification(actor, id);
  if (!row.read) {
    await db().update(schema.notifications).set({ readAt: new Date(now) }).where(and(eq(schema.notifications.id, id), isNull(schema.notifications.readAt)));
  }
  return { ...row, read: true };
}

/** Marks all of the actor's notifications read. */
export async function markAllRead(actor: Actor, now = Date.now()): Promise<void> {
  const me = requireSignedIn(actor);
  await db().update(schema.notifications).set({ readAt: new Date(now) }).where(and(eq(schema.notifications.userId, me.id), isNull(schema.notifications.readAt)));
}

// ---------------------------------------------------------------------------------------------
// Settings: in-app is always on; per kind, a person may add it to a daily digest.

/** The kinds a person in each role may receive, in the order the settings page lists them. */
export const KINDS_BY_ROLE: Record<"teacher" | "student" | "parent", NotificationKind[]> = {
  teacher: ["handins", "approval_needed", "report", "comment", "reaction", "follow", "group_join_request", "group_report", "group_reply", "group_mention", "group_task", "group_minor_left"],
  student: ["assignment_new", "assignment_due", "grade_returned", "comment", "reaction", "follow", "approved", "rejected", "group_reply", "group_mention", "group_invited", "group_join_approved", "group_task"],
  parent: ["child_grade_returned", "child_missing", "weekly_summary", "comment", "reaction", "follow"],
};

export type NoticeSetting = { kind: NotificationKind; digest: boolean };

/** The actor's settings for the kinds of their current role (unset kinds: in-app only). */
export async function noticeSettingsOf(actor: Actor): Promise<NoticeSetting[]> {
  const me = requireSignedIn(actor);
  const kinds = kindsFor(me);
  const stored = new Map(
    (await db()
            .select({ kind: schema.noticeSettings.kind, digest: schema.noticeSettings.digest })
            .from(schema.noticeSettings)
            .where(eq(schema.noticeSettings.userId, me.id)))
      .map((s) => [s.kind, s.digest]),
  );
  return kinds.map((kind) => ({ kind, digest: stored.get(kind) ?? false }));
}

function kindsFor(me: SignedInActor): NotificationKind[] {
  const role = me.activeRole;
  if (role === "teacher" || role === "student" || role === "parent") return KINDS_BY_ROLE[role];
  return [];
}

/** Saves the digest choice of each kind of the actor's role (form fields "digest.<kind>" = "on"); other kinds are left alone. */
export async function saveNoticeSettings(actor: Actor, fields: { get(name: string): unknown }, now = Date.now()): Promise<NoticeSetting[]> {
  const me = requireSignedIn(actor);
  const kinds = kindsFor(me);
  await db().transaction(
    async (tx) => {
      for (const kind of kinds) {
        const digest = fields.get(`digest.${kind}`) === "on";
        await tx.insert(schema.noticeSettings)
                  .values({ userId: me.id, kind, digest, updatedAt: new Date(now) })
                  .onConflictDoUpdate({ target: [schema.noticeSettings.userId, schema.noticeSettings.kind], set: { digest, updatedAt: new Date(now) } });
      }
    },
    { behavior: "immediate" },
  );
  return noticeSettingsOf(me);
}

/** The kinds a user chose for the daily digest (for an outside channel's digest run). */
export async function digestKindsOf(userId: string): Promise<NotificationKind[]> {
  return (await db()
      .select({ kind: schema.noticeSettings.kind })
      .from(schema.noticeSettings)
      .where(and(eq(schema.noticeSettings.userId, userId), eq(schema.noticeSettings.digest, true))))
    .map((s) => s.kind)
    .filter((k) => (NOTIFICATION_KINDS as readonly string[]).includes(k));
}

/** A person's notices of the given kinds since `since`, described as the page describes them (for the digest). */
export async function noticesSince(actor: Actor, kinds: NotificationKind[], since: number): Promise<NotificationRow[]> {
  const me = requireSignedIn(actor);
  if (!kinds.length) return [];
  const n = schema.notifications;
  const rows = await db()
      .select({ id: n.id, kind: n.kind, actorId: n.actorId, actorName: schema.users.realName, subjectType: n.subjectType, subjectId: n.subjectId, facts: n.facts, readAt: n.readAt, createdAt: n.createdAt })
      .from(n)
      .leftJoin(schema.users, eq(schema.users.id, n.actorId))
      .where(and(eq(n.userId, me.id), inArray(n.kind, kinds), gt(n.createdAt, new Date(since))))
      .orderBy(desc(n.createdAt), desc(n.id))
      .limit(100);
  return describe(me, rows);
}
