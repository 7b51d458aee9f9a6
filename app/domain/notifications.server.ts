// In-app notifications: one row per person told. Other modules call `notify` inside their own
// transaction, so a comment and its notice are written together or not at all.
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { db, schema, type DB } from "#db/client";
import type { NotificationKind, NotificationSubjectType } from "#db/schema";
import { requireSignedIn, type Actor, type SignedInActor } from "./actor.server";
import { randomId } from "./ids.server";
import { ownersOf, readerFor, type Owner } from "./visibility.server";

type Tx = Pick<DB, "insert">;
export type NotificationSubject = { type: NotificationSubjectType; id: string };

/** Tells `userId` that `actorId` did `kind` to `subject`. Nobody is told about their own doing. */
export function notify(tx: Tx, userId: string, kind: NotificationKind, actorId: string | null, subject: NotificationSubject | null): void {
  if (actorId && actorId === userId) return;
  tx.insert(schema.notifications)
    .values({ id: randomId(), userId, kind, actorId, subjectType: subject?.type ?? null, subjectId: subject?.id ?? null })
    .run();
}

/** The number shown in the header. */
export function unreadCount(actor: Actor): number {
  if (!actor) return 0;
  const row = db()
    .select({ n: sql<number>`count(*)` })
    .from(schema.notifications)
    .where(and(eq(schema.notifications.userId, actor.id), isNull(schema.notifications.readAt)))
    .get();
  return row?.n ?? 0;
}

export const NOTIFICATIONS_PAGE_SIZE = 30;

export type NotificationRow = {
  id: string;
  kind: NotificationKind;
  /** Null also when the name is hidden from this reader (actorHidden). */
  actorName: string | null;
  /** The notice's actor is a pupil of a school the reader holds no role at, and not their child: "a student". */
  actorHidden: boolean;
  subjectType: NotificationSubject["type"] | null;
  subjectId: string | null;
  read: boolean;
  createdAt: Date;
};

/** The actor's notifications, newest first, by cursor ("<createdAt ms>.<id>" of the last row seen: stable within a millisecond). */
export function listNotifications(actor: Actor, cursor?: string | null, limit = NOTIFICATIONS_PAGE_SIZE): { rows: NotificationRow[]; nextCursor: string | null } {
  const me = requireSignedIn(actor);
  const n = schema.notifications;
  const match = cursor ? /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/.exec(cursor) : null;
  const after = match ? or(lt(n.createdAt, new Date(Number(match[1]))), and(eq(n.createdAt, new Date(Number(match[1]))), lt(n.id, match[2]!))) : undefined;
  const rows = db()
    .select({ id: n.id, kind: n.kind, actorId: n.actorId, actorName: schema.users.realName, subjectType: n.subjectType, subjectId: n.subjectId, readAt: n.readAt, createdAt: n.createdAt })
    .from(n)
    .leftJoin(schema.users, eq(schema.users.id, n.actorId))
    .where(and(eq(n.userId, me.id), after))
    .orderBy(desc(n.createdAt), desc(n.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  // The notices' actors at once: whether each one's name is hidden from this reader.
  const actors = ownersOf([...new Set(page.map((r) => r.actorId).filter((id): id is string => Boolean(id)))]);
  return {
    rows: page.map((r) => {
      const actor = r.actorId ? actors.get(r.actorId) : undefined;
      const actorHidden = Boolean(actor && pupilHiddenFrom(me, actor));
      return { id: r.id, kind: r.kind, actorName: actorHidden ? null : r.actorName, actorHidden, subjectType: r.subjectType, subjectId: r.subjectId, read: r.readAt !== null, createdAt: r.createdAt };
    }),
    nextCursor: rows.length > limit ? `${page[page.length - 1]!.createdAt.getTime()}.${page[page.length - 1]!.id}` : null,
  };
}

/**
 * Notices to people outside a pupil's school never carry the pupil's name: whoever holds no role at the
 * pupil's school and is not their guardian reads "a student" (and gets no link to the pupil's space).
 */
function pupilHiddenFrom(reader: SignedInActor, pupil: Owner): boolean {
  if (pupil.role !== "student") return false;
  if (pupil.schoolId && reader.roles.some((g) => g.schoolId === pupil.schoolId)) return false;
  return !readerFor(reader).children().has(pupil.id);
}

/** Marks all of the actor's notifications read. */
export function markAllRead(actor: Actor, now = Date.now()): void {
  const me = requireSignedIn(actor);
  db().update(schema.notifications).set({ readAt: new Date(now) }).where(and(eq(schema.notifications.userId, me.id), isNull(schema.notifications.readAt))).run();
}
