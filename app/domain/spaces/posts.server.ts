// Blog posts (DESIGN.md §3): written in the tiptap editor (or a plain textarea without JavaScript),
// stored as JSON plus the sanitized HTML rendered from it, drafts and publishing, tags, edits with a
// version check, and a student's published post waiting for a teacher when their school asks for it.
// Who may read a post is visibility.server.ts's decision alone.
import { and, desc, eq, inArray, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db, schema, type DB, changedRows, first } from "#db/client";
import { oncePerRequest } from "~/lib/request-scope.server";
import type { ApprovalState } from "#db/schema";
import { requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { recordAudit } from "../foundation/audit.server";
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from "../foundation/errors.server";
import { attachFiles, deleteFiles, deleteFilesOf, filesOf } from "../uploads/files.server";
import { randomId } from "../foundation/ids.server";
import { notify } from "../notices/notifications.server";
import { spaceOwner } from "./profiles.server";
import { docFromPlainText, plainTextOf, richTextFromForm, type RichDoc } from "../foundation/richtext.server";
import { requireOwnerFeature, requireSpaceFeature } from "./spaces.server";
import { allowedVisibilities, type Audience, canSee, chosenVisibility, isSchoolAdminOf, needsApproval, ownerOf, readerFor, requireVisible, type Visibility } from "../rollout/visibility.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";
import { filterInOrder } from "~/lib/in-order";

export const POSTS_PAGE_SIZE = 10;
export const MAX_TITLE = 120;
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 30;
const EXCERPT_CHARS = 160;

type PostRow = typeof schema.posts.$inferSelect;
type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0];

/** What a form gives the domain: FormData, a Map, or URLSearchParams. */
export type FormFields = { get(name: string): unknown };

function text(fields: FormFields, name: string): string {
  const value = fields.get(name);
  return typeof value === "string" ? value : "";
}

const stringFields = (fields: FormFields) => ({ get: (name: string) => text(fields, name) });

/** The audience of a post: a draft is its author's alone, whatever level it will be published at. */
export function audienceOf(post: Pick<PostRow, "authorId" | "schoolId" | "visibility" | "status" | "approval">): Audience {
  return { ownerId: post.authorId, schoolId: post.schoolId, visibility: post.status === "draft" ? "private" : post.visibility, approval: post.approval };
}

/**
 * Tags as typed: separated by commas (also "，" and "、") or spaces, a leading # dropped, lower-cased,
 * each at most 30 characters, at most 10.
 */
export function parseTags(raw: string): string[] {
  const tags: string[] = [];
  for (const part of raw.split(/[\s,，、;；]+/)) {
    const tag = part
      .replace(/^#+/, "")
      .normalize("NFC")
      .toLowerCase()
      // Letters, marks and digits of any script, and the Tibetan tsheg that separates syllables.
      .replace(/[^\p{L}\p{M}\p{N}_\u0F0B\u0F0C-]/gu, "");
    if (!tag) continue;
    if ([...tag].length > MAX_TAG_LENGTH) throw new ValidationError({ tags: { key: "blog:tagTooLong", params: { max: MAX_TAG_LENGTH } } });
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > MAX_TAGS) throw new ValidationError({ tags: { key: "blog:tooManyTags", params: { max: MAX_TAGS } } });
  return tags;
}

const idSchema = z.string().regex(/^[a-z0-9]{10,40}$/);
const intentSchema = z.enum(["draft", "publish"]);

type PostInput = { title: string; doc: RichDoc; html: string; text: string; fileIds: string[]; visibility: Visibility; tags: string[]; publish: boolean };

/** Reads and checks a post form; every problem found is reported at once, beside its field. */
async function readPostForm(actor: SignedInActor, fields: FormFields): Promise<PostInput> {
  const errors: FieldErrors = {};
  const title = withoutDirectionControls(text(fields, "title")).replace(/\s+/g, " ").trim();
  if (!title) errors.title = { key: "blog:titleRequired" };
  else if ([...title].length > MAX_TITLE) errors.title = { key: "blog:titleTooLong", params: { max: MAX_TITLE } };
  const intent = intentSchema.safeParse(text(fields, "intent") || "publish");
  const publish = intent.success ? intent.data === "publish" : true;
  let body: ReturnType<typeof richTextFromForm> | null = null;
  let visibility: Visibility = "private";
  let tags: string[] = [];
  const attempt = async (run: () => unknown) => {
    try {
      await run();
    } catch (error) {
      if (error instanceof ValidationError) Object.assign(errors, error.fields);
      else throw error;
    }
  };
  await attempt(() => {
    body = richTextFromForm(stringFields(fields), "body");
  });
  await attempt(async () => {
    visibility = chosenVisibility(await ownerOf(actor.id), text(fields, "visibility"));
  });
  await attempt(() => {
    tags = parseTags(text(fields, "tags"));
  });
  const b = body as ReturnType<typeof richTextFromForm> | null;
  if (b && publish && !b.text.trim() && !b.fileIds.length) errors.body = { key: "blog:bodyRequired" };
  if (Object.keys(errors).length || !b) throw new ValidationError(errors);
  return { title, doc: b.doc, html: b.html, text: b.text, fileIds: b.fileIds, visibility, tags, publish };
}

/**
 * The pictures a post shows must be the author's own uploads (drafts, or already this post's): a
 * pasted /files/… address of someone else's picture, or of none, is refused beside the body.
 */
async function checkImages(me: SignedInActor, fileIds: string[], postId: string): Promise<void> {
  if (!fileIds.length) return;
  const rows = await db().select({ id: schema.files.id, ownerId: schema.files.ownerId, attachedTo: schema.files.attachedTo, attachedId: schema.files.attachedId }).from(schema.files).where(inArray(schema.files.id, fileIds));
  const usable = (id: string) => rows.some((r) => r.id === id && r.ownerId === me.id && (r.attachedTo === "draft" || (r.attachedTo === "post" && r.attachedId === postId)));
  if (!fileIds.every(usable)) throw new ValidationError({ body: { key: "blog:imageNotYours" } });
}

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return [...flat].length > EXCERPT_CHARS ? `${[...flat].slice(0, EXCERPT_CHARS).join("")}…` : flat;
}

