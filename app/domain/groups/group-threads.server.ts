// A group's discussion (小组讨论): threads with a rich-text opening post and replies, files, mentions of
// members, and the moderators' side: pin, lock, hide, and the reports members make. Only active members
// read and write (requireGroupMember in groups.server.ts); a hidden post stays readable by its author,
// the moderators and the group's teachers ("teachers of a group can see every message in it").
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema, type DB, changedRows, first } from "#db/client";
import type { Actor } from "../foundation/actor.server";
import { fieldErrorsOf, NotFoundError, ValidationError } from "../foundation/errors.server";
import { attachFiles, discardDrafts, fileUrl, orDiscard, type StoredFile } from "../uploads/files.server";
import { activeMembers, moderatorsOf, requireGroupMember, requireGroupModerator, type GroupAccess } from "./groups.server";
import { randomId } from "../foundation/ids.server";
import { notify } from "../notices/notifications.server";
import { plainTextOf, richTextFromForm, scriptLang } from "../foundation/richtext.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";

export const THREAD_TITLE_MAX = 120;
export const REPORT_REASON_MAX = 300;
export const THREAD_LIST_LIMIT = 200;
export const POSTS_PAGE_SIZE = 50;

type Fields = { get(name: string): string | null | undefined };
type Tx = Pick<DB, "select" | "insert" | "update">;
type ThreadRow = typeof schema.groupThreads.$inferSelect;
type PostRow = typeof schema.groupPosts.$inferSelect;

/** Ids the form page picks (a double submit of the same form is one thread, one reply). */
const pickedId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

const threadTitle = z.object({ title: z.string().overwrite(withoutDirectionControls).trim().min(1, "groupThreads:titleRequired").max(THREAD_TITLE_MAX, "groupThreads:titleTooLong") });
const reportReason = z.string().trim().max(REPORT_REASON_MAX, "groupThreads:reasonTooLong");

/** Who reads what is hidden: its author, the moderators and the group's teachers. */
function seesHidden(access: GroupAccess): boolean {
  return access.mayModerate || access.isGroupTeacher;
}

async function threadIn(groupId: string, threadId: string, tx: Pick<DB, "select"> = db()): Promise<ThreadRow> {
  const row = await first(tx
      .select()
      .from(schema.groupThreads)
      .where(and(eq(schema.groupThreads.id, threadId), eq(schema.groupThreads.groupId, groupId))).limit(1));
  if (!row) throw new NotFoundError();
  return row;
}

/** A thread the member may open: a hidden one only for its author and those who see hidden posts. */
async function readableThread(access: GroupAccess, threadId: string, tx: Pick<DB, "select"> = db()): Promise<ThreadRow> {
  const thread = await threadIn(access.group.id, threadId, tx);
  if (thread.hiddenAt && !seesHidden(access) && thread.authorId !== access.me.id) throw new NotFoundError();
  return thread;
}

async function postIn(groupId: string, postId: string): Promise<PostRow> {
  const row = await first(db()
      .select()
      .from(schema.groupPosts)
      .where(and(eq(schema.groupPosts.id, postId), eq(schema.groupPosts.groupId, groupId))).limit(1));
  if (!row) throw new NotFoundError();
  return row;
}

function requireBody(fields: Fields, uploadedFileIds: string[]) {
  const body = richTextFromForm(fields, "body");
  if (!body.text.trim() && !uploadedFileIds.length && !body.fileIds.length) throw new ValidationError({ body: { key: "groupThreads:emptyPost" } });
  return body;
}

// ---------------------------------------------------------------------------------------------
// Mentions and notices

/**
 * The active members named in `text` as "@" + their real name. Names are matched where they stand,
 * with no word boundaries (Chinese, Tibetan and Yi have none); at each "@" the longest name wins, so
 * "@王芳华" is 王芳华 and not also 王芳.
 */
