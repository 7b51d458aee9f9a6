// Following a space: the follower's feed then shows the followee's new posts and portfolio items
// (each still filtered by who may see it). One may follow only a space one may enter, so nobody follows
// a pupil from outside the pupil's school (guardians aside).
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { db, schema, changedRows, first } from "#db/client";
import type { NotificationSubjectType } from "#db/schema";
import { requireSignedIn, type Actor } from "../foundation/actor.server";
import { ValidationError } from "../foundation/errors.server";
import { notify } from "../notices/notifications.server";
import { avatarUrl, followCountsOf, maySeeSpace, spaceOwner } from "../spaces/profiles.server";
import { weekOfNotice } from "./weekly-summary.server";
import { filterInOrder, mapInOrder } from "~/lib/in-order";

export type FollowCounts = { followers: number; following: number };
export type FollowPerson = { handle: string; realName: string; avatarUrl: string | null };

/** Follows the space behind `handle`; following twice changes nothing and tells the followee once. */
export async function follow(actor: Actor, handle: string): Promise<{ created: boolean }> {
  const me = requireSignedIn(actor);
  const { owner } = await spaceOwner(me, handle);
  if (owner.id === me.id) throw new ValidationError({}, "social:cannotFollowSelf");
  return db().transaction(
    async (tx) => {
      const created = (await changedRows(tx.insert(schema.follows).values({ followerId: me.id, followeeId: owner.id }).onConflictDoNothing())) > 0;
      if (created) await notify(tx, owner.id, "follow", me.id, { type: "user", id: me.id });
      return { created };
    },
    { behavior: "immediate" },
  );
}

/**
 * Ends follows of pupils by people outside the pupil's school (no role held there) who are not their
 * guardians: such follows were possible before pupils' spaces closed to outsiders, and a follower would
 * keep the child's name in their lists. Idempotent; the integrator runs it at start-up. Returns how
 * many follows ended.
 */
export async function removeOutsideFollowsOfPupils(): Promise<number> {
  const f = schema.follows;
  return (changedRows(db()
    .delete(f)
    .where(
      sql`exists (select 1 from user_roles pupil where pupil.user_id = ${f.followeeId} and pupil.role = 'student')
        and not exists (
          select 1 from user_roles r join users followee on followee.id = ${f.followeeId}
          where r.user_id = ${f.followerId} and r.school_id is not null and r.school_id = followee.school_id)
        and not exists (select 1 from guardian_links g where g.guardian_id = ${f.followerId} and g.student_id = ${f.followeeId})`,
    )
    ));
}

/** Stops following; unfollowing a space one does not follow changes nothing. */
export async function unfollow(actor: Actor, handle: string): Promise<void> {
  const me = requireSignedIn(actor);
  const target = await first(db().select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.handle, handle.toLowerCase())).limit(1));
  if (!target) return;
  await db().delete(schema.follows).where(and(eq(schema.follows.followerId, me.id), eq(schema.follows.followeeId, target.id)));
}

/** Follower and following counts of a space the reader may enter. */
export async function followCounts(actor: Actor, handle: string): Promise<FollowCounts> {
  return followCountsOf((await spaceOwner(actor, handle)).owner.id);
}

/** Whether the actor follows the person. */
export async function isFollowing(actor: Actor, userId: string): Promise<boolean> {
  if (!actor) return false;
  return Boolean(await first(db().select({ id: schema.follows.followerId }).from(schema.follows).where(and(eq(schema.follows.followerId, actor.id), eq(schema.follows.followeeId, userId))).limit(1)));
}

/** Ids of the spaces the actor follows (the feed's sources). */
export async function followedIds(actor: Actor): Promise<string[]> {
  const me = requireSignedIn(actor);
  return (await db().select({ id: schema.follows.followeeId }).from(schema.follows).where(eq(schema.follows.followerId, me.id))).map((r) => r.id);
}

/**
 * Who follows a space, or whom it follows, newest first: only people whose own space the reader may
 * enter are listed (a pupil following a teacher is not shown to strangers of another school).
 */
export async function followList(actor: Actor, handle: string, which: "followers" | "following", limit = 100): Promise<FollowPerson[]> {
  const { owner } = await spaceOwner(actor, handle);
  const f = schema.follows;
  const [mine, theirs] = which === "followers" ? [f.followeeId, f.followerId] : [f.followerId, f.followeeId];
  const rows = await db()
      .select({ id: schema.users.id, handle: schema.users.handle, realName: schema.users.realName, avatarFileId: schema.users.avatarFileId })
      .from(f)
      .innerJoin(schema.users, eq(schema.users.id, theirs))
      .where(eq(mine, owner.id))
      .orderBy(desc(f.createdAt))
      .limit(limit);
  return (mapInOrder((await filterInOrder(rows, async (r) => maySeeSpace(actor, r.id))), async (r) => {
        const avatar = r.avatarFileId ? await first(db().select({ id: schema.files.id, name: schema.files.name }).from(schema.files).where(eq(schema.files.id, r.avatarFileId)).limit(1)) : null;
        return { handle: r.handle, realName: r.realName, avatarUrl: avatarUrl(avatar) };
      }));
}