/** The teachers of the student's current classes: who is told a post or comment waits for them. */
export async function approversOf(studentId: string): Promise<string[]> {
  const classes = (await db()
      .select({ classId: schema.classMemberships.classId })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .where(and(eq(schema.classMemberships.userId, studentId), eq(schema.classMemberships.role, "student"), isNull(schema.classes.archivedAt))))
    .map((r) => r.classId);
  if (!classes.length) return [];
  const rows = await db()
      .select({ userId: schema.classMemberships.userId })
      .from(schema.classMemberships)
      .where(and(inArray(schema.classMemberships.classId, classes), eq(schema.classMemberships.role, "teacher")));
  return [...new Set(rows.map((r) => r.userId))];
}

async function writeTags(tx: Tx, postId: string, tags: string[]): Promise<void> {
  await tx.delete(schema.contentTags).where(and(eq(schema.contentTags.subjectType, "post"), eq(schema.contentTags.subjectId, postId)));
  for (const tag of tags) await tx.insert(schema.contentTags).values({ subjectType: "post", subjectId: postId, tag }).onConflictDoNothing();
}

async function tagsOf(postIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (!postIds.length) return map;
  const rows = await db()
      .select({ id: schema.contentTags.subjectId, tag: schema.contentTags.tag })
      .from(schema.contentTags)
      .where(and(eq(schema.contentTags.subjectType, "post"), inArray(schema.contentTags.subjectId, postIds)))
      .orderBy(schema.contentTags.tag);
  for (const r of rows) map.set(r.id, [...(map.get(r.id) ?? []), r.tag]);
  return map;
}

export type PostForm = {
  /** The id the new post will have: created on the form page, so a second submit finds the first. */
  id: string;
  isNew: boolean;
  title: string;
  bodyJson: unknown;
  bodyText: string;
  visibility: Visibility;
  tags: string;
  version: number;
  status: "draft" | "published";
  approval: ApprovalState;
  visibilities: Visibility[];
  /** A student's published post will wait for a teacher. */
  needsApproval: boolean;
};

