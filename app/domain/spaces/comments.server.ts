// Comments (plain text) and likes on posts. Only readers who may see a post take part; a student's
// comment waits for a teacher when their school asks for it (like their posts); the post's author (the
// space owner) and the school's admins may remove a comment; readers report one at most once each.
import { and, asc, eq, sql } from "drizzle-orm";
import { db, schema, changedRows, first } from "#db/client";
import type { ApprovalState } from "#db/schema";
import { requireSignedIn, type Actor } from "../foundation/actor.server";
import { recordAudit } from "../foundation/audit.server";
import { ForbiddenError, NotFoundError, ValidationError } from "../foundation/errors.server";
import { randomId } from "../foundation/ids.server";
import { notify } from "../notices/notifications.server";
import { approversOf, audienceOf, isPupilOfAnotherSchool, postRow, requireLivePost } from "./posts.server";
import { requireSpaceFeature } from "./spaces.server";
import { canSee, isSchoolAdminOf, needsApproval, ownerOf, readerFor } from "../rollout/visibility.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";
import { filterInOrder, mapInOrder } from "~/lib/in-order";

export const MAX_COMMENT = 2000;
export const MAX_REPORT_REASON = 500;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** A comment's text: trimmed, no control or direction characters, 1–2,000 characters. */
export function commentText(raw: unknown): string {
  const body = withoutDirectionControls((typeof raw === "string" ? raw : "").replace(/\r\n?/g, "\n").replace(CONTROL, "")).trim();
  if (!body) throw new ValidationError({ body: { key: "blog:commentRequired" } });
  if ([...body].length > MAX_COMMENT) throw new ValidationError({ body: { key: "blog:commentTooLong", params: { max: MAX_COMMENT } } });
  return body;
}

type CommentRow = typeof schema.comments.$inferSelect;

async function commentAndPost(actor: Actor, commentId: string) {
  const comment = await first(db().select().from(schema.comments).where(eq(schema.comments.id, commentId)).limit(1));
  if (!comment || comment.removedAt) {
    requireSignedIn(actor);
    throw new NotFoundError();
  }
  const post = (await first(db().select().from(schema.posts).where(eq(schema.posts.id, comment.postId)).limit(1)))!;
  if (!await canSee(actor, audienceOf(post)) || !await commentVisible(actor, comment)) {
    requireSignedIn(actor);
    throw new NotFoundError();
  }
  return { comment, post };
}

/**
 * A waiting or rejected comment is seen by its author and by those who may approve it, like a post; a
 * pupil's comment only inside the pupil's school (visibility.server's mayReadWordsOf).
 */
async function commentVisible(actor: Actor, comment: Pick<CommentRow, "authorId" | "approval" | "removedAt">): Promise<boolean> {
  if (comment.removedAt) return false;
  if (!await readerFor(actor).mayReadWordsOf(comment.authorId)) return false;
  if (comment.approval === "none" || comment.approval === "approved") return true;
  if (actor?.id === comment.authorId) return true;
  return readerFor(actor).mayApprove(comment.authorId);
}

/**
 * Comments on a post the reader may see. Writing one needs the commenter's own blog to be open
 * (requireSpaceFeature): the same people who may write posts may comment.
 */
export async function addComment(actor: Actor, postId: string, raw: unknown): Promise<{ id: string; approval: ApprovalState }> {
  await requireSpaceFeature(actor, "blog");
  const me = requireSignedIn(actor);
  const post = await requireLivePost(me, postId);
  // A comment carries a child's real name: pupils meet other schools in groups, whose rules say who meets whom.
  if (await isPupilOfAnotherSchool(me, post)) throw new ForbiddenError("blog:pupilCommentsOwnSchool");
  const body = commentText(raw);
  const approval: ApprovalState = post.visibility !== "private" && await needsApproval(await ownerOf(me.id)) ? "pending" : "none";
  const id = randomId();
  await db().transaction(
    async (tx) => {
      await tx.insert(schema.comments).values({ id, postId, authorId: me.id, body, approval });
      if (approval === "pending") for (const teacher of await approversOf(me.id)) await notify(tx, teacher, "approval_needed", me.id, { type: "post", id: postId });
      else await notify(tx, post.authorId, "comment", me.id, { type: "post", id: postId });
    },
    { behavior: "immediate" },
  );
  return { id, approval };
}