export async function mentionedMembers(groupId: string, text: string): Promise<string[]> {
  if (!text.includes("@") && !text.includes("＠")) return [];
  const members = await activeMembers(groupId);
  if (!members.length) return [];
  const names = (await db()
      .select({ id: schema.users.id, realName: schema.users.realName })
      .from(schema.users)
      .where(
        inArray(
          schema.users.id,
          members.map((m) => m.userId),
        ),
      ))
    .filter((u) => u.realName.trim())
    .sort((a, b) => b.realName.length - a.realName.length);
  const found = new Set<string>();
  const folded = text.normalize("NFC");
  for (let i = 0; i < folded.length; i++) {
    const ch = folded[i];
    if (ch !== "@" && ch !== "＠") continue;
    const named = names.find((u) => folded.startsWith(u.realName.normalize("NFC"), i + 1));
    if (named) found.add(named.id);
  }
  return [...found];
}

/**
 * Mentioned members get "group_mention"; whoever started the thread or posted in it and is still a
 * member gets "group_reply". Nobody twice, never the writer.
 */
async function tellMembers(tx: Tx, access: GroupAccess, threadId: string, text: string, participants: string[]): Promise<void> {
  const subject = { type: "group_thread" as const, id: threadId };
  const told = new Set<string>([access.me.id]);
  for (const userId of await mentionedMembers(access.group.id, text)) {
    if (told.has(userId)) continue;
    told.add(userId);
    await notify(tx, userId, "group_mention", access.me.id, subject);
  }
  const active = new Set((await activeMembers(access.group.id)).map((m) => m.userId));
  for (const userId of participants) {
    if (told.has(userId) || !active.has(userId)) continue;
    told.add(userId);
    await notify(tx, userId, "group_reply", access.me.id, subject);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Refuses before any upload is received: only active members write in a group. */
export async function requireThreadWriter(actor: Actor, groupId: string): Promise<GroupAccess> {
  return requireGroupMember(actor, groupId);
}

/** The "new thread" form: its id is picked now, so a second send of the same form is the same thread. */
export async function newThreadForm(actor: Actor, groupId: string): Promise<{ threadId: string }> {
  await requireGroupMember(actor, groupId);
  return { threadId: randomId() };
}

export type ThreadFormValues = { title: string; body: string; bodyJson: string | null; threadId: string };

export function threadFormValues(fields: Fields): ThreadFormValues {
  return { title: fields.get("title") ?? "", body: fields.get("body") ?? "", bodyJson: fields.get("bodyJson") || null, threadId: fields.get("threadId") ?? "" };
}

/**
 * Starts a thread: a title (1–120 characters) and an opening post (rich text and/or files), written
 * together. The form's `threadId` sent again (double click, retried request) returns the same thread.
 * Mentioned members are told.
 */
export async function startThread(actor: Actor, groupId: string, fields: Fields, uploadedFileIds: string[] = []): Promise<{ threadId: string }> {
  return orDiscard(actor, uploadedFileIds, async () => {
    const access = await requireGroupMember(actor, groupId);
    const me = access.me;
    const picked = pickedId.safeParse(fields.get("threadId") ?? "");
    const threadId = picked.success ? picked.data : randomId();
    const again = await first(db().select().from(schema.groupThreads).where(eq(schema.groupThreads.id, threadId)).limit(1));
    if (again) {
      // Someone else's thread, or one in another group, is not a retry of this form.
      if (again.groupId !== groupId || again.authorId !== me.id) throw new ValidationError({}, "errors:invalidInput");
      if (uploadedFileIds.length) await discardDrafts(me, uploadedFileIds);
      return { threadId };
    }
    const title = threadTitle.safeParse({ title: fields.get("title") ?? "" });
    const errors = title.success ? {} : fieldErrorsOf(title.error);
    let body: Awaited<ReturnType<typeof requireBody>> | null = null;
    try {
      body = requireBody(fields, uploadedFileIds);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      Object.assign(errors, error.fields);
    }
    if (!title.success || !body) throw new ValidationError(errors.title ? { ...errors, title: { ...errors.title, params: { max: THREAD_TITLE_MAX } } } : errors);
    const postId = randomId();
    const now = new Date();
    await db().transaction(
      async (tx) => {
        await tx.insert(schema.groupThreads).values({ id: threadId, groupId, authorId: me.id, title: title.data.title, postCount: 1, lastPostAt: now, createdAt: now });
        await tx.insert(schema.groupPosts).values({ id: postId, threadId, groupId, authorId: me.id, bodyJson: body.doc, bodyHtml: body.html, createdAt: now });
        const attach = [...new Set([...uploadedFileIds, ...body.fileIds])];
        if (attach.length) await attachFiles(tx, me, attach, { type: "group_post", id: postId });
        await tellMembers(tx, access, threadId, body.text, []);
      },
      { behavior: "immediate" },
    );
    return { threadId };
  });
}

/**
 * Refuses a reply before its upload is received: not a member, or no such thread for them. A locked
 * thread is refused by `reply` itself, so the typed text comes back to the form on the thread page.
 */
export async function requireReplier(actor: Actor, groupId: string, threadId: string): Promise<GroupAccess> {
  const access = await requireGroupMember(actor, groupId);
  await readableThread(access, threadId);
  return access;
}

/**
 * Replies in a thread (rich text or the no-JS textarea, and/or files). Refused: a locked thread, an
 * empty reply, anyone no longer a member. The page picks `postId`, so a second send is one reply.
 */
export async function reply(actor: Actor, groupId: string, threadId: string, fields: Fields, uploadedFileIds: string[] = []): Promise<{ postId: string }> {
  return orDiscard(actor, uploadedFileIds, async () => {
    const access = await requireGroupMember(actor, groupId);
    const me = access.me;
    await readableThread(access, threadId);
    const picked = pickedId.safeParse(fields.get("postId") ?? "");
    const postId = picked.success ? picked.data : randomId();
    const again = await first(db().select().from(schema.groupPosts).where(eq(schema.groupPosts.id, postId)).limit(1));
    if (again) {
      if (again.threadId !== threadId || again.authorId !== me.id) throw new ValidationError({}, "errors:invalidInput");
      if (uploadedFileIds.length) await discardDrafts(me, uploadedFileIds);
      return { postId };
    }
    const body = requireBody(fields, uploadedFileIds);
    const now = new Date();
    await db().transaction(
      async (tx) => {
        // Decided inside the write lock: a reply racing a lock is refused, not slipped in after it.
        const thread = await threadIn(groupId, threadId, tx);
        if (thread.lockedAt) throw new ValidationError({}, "groupThreads:locked");
        const participants = (await tx
                  .selectDistinct({ authorId: schema.groupPosts.authorId })
                  .from(schema.groupPosts)
                  .where(eq(schema.groupPosts.threadId, threadId)))
          .map((p) => p.authorId);
        await tx.insert(schema.groupPosts).values({ id: postId, threadId, groupId, authorId: me.id, bodyJson: body.doc, bodyHtml: body.html, createdAt: now });
        await tx.update(schema.groupThreads)
                  .set({ postCount: sql`${schema.groupThreads.postCount} + 1`, lastPostAt: now })
                  .where(eq(schema.groupThreads.id, threadId));
        const attach = [...new Set([...uploadedFileIds, ...body.fileIds])];
        if (attach.length) await attachFiles(tx, me, attach, { type: "group_post", id: postId });
        await tellMembers(tx, access, threadId, body.text, [thread.authorId, ...participants]);
      },
      { behavior: "immediate" },
    );
    return { postId };
  });
}

// ---------------------------------------------------------------------------------------------
// Moderation

/** Pinned threads head the list (moderators). */
export async function setThreadPinned(actor: Actor, groupId: string, threadId: string, pinned: boolean): Promise<void> {
  await requireGroupModerator(actor, groupId);
  await threadIn(groupId, threadId);
  await db()
      .update(schema.groupThreads)
      .set({ pinnedAt: pinned ? new Date() : null })
      .where(eq(schema.groupThreads.id, threadId));
}

/** A locked thread takes no more replies (moderators). */
export async function setThreadLocked(actor: Actor, groupId: string, threadId: string, locked: boolean): Promise<void> {
  const { me } = await requireGroupModerator(actor, groupId);
  await threadIn(groupId, threadId);
  await db()
      .update(schema.groupThreads)
      .set(locked ? { lockedAt: new Date(), lockedBy: me.id } : { lockedAt: null, lockedBy: null })
      .where(eq(schema.groupThreads.id, threadId));
}

/**
 * Hides or shows a post (moderators). Hiding the opening post hides the whole thread. A hidden post is
 * not deleted: its author, the moderators and the group's teachers still read it.
 */
export async function setPostHidden(actor: Actor, groupId: string, postId: string, hidden: boolean): Promise<void> {
  const { me } = await requireGroupModerator(actor, groupId);
  const post = await postIn(groupId, postId);
  const now = new Date();
  await db().transaction(
    async (tx) => {
      await tx.update(schema.groupPosts)
              .set(hidden ? { hiddenAt: now, hiddenBy: me.id } : { hiddenAt: null, hiddenBy: null })
              .where(eq(schema.groupPosts.id, postId));
      if (await openingPostId(post.threadId, tx) === postId) {
        await tx.update(schema.groupThreads)
                  .set(hidden ? { hiddenAt: now, hiddenBy: me.id } : { hiddenAt: null, hiddenBy: null })
                  .where(eq(schema.groupThreads.id, post.threadId));
      }
    },
    { behavior: "immediate" },
  );
}

async function openingPostId(threadId: string, tx: Pick<DB, "select"> = db()): Promise<string | undefined> {
  return (await first(tx
      .select({ id: schema.groupPosts.id })
      .from(schema.groupPosts)
      .where(eq(schema.groupPosts.threadId, threadId))
      .orderBy(asc(schema.groupPosts.createdAt), asc(schema.groupPosts.id))
      .limit(1)))?.id;
}

/**
 * A member reports a post they can see (once each; a second report changes nothing). The moderators
 * are told, and see the open reports on the thread page.
 */
export async function reportPost(actor: Actor, groupId: string, postId: string, rawReason: unknown): Promise<{ created: boolean }> {
  const access = await requireGroupMember(actor, groupId);
  const post = await postIn(groupId, postId);
  await readableThread(access, post.threadId);
  if (post.hiddenAt && !seesHidden(access) && post.authorId !== access.me.id) throw new NotFoundError();
  const reason = reportReason.safeParse(typeof rawReason === "string" ? rawReason : "");
  if (!reason.success) throw new ValidationError({ reason: { key: "groupThreads:reasonTooLong", params: { max: REPORT_REASON_MAX } } });
  return db().transaction(
    async (tx) => {
      const done = await changedRows(tx.insert(schema.groupReports).values({ id: randomId(), postId, groupId, reporterId: access.me.id, reason: reason.data }).onConflictDoNothing());
      if (!done) return { created: false };
      for (const m of await moderatorsOf(access.group)) await notify(tx, m.userId, "group_report", access.me.id, { type: "group_thread", id: post.threadId });
      return { created: true };
    },
    { behavior: "immediate" },
  );
}

/** A moderator closes a report (whether or not they hid the post). */
export async function resolveReport(actor: Actor, groupId: string, reportId: string): Promise<void> {
  const { me } = await requireGroupModerator(actor, groupId);
  const report = await first(db()
      .select()
      .from(schema.groupReports)
      .where(and(eq(schema.groupReports.id, reportId), eq(schema.groupReports.groupId, groupId))).limit(1));
  if (!report) throw new NotFoundError();
  if (report.resolvedAt) return;
  await db().update(schema.groupReports).set({ resolvedAt: new Date(), resolvedBy: me.id }).where(eq(schema.groupReports.id, reportId));
}

// ---------------------------------------------------------------------------------------------
// Reading

export type ThreadCard = {
  id: string;
  title: string;
  titleLang: "bo" | "ii" | null;
  authorName: string;
  replies: number;
  lastPostAt: Date;
  pinned: boolean;
  locked: boolean;
  hidden: boolean;
  taskId: string | null;
  /** Open reports on its posts (moderators only; 0 for others). */
  openReports: number;
};

/** The group's threads: pinned first, then by the last post. Hidden threads only for those who see hidden posts (and their author). */
export async function threadList(actor: Actor, groupId: string): Promise<{ threads: ThreadCard[]; mayModerate: boolean; openReports: number }> {
  const access = await requireGroupMember(actor, groupId);
  const t = schema.groupThreads;
  const visible = seesHidden(access) ? undefined : sql`(${t.hiddenAt} is null or ${t.authorId} = ${access.me.id})`;
  const rows = await db()
      .select({ thread: t, authorName: schema.users.realName })
      .from(t)
      .innerJoin(schema.users, eq(schema.users.id, t.authorId))
      .where(and(eq(t.groupId, groupId), visible))
      .orderBy(sql`${t.pinnedAt} is null`, desc(t.pinnedAt), desc(t.lastPostAt), desc(t.id))
      .limit(THREAD_LIST_LIMIT);
  const reports = new Map<string, number>();
  if (access.mayModerate) {
    const open = await db()
          .select({ threadId: schema.groupPosts.threadId, n: sql<number>`count(*)` })
          .from(schema.groupReports)
          .innerJoin(schema.groupPosts, eq(schema.groupPosts.id, schema.groupReports.postId))
          .where(and(eq(schema.groupReports.groupId, groupId), isNull(schema.groupReports.resolvedAt)))
          .groupBy(schema.groupPosts.threadId);
    for (const r of open) reports.set(r.threadId, r.n);
  }
  const threads = rows.map(({ thread, authorName }) => ({
    id: thread.id,
    title: thread.title,
    titleLang: scriptLang(thread.title),
    authorName,
    replies: Math.max(0, thread.postCount - 1),
    lastPostAt: thread.lastPostAt,
    pinned: thread.pinnedAt !== null,
    locked: thread.lockedAt !== null,
    hidden: thread.hiddenAt !== null,
    taskId: thread.taskId,
    openReports: reports.get(thread.id) ?? 0,
  }));
  return { threads, mayModerate: access.mayModerate, openReports: [...reports.values()].reduce((a, b) => a + b, 0) };
}

export type ThreadPost = {
  id: string;
  isOpening: boolean;
  author: { id: string; handle: string; realName: string; schoolName: string | null; isActiveMember: boolean; role: "owner" | "moderator" | "member" | null };
  createdAt: Date;
  /** Null when the post is hidden from the reader: the page says "a post was hidden". */
  bodyHtml: string | null;
  bodyLang: "bo" | "ii" | null;
  hidden: boolean;
  files: StoredFile[];
  mine: boolean;
  /** Whether the reader may remove the author from the group (moderators; a moderator only by the owner). */
  removable: boolean;
  reportedByMe: boolean;
};

export type ThreadReport = { id: string; postId: string; reporterName: string; reason: string; createdAt: Date };

export type ThreadView = {
  thread: { id: string; title: string; titleLang: "bo" | "ii" | null; authorName: string; createdAt: Date; pinned: boolean; locked: boolean; hidden: boolean; taskId: string | null };
  posts: ThreadPost[];
  page: number;
  pages: number;
  may: { reply: boolean; moderate: boolean };
  /** Open reports on the thread's posts (moderators only). */
  reports: ThreadReport[];
  /** The id a reply sent from this page is stored under (a second send is the same reply). */
  nextPostId: string;
};

/** One thread, a page of its posts in order, with the controls the reader may use. */
export async function threadView(actor: Actor, groupId: string, threadId: string, page = 1): Promise<ThreadView> {
  const access = await requireGroupMember(actor, groupId);
  const thread = await readableThread(access, threadId);
  const p = schema.groupPosts;
  // The page asked for and the thread's length in one statement; past the last page, the last page.
  const pageOf = async (n: number) =>
    db()
            .select({ post: p, handle: schema.users.handle, realName: schema.users.realName, total: sql<number>`count(*) over ()` })
            .from(p)
            .innerJoin(schema.users, eq(schema.users.id, p.authorId))
            .where(eq(p.threadId, threadId))
            .orderBy(asc(p.createdAt), asc(p.id))
            .limit(POSTS_PAGE_SIZE)
            .offset((n - 1) * POSTS_PAGE_SIZE);
  const asked = Math.max(1, Math.floor(page) || 1);
  let rows = await pageOf(asked);
  let total = rows[0]?.total ?? 0;
  if (!rows.length && asked > 1) {
    total = (await first(db().select({ n: sql<number>`count(*)` }).from(p).where(eq(p.threadId, threadId)).limit(1)))?.n ?? 0;
    rows = await pageOf(Math.max(1, Math.ceil(total / POSTS_PAGE_SIZE)));
  }
  const pages = Math.max(1, Math.ceil(total / POSTS_PAGE_SIZE));
  const current = Math.min(pages, asked);
  const opening = current === 1 ? rows[0]?.post.id : await openingPostId(threadId);
  const authorIds = [...new Set(rows.map((r) => r.post.authorId))];
  const memberships = new Map(
    authorIds.length
      ? (await db()
                    .select({ userId: schema.groupMembers.userId, state: schema.groupMembers.state, role: schema.groupMembers.role, schoolName: schema.schools.name })
                    .from(schema.groupMembers)
                    .leftJoin(schema.schools, eq(schema.schools.id, schema.groupMembers.schoolId))
                    .where(and(eq(schema.groupMembers.groupId, groupId), inArray(schema.groupMembers.userId, authorIds))))
          .map((m) => [m.userId, m])
      : [],
  );
  const postIds = rows.map((r) => r.post.id);
  const fileRows = postIds.length
    ? await db()
              .select()
              .from(schema.files)
              .where(and(eq(schema.files.attachedTo, "group_post"), inArray(schema.files.attachedId, postIds)))
              .orderBy(asc(schema.files.position), asc(schema.files.createdAt))
    : [];
  const mine = new Set(
    postIds.length
      ? (await db()
                    .select({ postId: schema.groupReports.postId })
                    .from(schema.groupReports)
                    .where(and(inArray(schema.groupReports.postId, postIds), eq(schema.groupReports.reporterId, access.me.id))))
          .map((r) => r.postId)
      : [],
  );
  const hiddenVisible = seesHidden(access);
  const posts = rows.map(({ post, handle, realName }) => {
    const readable = !post.hiddenAt || hiddenVisible || post.authorId === access.me.id;
    const m = memberships.get(post.authorId);
    return {
      id: post.id,
      isOpening: post.id === opening,
      author: { id: post.authorId, handle, realName, schoolName: m?.schoolName ?? null, isActiveMember: m?.state === "active", role: m?.state === "active" ? m.role : null },
      createdAt: post.createdAt,
      bodyHtml: readable ? post.bodyHtml : null,
      bodyLang: readable ? scriptLang(plainTextOf(post.bodyJson)) : null,
      hidden: post.hiddenAt !== null,
      files: readable
        ? fileRows
            .filter((f) => f.attachedId === post.id)
            .map((f) => ({ id: f.id, name: f.name, mimeType: f.mimeType, size: f.size, url: fileUrl(f.id, f.name), isImage: f.mimeType.startsWith("image/") }))
        : [],
      mine: post.authorId === access.me.id,
      // removeMember's own rule: moderators remove members; only the owner removes a moderator.
      removable: access.mayModerate && post.authorId !== access.me.id && m?.state === "active" && (m.role === "member" || (m.role === "moderator" && access.membership?.role === "owner")),
      reportedByMe: mine.has(post.id),
    };
  });
  const reports = access.mayModerate
    ? await db()
              .select({ id: schema.groupReports.id, postId: schema.groupReports.postId, reporterName: schema.users.realName, reason: schema.groupReports.reason, createdAt: schema.groupReports.createdAt })
              .from(schema.groupReports)
              .innerJoin(schema.groupPosts, eq(schema.groupPosts.id, schema.groupReports.postId))
              .innerJoin(schema.users, eq(schema.users.id, schema.groupReports.reporterId))
              .where(and(eq(schema.groupPosts.threadId, threadId), isNull(schema.groupReports.resolvedAt)))
              .orderBy(asc(schema.groupReports.createdAt))
    : [];
  // On the first page the thread's author is usually the first post's: no statement then.
  const authorName =
    rows.find((r) => r.post.authorId === thread.authorId)?.realName ??
    (await first(db().select({ name: schema.users.realName }).from(schema.users).where(eq(schema.users.id, thread.authorId)).limit(1)))?.name ??
    "";
  return {
    thread: {
      id: thread.id,
      title: thread.title,
      titleLang: scriptLang(thread.title),
      authorName,
      createdAt: thread.createdAt,
      pinned: thread.pinnedAt !== null,
      locked: thread.lockedAt !== null,
      hidden: thread.hiddenAt !== null,
      taskId: thread.taskId,
    },
    posts,
    page: current,
    pages,
    may: { reply: !thread.lockedAt, moderate: access.mayModerate },
    reports,
    nextPostId: randomId(),
  };
}