/** The form to write a new post (with its id chosen now) or to edit one of the actor's own. */
export async function postForm(actor: Actor, postId?: string): Promise<PostForm> {
  await requireSpaceFeature(actor, "blog");
  const me = requireSignedIn(actor);
  const owner = await ownerOf(me.id);
  const base = { visibilities: allowedVisibilities(owner), needsApproval: await needsApproval(owner) };
  if (!postId) {
    return { ...base, id: randomId(), isNew: true, title: "", bodyJson: null, bodyText: "", visibility: owner.role === "student" ? "classes" : "school", tags: "", version: 0, status: "draft", approval: "none" };
  }
  const post = await ownPost(me, postId);
  return {
    ...base,
    id: post.id,
    isNew: false,
    title: post.title,
    bodyJson: post.bodyJson,
    bodyText: plainTextOf(post.bodyJson),
    visibility: post.visibility,
    tags: [...((await tagsOf([post.id])).get(post.id) ?? [])].join(", "),
    version: post.version,
    status: post.status,
    approval: post.approval,
  };
}

async function ownPost(me: SignedInActor, postId: string): Promise<PostRow> {
  const post = await first(db().select().from(schema.posts).where(eq(schema.posts.id, postId)).limit(1));
  // Someone else's post reads as missing: an edit URL tells nothing about what exists.
  if (!post || post.authorId !== me.id) throw new NotFoundError();
  return post;
}

export type SavedPost = { id: string; status: "draft" | "published"; approval: ApprovalState };

/** "仅自己" is the author's alone: it never waits for (nor is read by) an approver until it is widened. */
async function approvalFor(owner: Awaited<ReturnType<typeof ownerOf>>, publish: boolean, visibility: Visibility): Promise<ApprovalState> {
  return publish && visibility !== "private" && await needsApproval(owner) ? "pending" : "none";
}

async function askApprovers(tx: Tx, studentId: string, postId: string): Promise<void> {
  for (const teacher of await approversOf(studentId)) await notify(tx, teacher, "approval_needed", studentId, { type: "post", id: postId });
}

/**
 * Writes a new post from its form (fields: id, title, body / bodyJson, visibility, tags, intent
 * "draft" | "publish"). Submitting the same form twice (same id) returns the first post unchanged.
 */
export async function createPost(actor: Actor, fields: FormFields): Promise<SavedPost> {
  await requireSpaceFeature(actor, "blog");
  const me = requireSignedIn(actor);
  const id = idSchema.safeParse(text(fields, "id"));
  if (!id.success) throw new ValidationError({}, "errors:invalidInput");
  const existing = await first(db().select().from(schema.posts).where(eq(schema.posts.id, id.data)).limit(1));
  if (existing) {
    // Someone else's id reads as missing, like any object the writer may not see.
    if (existing.authorId !== me.id) throw new NotFoundError();
    return { id: existing.id, status: existing.status, approval: existing.approval };
  }
  const input = await readPostForm(me, fields);
  await checkImages(me, input.fileIds, id.data);
  const owner = await ownerOf(me.id);
  const approval = await approvalFor(owner, input.publish, input.visibility);
  return db().transaction(
    async (tx) => {
      // A second request with the same id may have won the race since the check above.
      const inserted = await changedRows(tx
        .insert(schema.posts)
        .values({
          id: id.data,
          authorId: me.id,
          schoolId: me.schoolId,
          title: input.title,
          bodyJson: input.doc,
          bodyHtml: input.html,
          excerpt: excerptOf(input.text),
          visibility: input.visibility,
          status: input.publish ? "published" : "draft",
          approval,
          publishedAt: input.publish ? new Date() : null,
        })
        .onConflictDoNothing()
        );
      if (!inserted) {
        const original = (await first(tx.select().from(schema.posts).where(eq(schema.posts.id, id.data)).limit(1)))!;
        if (original.authorId !== me.id) throw new NotFoundError();
        return { id: original.id, status: original.status, approval: original.approval };
      }
      await writeTags(tx, id.data, input.tags);
      await attachFiles(tx, me, input.fileIds, { type: "post", id: id.data });
      if (approval === "pending") await askApprovers(tx, me.id, id.data);
      return { id: id.data, status: input.publish ? ("published" as const) : ("draft" as const), approval };
    },
    { behavior: "immediate" },
  );
}

/**
 * An edit from the no-JavaScript textarea carries only text: the post's pictures, which a textarea
 * cannot show, are kept after it rather than silently dropped (and their files deleted).
 */
function keepingPictures(fields: FormFields, storedDoc: unknown): FormFields {
  if (text(fields, "bodyJson").trim()) return fields;
  const content = (storedDoc as { content?: { type?: string }[] } | null)?.content ?? [];
  const pictures = content.filter((n) => n?.type === "image");
  if (!pictures.length) return fields;
  const doc = docFromPlainText(text(fields, "body"));
  const json = JSON.stringify({ type: "doc", content: [...doc.content, ...pictures] });
  return { get: (name: string) => (name === "bodyJson" ? json : fields.get(name)) };
}