/** Its author edits a comment; a student's edited comment waits again. */
export async function editComment(actor: Actor, commentId: string, raw: unknown): Promise<{ approval: ApprovalState }> {
  const me = requireSignedIn(actor);
  const { comment, post } = await commentAndPost(me, commentId);
  if (comment.authorId !== me.id) throw new ForbiddenError();
  const body = commentText(raw);
  const approval: ApprovalState = post.visibility !== "private" && await needsApproval(await ownerOf(me.id)) ? "pending" : "none";
  await db().transaction(
    async (tx) => {
      await tx.update(schema.comments).set({ body, approval, approvedBy: null, editedAt: new Date() }).where(eq(schema.comments.id, commentId));
      if (approval === "pending" && comment.approval !== "pending") for (const teacher of await approversOf(me.id)) await notify(tx, teacher, "approval_needed", me.id, { type: "post", id: post.id });
    },
    { behavior: "immediate" },
  );
  return { approval };
}

/**
 * Takes a comment down: its author (deleting their own), the post's author (the space owner) or an
 * admin of the post's school. The row stays, marked removed, for reports and the audit trail.
 */
export async function removeComment(actor: Actor, commentId: string): Promise<void> {
  const me = requireSignedIn(actor);
  const { comment, post } = await commentAndPost(me, commentId);
  const byAuthor = comment.authorId === me.id;
  const byOwner = post.authorId === me.id;
  const byAdmin = Boolean(post.schoolId && isSchoolAdminOf(me, post.schoolId));
  if (!byAuthor && !byOwner && !byAdmin) throw new ForbiddenError();
  await db().transaction(
    async (tx) => {
      await tx.update(schema.comments).set({ removedAt: new Date(), removedBy: me.id }).where(eq(schema.comments.id, commentId));
      await tx.update(schema.commentReports).set({ resolvedAt: new Date() }).where(eq(schema.commentReports.commentId, commentId));
      if (!byAuthor) await recordAudit({ actorId: me.id, action: "comment.remove", targetType: "comment", targetId: commentId, schoolId: post.schoolId, detail: { postId: post.id, authorId: comment.authorId } }, tx);
    },
    { behavior: "immediate" },
  );
}

/** A reader reports a comment (once each); the space owner is told. */
export async function reportComment(actor: Actor, commentId: string, reason: unknown): Promise<void> {
  const me = requireSignedIn(actor);
  const { comment, post } = await commentAndPost(me, commentId);
  if (comment.authorId === me.id) throw new ForbiddenError();
  const text = withoutDirectionControls((typeof reason === "string" ? reason : "").replace(CONTROL, "")).trim();
  if ([...text].length > MAX_REPORT_REASON) throw new ValidationError({ reason: { key: "blog:reasonTooLong", params: { max: MAX_REPORT_REASON } } });
  await db().transaction(
    async (tx) => {
      const done = await changedRows(tx.insert(schema.commentReports).values({ id: randomId(), commentId, reporterId: me.id, reason: text }).onConflictDoNothing());
      if (!done) throw new ValidationError({}, "blog:alreadyReported");
      await notify(tx, post.authorId, "report", me.id, { type: "post", id: post.id });
    },
    { behavior: "immediate" },
  );
}

/** Likes (or unlikes) a post the reader may see; one like per person. */
export async function setLike(actor: Actor, postId: string, like: boolean): Promise<{ likes: number; liked: boolean }> {
  const me = requireSignedIn(actor);
  const post = await requireLivePost(me, postId);
  await db().transaction(
    async (tx) => {
      if (like) {
        const added = await changedRows(tx.insert(schema.reactions).values({ postId, userId: me.id }).onConflictDoNothing());
        if (added) await notify(tx, post.authorId, "reaction", me.id, { type: "post", id: postId });
      } else {
        await tx.delete(schema.reactions).where(and(eq(schema.reactions.postId, postId), eq(schema.reactions.userId, me.id)));
      }
    },
    { behavior: "immediate" },
  );
  const n = (await first(db().select({ n: sql<number>`count(*)` }).from(schema.reactions).where(eq(schema.reactions.postId, postId)).limit(1)))?.n ?? 0;
  return { likes: n, liked: like };
}

