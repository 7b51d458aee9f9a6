// Group tasks (issue 7, part 6): a teacher of a study group sets the group a task with a due time
// (typed as Beijing time). The task opens a thread of its own where the members work on it; one
// student member hands in the group's one result. Before the due time a later hand-in replaces the
// result (version-checked: a form built on an older result is refused, not written over); after it, a
// result is accepted once and marked late. Each member may then copy the result into their own
// portfolio as a project.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { db, schema, type DB, first } from "#db/client";
import type { Actor, SignedInActor } from "../foundation/actor.server";
import { checksumOf, shortChecksum } from "../classwork/assignments.server";
import { beijingDateOf, beijingLocalTimeOf, beijingTimeFrom } from "../foundation/beijing-time.server";
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from "../foundation/errors.server";
import { attachFiles, deleteFilesOf, discardDrafts, filesOf, orDiscard, type StoredFile } from "../uploads/files.server";
import { isFeatureEnabled } from "../rollout/flags.server";
import { activeMembers, requireGroupMember, type GroupAccess } from "../groups/groups.server";
import { randomId } from "../foundation/ids.server";
import { notify } from "../notices/notifications.server";
import { copyIntoPortfolio } from "../portfolio/portfolio.server";
import { plainTextOf, richTextFromForm } from "../foundation/richtext.server";
import { requireSpaceFeature } from "../spaces/spaces.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";
import { forEachInOrder } from "~/lib/in-order";

export const TASK_TITLE_MAX = 120;

type Fields = { get(name: string): string | null | undefined };
type Tx = Parameters<Parameters<DB["transaction"]>[0]>[0];
export type TaskRow = typeof schema.groupTasks.$inferSelect;
type ResultRow = typeof schema.groupTaskResults.$inferSelect;

/**
 * open: before the due time, nothing handed in · handedIn: a result handed in on time (replaceable
 * until the due time) · late: the result came after the due time · closed: the due time has passed
 * with nothing handed in (one late result is still taken).
 */
export type TaskStatus = "open" | "handedIn" | "late" | "closed";

export function taskStatusOf(task: Pick<TaskRow, "dueAt">, result: Pick<ResultRow, "late"> | undefined, now: number): TaskStatus {
  if (result) return result.late ? "late" : "handedIn";
  return now > task.dueAt.getTime() ? "closed" : "open";
}

/** Whether the acting member may hand in now, and if not why (a key under groupTasks:cannot.*). */
export type HandInRule = { ok: true; late: boolean } | { ok: false; reason: "studentsOnly" | "resultPastDue" };

function handInRule(access: GroupAccess, task: Pick<TaskRow, "dueAt">, result: ResultRow | undefined, now: number): HandInRule {
  if (access.as !== "student") return { ok: false, reason: "studentsOnly" };
  const late = now > task.dueAt.getTime();
  if (late && result) return { ok: false, reason: "resultPastDue" };
  return { ok: true, late };
}

// ---------------------------------------------------------------------------------------------
// Rows

async function taskOf(groupId: string, taskId: string): Promise<TaskRow> {
  const row = await first(db()
      .select()
      .from(schema.groupTasks)
      .where(and(eq(schema.groupTasks.id, taskId), eq(schema.groupTasks.groupId, groupId))).limit(1));
  if (!row) throw new NotFoundError();
  return row;
}

async function resultOf(taskId: string, tx: Pick<DB, "select"> = db()): Promise<ResultRow | undefined> {
  return first(tx.select().from(schema.groupTaskResults).where(eq(schema.groupTaskResults.taskId, taskId)).limit(1));
}

async function nameOf(userId: string): Promise<string> {
  return (await first(db().select({ name: schema.users.realName }).from(schema.users).where(eq(schema.users.id, userId)).limit(1)))?.name ?? "";
}

// ---------------------------------------------------------------------------------------------
// Setting a task

/** The group's teachers set tasks, and only in study groups (a research group's members are all teachers). */
async function requireTaskSetter(actor: Actor, groupId: string): Promise<GroupAccess> {
  const access = await requireGroupMember(actor, groupId);
  if (access.group.kind !== "study") throw new ForbiddenError("groupTasks:studyGroupsOnly");
  if (!access.isGroupTeacher) throw new ForbiddenError("groupTasks:teachersOnly");
  if (access.group.archivedAt) throw new ForbiddenError("groups:archived");
  return access;
}