/**
 * Saves an edit of the actor's own post. The form carries the version it was made from: if the post
 * changed since (another tab, another device), the edit is refused with "blog:editedElsewhere" and the
 * route shows the form again with the text kept. A student's edit of a published post waits again.
 */
export async function updatePost(actor: Actor, postId: string, fields: FormFields): Promise<SavedPost> {
  await requireSpaceFeature(actor, "blog");
  const me = requireSignedIn(actor);
  const stored = await ownPost(me, postId);
  const input = await readPostForm(me, keepingPictures(fields, stored.bodyJson));
  await checkImages(me, input.fileIds, postId);
  const version = Number(text(fields, "version"));
  const owner = await ownerOf(me.id);
  return db().transaction(
    async (tx) => {
      const post = await first(tx.select().from(schema.posts).where(eq(schema.posts.id, postId)).limit(1));
      if (!post || post.authorId !== me.id) throw new NotFoundError();
      if (!Number.isInteger(version) || version !== post.version) throw new ValidationError({}, "blog:editedElsewhere");
      const approval = await approvalFor(owner, input.publish, input.visibility);
      const publishedAt = input.publish ? (post.publishedAt ?? new Date()) : null;
      await tx.update(schema.posts)
              .set({
                title: input.title,
                bodyJson: input.doc,
                bodyHtml: input.html,
                excerpt: excerptOf(input.text),
                visibility: input.visibility,
                status: input.publish ? "published" : "draft",
                approval,
                approvedBy: null,
                publishedAt,
                version: post.version + 1,
                updatedAt: new Date(),
              })
              .where(and(eq(schema.posts.id, postId), eq(schema.posts.version, post.version)));
      await writeTags(tx, postId, input.tags);
      const before = (await filesOf("post", postId)).map((f) => f.id);
      const gone = before.filter((f) => !input.fileIds.includes(f));
      await attachFiles(tx, me, input.fileIds, { type: "post", id: postId });
      await deleteFiles(tx, me, gone);
      if (approval === "pending") await askApprovers(tx, me.id, postId);
      return { id: postId, status: input.publish ? ("published" as const) : ("draft" as const), approval };
    },
    { behavior: "immediate" },
  );
}

/** Deletes a post: its author, or an admin of the school it was written in (audited). */
export async function deletePost(actor: Actor, postId: string): Promise<{ authorHandle: string }> {
  const me = requireSignedIn(actor);
  const post = await first(db().select().from(schema.posts).where(eq(schema.posts.id, postId)).limit(1));
  if (!post) throw new NotFoundError();
  const isAuthor = post.authorId === me.id;
  const isAdmin = !isAuthor && post.schoolId !== null && isSchoolAdminOf(me, post.schoolId);
  if (!isAuthor && !isAdmin) {
    if (!await canSee(me, audienceOf(post))) throw new NotFoundError();
    throw new ForbiddenError();
  }
  const author = (await first(db().select({ handle: schema.users.handle }).from(schema.users).where(eq(schema.users.id, post.authorId)).limit(1)))!;
  await db().transaction(
    async (tx) => {
      await tx.delete(schema.contentTags).where(and(eq(schema.contentTags.subjectType, "post"), eq(schema.contentTags.subjectId, postId)));
      // The post's images go with it, whoever deletes it.
      await deleteFilesOf(tx, { type: "post", id: postId });
      await tx.delete(schema.posts).where(eq(schema.posts.id, postId));
      if (isAdmin) await recordAudit({ actorId: me.id, action: "post.delete", targetType: "post", targetId: postId, schoolId: post.schoolId, detail: { title: post.title, authorId: post.authorId } }, tx);
    },
    { behavior: "immediate" },
  );
  return { authorHandle: author.handle };
}

export type PostSummary = {
  id: string;
  title: string;
  excerpt: string;
  status: "draft" | "published";
  approval: ApprovalState;
  visibility: Visibility;
  at: Date;
  tags: string[];
  comments: number;
  likes: number;
};

export type PostList = {
  owner: { id: string; handle: string; realName: string };
  isOwner: boolean;
  tag: string | null;
  posts: PostSummary[];
  nextCursor: string | null;
};