/**
 * Where each of the actor's notifications leads: the post (also for a comment on it), the portfolio
 * item, or the follower's space (not a pupil's whose name the notice hides). The target page still
 * checks the reader may see it.
 */
export async function notificationLinks(
  actor: Actor,
  rows: { id: string; kind?: string; createdAt?: Date; actorId?: string | null; actorHidden?: boolean; subjectType: NotificationSubjectType | null; subjectId: string | null }[],
): Promise<Map<string, string>> {
  requireSignedIn(actor);
  const links = new Map<string, string>();
  const commentIds = rows.filter((r) => r.subjectType === "comment" && r.subjectId).map((r) => r.subjectId!);
  const userIds = rows.filter((r) => r.subjectType === "user" && r.subjectId).map((r) => r.subjectId!);
  const postOf = new Map(
    commentIds.length ? (await db().select({ id: schema.comments.id, postId: schema.comments.postId }).from(schema.comments).where(inArray(schema.comments.id, commentIds))).map((c) => [c.id, c.postId]) : [],
  );
  const groupOf = new Map([
    ...await threadGroups(rows.filter((r) => r.subjectType === "group_thread" && r.subjectId).map((r) => r.subjectId!)),
    ...await taskGroups(rows.filter((r) => r.subjectType === "group_task" && r.subjectId).map((r) => r.subjectId!)),
  ]);
  const handleOf = new Map(
    userIds.length ? (await db().select({ id: schema.users.id, handle: schema.users.handle }).from(schema.users).where(inArray(schema.users.id, userIds))).map((u) => [u.id, u.handle]) : [],
  );
  for (const r of rows) {
    if (!r.subjectId) continue;
    if (r.subjectType === "post") links.set(r.id, `/posts/${r.subjectId}`);
    else if (r.subjectType === "portfolio_item") links.set(r.id, `/portfolio/${r.subjectId}`);
    // A teacher's batch of hand-ins opens the grading queue; a parent's notice of a child's work, the child's page.
    else if (r.kind === "handins" && r.subjectType === "assignment") links.set(r.id, `/assignments/${r.subjectId}/grading`);
    else if ((r.kind === "child_grade_returned" || r.kind === "child_missing") && r.actorId) links.set(r.id, `/parent/children/${r.actorId}`);
    else if (r.subjectType === "assignment") links.set(r.id, `/assignments/${r.subjectId}`);
    else if (r.subjectType === "group") links.set(r.id, `/groups/${r.subjectId}`);
    else if (r.subjectType === "group_thread" && groupOf.has(r.subjectId)) links.set(r.id, `/groups/${groupOf.get(r.subjectId)}/threads/${r.subjectId}`);
    else if (r.subjectType === "group_task" && groupOf.has(r.subjectId)) links.set(r.id, `/groups/${groupOf.get(r.subjectId)}/tasks/${r.subjectId}`);
    else if (r.subjectType === "comment" && postOf.has(r.subjectId)) links.set(r.id, `/posts/${postOf.get(r.subjectId)}`);
    else if (r.kind === "weekly_summary" && r.subjectType === "user" && r.createdAt) links.set(r.id, `/parent/children/${r.subjectId}/week?week=${weekOfNotice(r.createdAt)}`);
    else if (r.subjectType === "user" && !r.actorHidden && handleOf.has(r.subjectId)) links.set(r.id, `/u/${handleOf.get(r.subjectId)}`);
  }
  return links;
}

async function threadGroups(ids: string[]): Promise<[string, string][]> {
  return ids.length ? (await db().select({ id: schema.groupThreads.id, groupId: schema.groupThreads.groupId }).from(schema.groupThreads).where(inArray(schema.groupThreads.id, ids))).map((t) => [t.id, t.groupId]) : [];
}

async function taskGroups(ids: string[]): Promise<[string, string][]> {
  return ids.length ? (await db().select({ id: schema.groupTasks.id, groupId: schema.groupTasks.groupId }).from(schema.groupTasks).where(inArray(schema.groupTasks.id, ids))).map((t) => [t.id, t.groupId]) : [];
}