/** For the "new task" page (and its action, before any upload is received): who may set a task here. */
export async function newTaskForm(actor: Actor, groupId: string): Promise<{ groupName: string; taskId: string }> {
  const access = await requireTaskSetter(actor, groupId);
  return { groupName: access.group.name, taskId: randomId() };
}

export type TaskFormValues = { id: string; title: string; body: string; bodyJson: unknown; dueAt: string };

/** The form as typed, for a form sent back with its errors. */
export function taskFormValues(fields: Fields): TaskFormValues {
  let bodyJson: unknown = null;
  try {
    bodyJson = fields.get("bodyJson") ? JSON.parse(fields.get("bodyJson")!) : null;
  } catch {
    bodyJson = null;
  }
  return { id: fields.get("id") ?? "", title: fields.get("title") ?? "", body: fields.get("body") ?? "", bodyJson, dueAt: fields.get("dueAt") ?? "" };
}

const titleShape = z.string().overwrite(withoutDirectionControls).trim().min(1, "groupTasks:titleRequired").max(TASK_TITLE_MAX, "groupTasks:titleTooLong");
const idShape = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/**
 * Sets a task (fields: id picked by the form, title, body / bodyJson, dueAt as Beijing time) with the
 * files uploaded with it. Opens the task's thread (its opening post is the instructions) and tells every
 * active member. The same form sent twice (same id) returns the first task.
 */