/** The person a blog belongs to, by the same entry rule as their space's home (profiles.server). */
async function blogOwner(actor: Actor, handle: string): Promise<{ id: string; handle: string; realName: string }> {
  const { owner } = await spaceOwner(actor, handle);
  return { id: owner.id, handle: owner.handle, realName: owner.realName };
}

const cursorSchema = z.string().regex(/^(\d{1,15})\.([a-z0-9]{10,40})$/);

/**
 * A person's posts the reader may see, newest first, POSTS_PAGE_SIZE at a time (cursor: the time and
 * id of the last one shown); optionally one tag. The owner also sees their drafts and waiting posts.
 */
export async function listPosts(actor: Actor, handle: string, opts: { tag?: string | null; cursor?: string | null } = {}): Promise<PostList> {
  const owner = await blogOwner(actor, handle);
  await requireOwnerFeature(owner.id, "blog");
  const isOwner = actor?.id === owner.id;
  const tag = opts.tag ? (parseTags(opts.tag)[0] ?? null) : null;
  const at = sql<number>`coalesce(${schema.posts.publishedAt}, ${schema.posts.createdAt})`;
  const cursor = cursorSchema.safeParse(opts.cursor ?? "");
  const conditions: (SQL | undefined)[] = [eq(schema.posts.authorId, owner.id)];
  if (!isOwner) conditions.push(eq(schema.posts.status, "published"));
  if (tag) conditions.push(sql`exists (select 1 from content_tags t where t.subject_type = 'post' and t.subject_id = ${schema.posts.id} and t.tag = ${tag})`);
  const page: PostRow[] = [];
  let after = cursor.success ? { at: Number(cursor.data.split(".")[0]), id: cursor.data.split(".")[1]! } : null;
  let more = false;
  // Visibility is decided per post (visibility.server.ts), so rows are read in batches until a page is full.
  for (let round = 0; round < 20 && page.length <= POSTS_PAGE_SIZE; round++) {
    const batch = await db()
          .select()
          .from(schema.posts)
          .where(and(...conditions, after ? or(lt(at, after.at), and(eq(at, after.at), lt(schema.posts.id, after.id))) : undefined))
          .orderBy(desc(at), desc(schema.posts.id))
          .limit(50);
    for (const post of batch) {
      if (page.length > POSTS_PAGE_SIZE) break;
      if (await canSee(actor, audienceOf(post))) page.push(post);
    }
    if (batch.length < 50) break;
    const last = batch[batch.length - 1]!;
    after = { at: (last.publishedAt ?? last.createdAt).getTime(), id: last.id };
  }
  if (page.length > POSTS_PAGE_SIZE) {
    more = true;
    page.length = POSTS_PAGE_SIZE;
  }
  const ids = page.map((p) => p.id);
  const tags = await tagsOf(ids);
  const counts = await countsOf(actor, ids);
  const last = page[page.length - 1];
  return {
    owner,
    isOwner,
    tag,
    posts: page.map((p) => ({
      id: p.id,
      title: p.title,
      excerpt: p.excerpt,
      status: p.status,
      approval: p.approval,
      visibility: p.visibility,
      at: p.publishedAt ?? p.createdAt,
      tags: tags.get(p.id) ?? [],
      comments: counts.comments.get(p.id) ?? 0,
      likes: counts.likes.get(p.id) ?? 0,
    })),
    nextCursor: more && last ? `${(last.publishedAt ?? last.createdAt).getTime()}.${last.id}` : null,
  };
}

/** Comment and like counts per post; comments only those the reader may read (a pupil's are not counted outside their school). */
async function countsOf(actor: Actor, postIds: string[]): Promise<{ comments: Map<string, number>; likes: Map<string, number> }> {
  const comments = new Map<string, number>();
  const likes = new Map<string, number>();
  if (!postIds.length) return { comments, likes };
  const reader = readerFor(actor);
  const perAuthor = await db()
      .select({ id: schema.comments.postId, authorId: schema.comments.authorId, n: sql<number>`count(*)` })
      .from(schema.comments)
      .where(and(inArray(schema.comments.postId, postIds), isNull(schema.comments.removedAt), inArray(schema.comments.approval, ["none", "approved"])))
      .groupBy(schema.comments.postId, schema.comments.authorId);
  await reader.knowAuthors(perAuthor.map((r) => r.authorId));
  for (const r of perAuthor) if (await reader.mayReadWordsOf(r.authorId)) comments.set(r.id, (comments.get(r.id) ?? 0) + r.n);
  for (const r of await db().select({ id: schema.reactions.postId, n: sql<number>`count(*)` }).from(schema.reactions).where(inArray(schema.reactions.postId, postIds)).groupBy(schema.reactions.postId))
    likes.set(r.id, r.n);
  return { comments, likes };
}