export type CommentView = {
  id: string;
  body: string;
  authorName: string;
  authorHandle: string;
  at: Date;
  edited: boolean;
  approval: ApprovalState;
  mine: boolean;
  mayEdit: boolean;
  mayRemove: boolean;
  mayReport: boolean;
  reportedByMe: boolean;
  mayApprove: boolean;
  /** Open reports (for the space owner and school admins). */
  reports: number;
};

/** The comments of a post the reader may see, oldest first; waiting ones only for their author and approvers. */
export async function listComments(actor: Actor, postId: string): Promise<CommentView[]> {
  const post = await postRow(postId);
  if (!post || !await canSee(actor, audienceOf(post))) {
    requireSignedIn(actor);
    throw new NotFoundError();
  }
  const all = await db()
      .select({ comment: schema.comments, authorName: schema.users.realName, authorHandle: schema.users.handle })
      .from(schema.comments)
      .innerJoin(schema.users, eq(schema.users.id, schema.comments.authorId))
      .where(eq(schema.comments.postId, postId))
      .orderBy(asc(schema.comments.createdAt), asc(schema.comments.id));
  await readerFor(actor).knowAuthors(all.map((r) => r.comment.authorId));
  const rows = (await filterInOrder(all, async (r) => commentVisible(actor, r.comment)));
  const isOwner = actor?.id === post.authorId;
  const isAdmin = Boolean(actor && post.schoolId && isSchoolAdminOf(actor, post.schoolId));
  const reports = new Map<string, { open: number; mine: boolean }>();
  for (const r of await db()
      .select({ commentId: schema.commentReports.commentId, reporterId: schema.commentReports.reporterId, resolvedAt: schema.commentReports.resolvedAt })
      .from(schema.commentReports)
      .innerJoin(schema.comments, eq(schema.comments.id, schema.commentReports.commentId))
      .where(eq(schema.comments.postId, postId))) {
    const entry = reports.get(r.commentId) ?? { open: 0, mine: false };
    if (!r.resolvedAt) entry.open++;
    if (actor && r.reporterId === actor.id) entry.mine = true;
    reports.set(r.commentId, entry);
  }
  const reader = readerFor(actor);
  return (mapInOrder(rows, async ({ comment: c, authorName, authorHandle }) => {
      const mine = actor?.id === c.authorId;
      return {
        id: c.id,
        body: c.body,
        authorName,
        authorHandle,
        at: c.createdAt,
        edited: c.editedAt !== null,
        approval: c.approval,
        mine,
        mayEdit: mine,
        mayRemove: mine || isOwner || isAdmin,
        mayReport: Boolean(actor) && !mine,
        reportedByMe: reports.get(c.id)?.mine ?? false,
        mayApprove: !mine && c.approval === "pending" && await reader.mayApprove(c.authorId),
        reports: isOwner || isAdmin ? (reports.get(c.id)?.open ?? 0) : 0,
      };
    }));
}

/** Decides a waiting comment: a teacher of the student's classes, or an admin of their school. */
export async function decideComment(actor: Actor, commentId: string, decision: "approve" | "reject"): Promise<{ postId: string }> {
  const me = requireSignedIn(actor);
  const { comment, post } = await commentAndPost(me, commentId);
  if (comment.authorId === me.id || !await readerFor(me).mayApprove(comment.authorId)) throw new ForbiddenError();
  await db().transaction(
    async (tx) => {
      const current = await first(tx.select({ approval: schema.comments.approval }).from(schema.comments).where(eq(schema.comments.id, commentId)).limit(1));
      if (!current || current.approval !== "pending") return;
      await tx.update(schema.comments)
              .set({ approval: decision === "approve" ? "approved" : "rejected", approvedBy: me.id })
              .where(eq(schema.comments.id, commentId));
      await notify(tx, comment.authorId, decision === "approve" ? "approved" : "rejected", me.id, { type: "post", id: post.id });
      // The post's author hears of a comment once it may be read.
      if (decision === "approve") await notify(tx, post.authorId, "comment", comment.authorId, { type: "post", id: post.id });
      await recordAudit({ actorId: me.id, action: `comment.${decision}`, targetType: "comment", targetId: commentId, schoolId: post.schoolId, detail: { postId: post.id, authorId: comment.authorId } }, tx);
    },
    { behavior: "immediate" },
  );
  return { postId: post.id };
}