export async function createTask(actor: Actor, groupId: string, fields: Fields, uploadedFileIds: string[] = [], now = Date.now()): Promise<{ id: string; threadId: string }> {
  return orDiscard(actor, uploadedFileIds, async () => {
    const access = await requireTaskSetter(actor, groupId);
    const me = access.me;
    const id = idShape.safeParse(fields.get("id") ?? "");
    if (!id.success) throw new ValidationError({}, "errors:invalidInput");
    const existing = await first(db().select().from(schema.groupTasks).where(eq(schema.groupTasks.id, id.data)).limit(1));
    if (existing) {
      if (existing.createdBy !== me.id || existing.groupId !== groupId) throw new ForbiddenError();
      if (uploadedFileIds.length) await discardDrafts(me, uploadedFileIds);
      return { id: existing.id, threadId: existing.threadId ?? "" };
    }
    const values = taskFormValues(fields);
    const errors: FieldErrors = {};
    const title = titleShape.safeParse(values.title);
    if (!title.success) errors.title = { key: title.error.issues[0]?.message ?? "errors:invalidInput", params: { max: TASK_TITLE_MAX } };
    let dueAt: Date | null = null;
    if (!values.dueAt.trim()) errors.dueAt = { key: "groupTasks:dueRequired" };
    else {
      try {
        dueAt = beijingTimeFrom(values.dueAt, null, "dueAt", "groupTasks:dueInvalid");
        if (dueAt && dueAt.getTime() <= now) errors.dueAt = { key: "groupTasks:dueInPast" };
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        Object.assign(errors, error.fields);
      }
    }
    let body: ReturnType<typeof richTextFromForm> | null = null;
    try {
      body = richTextFromForm(fields, "body");
      if (!body.text.trim() && !body.fileIds.length) errors.body = { key: "groupTasks:instructionsRequired" };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      Object.assign(errors, error.fields);
    }
    if (Object.keys(errors).length || !title.success || !dueAt || !body) throw new ValidationError(errors);
    const threadId = randomId();
    const at = new Date(now);
    await db().transaction(
      async (tx) => {
        await tx.insert(schema.groupTasks)
                  .values({ id: id.data, groupId, title: title.data, instructionsJson: body.doc, instructionsHtml: body.html, dueAt: dueAt!, threadId, createdBy: me.id, createdAt: at });
        const attach = [...new Set([...uploadedFileIds, ...body.fileIds])];
        if (attach.length) await attachFiles(tx, me, attach, { type: "group_task", id: id.data });
        // Members work on the task in its own thread; the thread pages render it like any other.
        await tx.insert(schema.groupThreads).values({ id: threadId, groupId, authorId: me.id, title: title.data, taskId: id.data, postCount: 1, lastPostAt: at, createdAt: at });
        await tx.insert(schema.groupPosts).values({ id: randomId(), threadId, groupId, authorId: me.id, bodyJson: body.doc, bodyHtml: body.html, createdAt: at });
        for (const m of await activeMembers(groupId)) await notify(tx, m.userId, "group_task", me.id, { type: "group_task", id: id.data });
      },
      { behavior: "immediate" },
    );
    return { id: id.data, threadId };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

export type TaskCard = { id: string; title: string; dueAt: Date; status: TaskStatus; createdAt: Date };

/** A group's tasks, soonest due first among those still open, for its members. */
export async function taskList(actor: Actor, groupId: string, now = Date.now()): Promise<{ tasks: TaskCard[]; maySetTasks: boolean; isStudyGroup: boolean }> {
  const access = await requireGroupMember(actor, groupId);
  const rows = await db().select().from(schema.groupTasks).where(eq(schema.groupTasks.groupId, groupId)).orderBy(desc(schema.groupTasks.dueAt));
  const ids = rows.map((r) => r.id);
  const results = new Map(ids.length ? (await db().select().from(schema.groupTaskResults).where(inArray(schema.groupTaskResults.taskId, ids))).map((r) => [r.taskId, r]) : []);
  const cards = rows.map((r) => ({ id: r.id, title: r.title, dueAt: r.dueAt, status: taskStatusOf(r, results.get(r.id), now), createdAt: r.createdAt }));
  // What still needs doing first (soonest due), then the rest (latest due first).
  const open = cards.filter((c) => c.status === "open").sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  return { tasks: [...open, ...cards.filter((c) => c.status !== "open")], maySetTasks: access.isGroupTeacher && access.group.kind === "study" && !access.group.archivedAt, isStudyGroup: access.group.kind === "study" };
}

export type GroupResultView = {
  bodyHtml: string;
  /** The result as plain text: a member replacing it starts from it in the textarea. */
  bodyText: string;
  files: StoredFile[];
  submittedBy: string;
  submittedAt: Date;
  late: boolean;
  version: number;
  checksum: string;
};

export type TaskView = {
  id: string;
  groupId: string;
  groupName: string;
  title: string;
  instructionsHtml: string;
  files: StoredFile[];
  dueAt: Date;
  /** The due time as a datetime-local value (Beijing), for people reading the page in another zone. */
  dueLocal: string;
  createdBy: string;
  threadId: string | null;
  status: TaskStatus;
  result: GroupResultView | null;
  /** The result version the hand-in form is built on (0: none yet). */
  version: number;
  may: HandInRule;
  /** The reader's portfolio copy, if it still exists. */
  myPortfolioItemId: string | null;
  /** Whether the reader's portfolio is open to them (the button shows; the action checks again). */
  portfolioOpen: boolean;
};

async function resultView(result: ResultRow): Promise<GroupResultView> {
  const files = await filesOf("group_result", result.taskId);
  return {
    bodyHtml: result.bodyHtml,
    bodyText: plainTextOf(result.bodyJson),
    files,
    submittedBy: await nameOf(result.submittedBy),
    submittedAt: result.submittedAt,
    late: result.late,
    version: result.version,
    checksum: shortChecksum(checksumOf(result.bodyHtml, await storedHashes(result.taskId))),
  };
}

async function storedHashes(taskId: string, tx: Pick<DB, "select"> = db()): Promise<{ name: string; sha256: string }[]> {
  return tx
      .select({ name: schema.files.name, sha256: schema.files.sha256 })
      .from(schema.files)
      .where(and(eq(schema.files.attachedTo, "group_result"), eq(schema.files.attachedId, taskId)))
      .orderBy(asc(schema.files.position), asc(schema.files.createdAt));
}

async function livePortfolioItem(taskId: string, userId: string): Promise<string | null> {
  const link = await first(db()
      .select({ itemId: schema.groupResultPortfolioItems.portfolioItemId })
      .from(schema.groupResultPortfolioItems)
      .where(and(eq(schema.groupResultPortfolioItems.taskId, taskId), eq(schema.groupResultPortfolioItems.userId, userId))).limit(1));
  if (!link) return null;
  return (await first(db().select({ id: schema.portfolioItems.id }).from(schema.portfolioItems).where(eq(schema.portfolioItems.id, link.itemId)).limit(1)))?.id ?? null;
}

/** One task for a member of its group: instructions, files, due time, status, the result, what they may do. */
export async function taskView(actor: Actor, groupId: string, taskId: string, now = Date.now()): Promise<TaskView> {
  const access = await requireGroupMember(actor, groupId);
  const task = await taskOf(groupId, taskId);
  const result = await resultOf(taskId);
  return {
    id: task.id,
    groupId,
    groupName: access.group.name,
    title: task.title,
    instructionsHtml: task.instructionsHtml,
    files: await filesOf("group_task", task.id),
    dueAt: task.dueAt,
    dueLocal: beijingLocalTimeOf(task.dueAt),
    createdBy: await nameOf(task.createdBy),
    threadId: task.threadId,
    status: taskStatusOf(task, result, now),
    result: result ? await resultView(result) : null,
    version: result?.version ?? 0,
    may: handInRule(access, task, result, now),
    myPortfolioItemId: result ? await livePortfolioItem(taskId, access.me.id) : null,
    portfolioOpen: await isFeatureEnabled(access.me, "portfolio"),
  };
}

// ---------------------------------------------------------------------------------------------
// Handing in the group's result

/**
 * For the hand-in action, before any upload is received: refuses whoever may not hand in here at all
 * (not an active member, not a student of the group, no such task). Timing is decided by handInResult.
 */
export async function requireHandIn(actor: Actor, groupId: string, taskId: string): Promise<void> {
  const access = await requireGroupMember(actor, groupId);
  await taskOf(groupId, taskId);
  if (access.as !== "student") throw new ForbiddenError("groupTasks:cannot.studentsOnly");
}

/**
 * Hands in the group's result (fields: version the form was built on, body / bodyJson, keep.<fileId>
 * for current files to keep) with the files uploaded with it. Refused: anyone but an active student
 * member, an empty result, a form built on a result that has changed since ("handedInMeanwhile"), and
 * any hand-in once a result exists past the due time. The same form sent twice is one hand-in.
 */
export async function handInResult(actor: Actor, groupId: string, taskId: string, fields: Fields, uploadedFileIds: string[] = [], now = Date.now()): Promise<{ version: number; late: boolean }> {
  return orDiscard(actor, uploadedFileIds, async () => {
    const access = await requireGroupMember(actor, groupId);
    const me = access.me;
    const task = await taskOf(groupId, taskId);
    if (access.as !== "student") throw new ForbiddenError("groupTasks:cannot.studentsOnly");
    const seen = Number(fields.get("version") ?? "");
    if (!Number.isInteger(seen) || seen < 0) throw new ValidationError({}, "errors:invalidInput");
    const body = richTextFromForm(fields, "body");
    const before = await resultOf(taskId);
    const repeat = before && await isRepeat(me, before, seen, body.html, uploadedFileIds);
    if (repeat) {
      await discardDrafts(me, uploadedFileIds);
      return { version: before.version, late: before.late };
    }
    const kept = before && before.version === seen ? (await filesOf("group_result", taskId)).filter((f) => fields.get(`keep.${f.id}`) === "on" || fields.get(`keep.${f.id}`) === "1") : [];
    const newFiles = [...new Set([...uploadedFileIds, ...body.fileIds])];
    const empty = !body.text.trim() && !newFiles.length && !kept.length;
    // Checked here first too, so a stale form with nothing new in it is told why it was refused.
    if (empty && (before?.version ?? 0) === seen) throw new ValidationError({ body: { key: "groupTasks:resultEmpty" } });
    return db().transaction(
      async (tx) => {
        // Decided again inside the write lock: two members handing in at once are one after the other here.
        const current = await resultOf(taskId, tx);
        const rule = handInRule(access, task, current, now);
        if (!rule.ok) throw new ValidationError({}, `groupTasks:cannot.${rule.reason}`);
        if ((current?.version ?? 0) !== seen) throw new ValidationError({}, "groupTasks:handedInMeanwhile");
        if (empty) throw new ValidationError({ body: { key: "groupTasks:resultEmpty" } });
        const version = (current?.version ?? 0) + 1;
        const values = { submittedBy: me.id, bodyJson: body.doc, bodyHtml: body.html, late: rule.late, version, submittedAt: new Date(now) };
        if (current) {
          await dropFilesExcept(
            tx,
            taskId,
            kept.map((f) => f.id),
          );
          await tx.update(schema.groupTaskResults).set(values).where(eq(schema.groupTaskResults.taskId, taskId));
        } else {
          await tx.insert(schema.groupTaskResults)
                      .values({ taskId, groupId, ...values });
        }
        if (newFiles.length) await attachFiles(tx, me, newFiles, { type: "group_result", id: taskId });
        // Kept files first, in their order, then the new ones.
        await forEachInOrder([...kept.map((f) => f.id), ...newFiles], async (id, position) => tx.update(schema.files).set({ position }).where(eq(schema.files.id, id)));
        await notify(tx, task.createdBy, "group_task", me.id, { type: "group_task", id: taskId });
        return { version, late: rule.late };
      },
      { behavior: "immediate" },
    );
  });
}

/**
 * A double click or a retried request: the result stands at the version after the one the form saw,
 * handed in by the same person with the same text and the same files. Telling it apart from a stale
 * form keeps one hand-in from being refused as "handed in meanwhile" by itself.
 */
async function isRepeat(me: SignedInActor, current: ResultRow, seen: number, html: string, uploadedFileIds: string[]): Promise<boolean> {
  if (current.version !== seen + 1 || current.submittedBy !== me.id || current.bodyHtml !== html) return false;
  const hashes = async (ids: string[]) => (ids.length ? await db().select({ sha256: schema.files.sha256 }).from(schema.files).where(inArray(schema.files.id, ids)) : []).map((f) => f.sha256).sort();
  const uploaded = await hashes(uploadedFileIds);
  const stored = (await storedHashes(current.taskId))
    .map((f) => f.sha256)
    .sort();
  // The repeat carries the new files again; files it kept are among the stored ones.
  return uploaded.every((h) => stored.includes(h)) && uploaded.length <= stored.length;
}

/**
 * Removes the result's files that were not kept. They may be other members' files (the result is the
 * group's), so they go as the result's attachments, not as the actor's own: the kept ones step aside
 * as drafts for the moment and come back.
 */
async function dropFilesExcept(tx: Tx, taskId: string, keep: string[]): Promise<void> {
  if (keep.length) await tx.update(schema.files).set({ attachedTo: "draft", attachedId: null }).where(and(inArray(schema.files.id, keep), eq(schema.files.attachedTo, "group_result"), eq(schema.files.attachedId, taskId)));
  await deleteFilesOf(tx, { type: "group_result", id: taskId });
  if (keep.length) await tx.update(schema.files).set({ attachedTo: "group_result", attachedId: taskId }).where(inArray(schema.files.id, keep));
}

// ---------------------------------------------------------------------------------------------
// Into each member's portfolio

/**
 * Copies the group's result into the acting member's own portfolio as a private "project": the task's
 * title, the result followed by the group's name, copies of the result's files.
 * Adding it again returns the same item; an item the member deleted may be added again.
 */
export async function addResultToPortfolio(actor: Actor, groupId: string, taskId: string): Promise<{ id: string }> {
  const access = await requireGroupMember(actor, groupId);
  const me = access.me;
  await requireSpaceFeature(me, "portfolio");
  const task = await taskOf(groupId, taskId);
  const result = await resultOf(taskId);
  if (!result) throw new ValidationError({}, "groupTasks:noResultYet");
  const existing = await livePortfolioItem(taskId, me.id);
  if (existing) return { id: existing };
  const made = and(eq(schema.groupResultPortfolioItems.taskId, taskId), eq(schema.groupResultPortfolioItems.userId, me.id));
  return copyIntoPortfolio(
    me,
    {
      title: task.title,
      kind: "project",
      occurredOn: beijingDateOf(result.submittedAt),
      doc: result.bodyJson,
      fileIds: (await filesOf("group_result", taskId)).map((f) => f.id),
      // The members' names are not written into the copy: portfolio.server shows them when read,
      // to those who may see the group's members.
      credit: access.group.name,
    },
    {
      madeBefore: async (tx) => (await first(tx.select({ itemId: schema.groupResultPortfolioItems.portfolioItemId }).from(schema.groupResultPortfolioItems).where(made).limit(1)))?.itemId ?? null,
      record: async (tx, itemId) =>
        tx
                    .insert(schema.groupResultPortfolioItems)
                    .values({ taskId, userId: me.id, portfolioItemId: itemId })
                    .onConflictDoUpdate({ target: [schema.groupResultPortfolioItems.taskId, schema.groupResultPortfolioItems.userId], set: { portfolioItemId: itemId, createdAt: new Date() } }),
    },
  );
}