export type PostView = {
  id: string;
  title: string;
  html: string;
  status: "draft" | "published";
  approval: ApprovalState;
  visibility: Visibility;
  at: Date;
  updatedAt: Date | null;
  tags: string[];
  author: { id: string; handle: string; realName: string };
  likes: number;
  likedByMe: boolean;
  mayEdit: boolean;
  mayDelete: boolean;
  mayApprove: boolean;
  /** Whether the reader may like it (signed in, the post is published and not waiting). */
  mayLike: boolean;
  /** Whether the reader may comment: as for likes, their own blog is open (they may write), and not a pupil of another school. */
  mayComment: boolean;
  /** The reader is a pupil of another school than the post's: the page says why there is no comment form. */
  commentsOwnSchoolOnly: boolean;
};

async function mayWrite(actor: Actor): Promise<boolean> {
  try {
    await requireSpaceFeature(actor, "blog");
    return true;
  } catch {
    return false;
  }
}

/** A post's row, read once per read-only request (the post page and its comments both ask). */
export function postRow(postId: string): Promise<PostRow | undefined> {
  return oncePerRequest(`post:${postId}`, async () => first(db().select().from(schema.posts).where(eq(schema.posts.id, postId)).limit(1)));
}

/** The post if the reader may see it and its author's blog is open; "not found" otherwise (a guessed URL learns nothing). */
async function visiblePost(actor: Actor, postId: string): Promise<PostRow> {
  const post = await postRow(postId);
  if (!post) {
    requireSignedIn(actor);
    throw new NotFoundError();
  }
  await requireVisible(actor, audienceOf(post));
  await requireOwnerFeature(post.authorId, "blog");
  return post;
}

/** A post as the reader may see it: refused as "not found" if they may not (a guessed URL learns nothing). */
export async function viewPost(actor: Actor, postId: string): Promise<PostView> {
  const post = await visiblePost(actor, postId);
  const author = (await first(db().select({ id: schema.users.id, handle: schema.users.handle, realName: schema.users.realName }).from(schema.users).where(eq(schema.users.id, post.authorId)).limit(1)))!;
  const counts = await countsOf(actor, [post.id]);
  const liked = actor ? Boolean(await first(db().select().from(schema.reactions).where(and(eq(schema.reactions.postId, post.id), eq(schema.reactions.userId, actor.id))).limit(1))) : false;
  const isAuthor = actor?.id === post.authorId;
  const live = post.status === "published" && (post.approval === "none" || post.approval === "approved");
  const pupilOfAnotherSchool = await isPupilOfAnotherSchool(actor, post);
  return {
    id: post.id,
    title: post.title,
    html: post.bodyHtml,
    status: post.status,
    approval: post.approval,
    visibility: post.visibility,
    at: post.publishedAt ?? post.createdAt,
    updatedAt: post.updatedAt,
    tags: (await tagsOf([post.id])).get(post.id) ?? [],
    author,
    likes: counts.likes.get(post.id) ?? 0,
    likedByMe: liked,
    mayEdit: isAuthor,
    mayDelete: isAuthor || Boolean(actor && post.schoolId && isSchoolAdminOf(actor, post.schoolId)),
    mayApprove: !isAuthor && post.approval === "pending" && await readerFor(actor).mayApprove(post.authorId),
    mayLike: Boolean(actor) && live,
    mayComment: Boolean(actor) && live && !pupilOfAnotherSchool && await mayWrite(actor),
    commentsOwnSchoolOnly: live && pupilOfAnotherSchool,
  };
}

/** Whether the actor is a pupil and the post was written at another school: they may read it, not comment on it. */
export async function isPupilOfAnotherSchool(actor: Actor, post: Pick<PostRow, "schoolId">): Promise<boolean> {
  return Boolean(actor) && (await ownerOf(actor!.id)).role === "student" && post.schoolId !== actor!.schoolId;
}

