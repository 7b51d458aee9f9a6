// In-app notifications: one row per person told. Other modules call `notify` inside their own
// transaction, so a comment and its notice are written together or not at all.
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { db, schema, type DB } from "#db/client";
import type { NotificationKind, NotificationSubjectType } from "#db/schema";
import { requireSignedIn, type Actor } from "./actor.server";
import { randomId } from "./ids.server";

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
  actorName: string | null;
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
    .select({ id: n.id, kind: n.kind, actorName: schema.users.realName, subjectType: n.subjectType, subjectId: n.subjectId, readAt: n.readAt, createdAt: n.createdAt })
    .from(n)
    .leftJoin(schema.users, eq(schema.users.id, n.actorId))
    .where(and(eq(n.userId, me.id), after))
    .orderBy(desc(n.createdAt), desc(n.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  return {
    rows: page.map((r) => ({ id: r.id, kind: r.kind, actorName: r.actorName, subjectType: r.subjectType, subjectId: r.subjectId, read: r.readAt !== null, createdAt: r.createdAt })),
    nextCursor: rows.length > limit ? `${page[page.length - 1]!.createdAt.getTime()}.${page[page.length - 1]!.id}` : null,
  };
}

/** Marks all of the actor's notifications read. */
export function markAllRead(actor: Actor, now = Date.now()): void {
  const me = requireSignedIn(actor);
  db().update(schema.notifications).set({ readAt: new Date(now) }).where(and(eq(schema.notifications.userId, me.id), isNull(schema.notifications.readAt))).run();
}