/** A published, visible post for comments and reactions; anything else reads as "not found". */
export async function requireLivePost(actor: Actor, postId: string): Promise<PostRow> {
  const post = await visiblePost(actor, postId);
  if (post.status !== "published" || (post.approval !== "none" && post.approval !== "approved")) throw new ValidationError({}, "blog:notLive");
  return post;
}

// ---------------------------------------------------------------------------------------------
// Approvals

/** Decides a waiting post: a teacher of the student's classes, or an admin of their school. */
export async function decidePost(actor: Actor, postId: string, decision: "approve" | "reject"): Promise<void> {
  const me = requireSignedIn(actor);
  const post = await first(db().select().from(schema.posts).where(eq(schema.posts.id, postId)).limit(1));
  if (!post || !await canSee(me, audienceOf(post))) throw new NotFoundError();
  if (!await readerFor(me).mayApprove(post.authorId) || post.authorId === me.id) throw new ForbiddenError();
  await db().transaction(
    async (tx) => {
      const current = await first(tx.select({ approval: schema.posts.approval, version: schema.posts.version }).from(schema.posts).where(eq(schema.posts.id, postId)).limit(1));
      // Two teachers deciding at once (or a double click): the first decision stands.
      if (!current || current.approval !== "pending") return;
      await tx.update(schema.posts)
              .set({ approval: decision === "approve" ? "approved" : "rejected", approvedBy: me.id })
              .where(eq(schema.posts.id, postId));
      await notify(tx, post.authorId, decision === "approve" ? "approved" : "rejected", me.id, { type: "post", id: postId });
      await recordAudit({ actorId: me.id, action: `post.${decision}`, targetType: "post", targetId: postId, schoolId: post.schoolId, detail: { title: post.title, authorId: post.authorId } }, tx);
    },
    { behavior: "immediate" },
  );
}

export type QueueItem = {
  type: "post" | "comment";
  id: string;
  postId: string;
  postTitle: string;
  authorName: string;
  /** The post's excerpt, or the comment's text. */
  text: string;
  at: Date;
};

/**
 * What waits for the actor's decision: as a teacher, the posts and comments of their classes' students;
 * as a school admin, everything waiting in their school. Oldest first.
 */
export async function approvalQueue(actor: Actor): Promise<QueueItem[]> {
  const me = requireSignedIn(actor);
  const grant = me.roles.find((g) => g.role === me.activeRole);
  const schoolId = me.activeRole === "teacher" ? me.schoolId : me.activeRole === "school_admin" ? (grant?.schoolId ?? null) : null;
  if (!schoolId) throw new ForbiddenError();
  const reader = readerFor(me);
  const posts = (await filterInOrder((await db()
        .select({ id: schema.posts.id, title: schema.posts.title, excerpt: schema.posts.excerpt, authorId: schema.posts.authorId, authorName: schema.users.realName, at: schema.posts.publishedAt, createdAt: schema.posts.createdAt })
        .from(schema.posts)
        .innerJoin(schema.users, eq(schema.users.id, schema.posts.authorId))
        .where(and(eq(schema.posts.approval, "pending"), ne(schema.posts.visibility, "private"), eq(schema.posts.schoolId, schoolId)))), async (p) => p.authorId !== me.id && await reader.mayApprove(p.authorId)));
  const comments = (await filterInOrder((await db()
        .select({ id: schema.comments.id, postId: schema.comments.postId, body: schema.comments.body, authorId: schema.comments.authorId, authorName: schema.users.realName, at: schema.comments.createdAt, postTitle: schema.posts.title })
        .from(schema.comments)
        .innerJoin(schema.users, eq(schema.users.id, schema.comments.authorId))
        .innerJoin(schema.posts, eq(schema.posts.id, schema.comments.postId))
        .where(and(eq(schema.comments.approval, "pending"), isNull(schema.comments.removedAt), ne(schema.posts.visibility, "private"), eq(schema.users.schoolId, schoolId)))), async (c) => c.authorId !== me.id && await reader.mayApprove(c.authorId)));
  const items: QueueItem[] = [
    ...posts.map((p) => ({ type: "post" as const, id: p.id, postId: p.id, postTitle: p.title, authorName: p.authorName, text: p.excerpt, at: p.at ?? p.createdAt })),
    ...comments.map((c) => ({ type: "comment" as const, id: c.id, postId: c.postId, postTitle: c.postTitle, authorName: c.authorName, text: c.body, at: c.at })),
  ];
  return items.sort((a, b) => a.at.getTime() - b.at.getTime());
}
