// 备课: a teacher writes a lesson once (rich text with links, files) and publishes it to any of their
// own classes, now or at a set time; its students see it from then on, and see every later edit at
// once (one lesson, many publications). "Copying" a lesson to another class is one more publication of
// the same lesson, not a second lesson: a correction made once then reaches every class, and the
// files are not stored twice. Writing needs the teacher's space open and the "assignments" capability
// (class teaching) on; reading follows class-access.server.ts.
import { and, desc, eq, inArray, lte } from "drizzle-orm";
import { z } from "zod";
import { db, schema, changedRows, first } from "#db/client";
import { requireActingAs, type Actor, type SignedInActor } from "../foundation/actor.server";
import { classReader, mayReadLesson, taughtClasses } from "./class-access.server";
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from "../foundation/errors.server";
import { attachFiles, deleteFiles, deleteFilesOf, filesOf, orDiscard, type StoredFile } from "../uploads/files.server";
import { randomId } from "../foundation/ids.server";
import { plainTextOf, richTextFromForm } from "../foundation/richtext.server";
import { requireSpaceFeature } from "../spaces/spaces.server";
import { beijingTimeFrom } from "../foundation/beijing-time.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";

export const LESSON_TITLE_MAX = 200;

type Fields = { get(name: string): string | null | undefined };
type LessonRow = typeof schema.lessons.$inferSelect;

export type LessonForm = { title: string; body: string; bodyJson: unknown };
export type ClassChoice = { id: string; name: string };
export type Publication = { classId: string; className: string; publishAt: Date; live: boolean };
export type LessonCard = { id: string; title: string; updatedAt: Date; publications: Publication[] };
export type LessonView = {
  id: string;
  title: string;
  bodyHtml: string;
  files: StoredFile[];
  author: { handle: string; realName: string };
  updatedAt: Date;
  isAuthor: boolean;
  /** For the author: where it is published (or scheduled), and the classes it may still go to. */
  publications: Publication[];
  classChoices: ClassChoice[];
  /** Region-library resources this lesson was made from (title and author), newest first. */
  sources: LessonSource[];
};
export type LessonSource = { resourceId: string; title: string; author: string; schoolName: string | null };

// ---------------------------------------------------------------------------------------------
// Who writes

/** A teacher, acting as one, whose space is open and who may teach classes here. */
async function requireLessonWriter(actor: Actor): Promise<SignedInActor> {
  const { actor: me } = requireActingAs(actor, "teacher");
  await requireSpaceFeature(me, "assignments");
  return me;
}

async function lessonRow(id: string): Promise<LessonRow> {
  const row = await first(db().select().from(schema.lessons).where(eq(schema.lessons.id, id)).limit(1));
  if (!row) throw new NotFoundError();
  return row;
}

/** The writer's own lesson; someone else's reads as "not found", whether or not they may read it. */
async function ownLesson(me: SignedInActor, id: string): Promise<LessonRow> {
  const row = await lessonRow(id);
  if (row.authorId !== me.id) throw new NotFoundError();
  return row;
}

async function publicationsOf(lessonIds: string[], now: number): Promise<Map<string, Publication[]>> {
  const out = new Map<string, Publication[]>();
  if (!lessonIds.length) return out;
  const rows = await db()
      .select({ lessonId: schema.lessonPublications.lessonId, classId: schema.classes.id, className: schema.classes.name, publishAt: schema.lessonPublications.publishAt })
      .from(schema.lessonPublications)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.lessonPublications.classId))
      .where(inArray(schema.lessonPublications.lessonId, lessonIds))
      .orderBy(schema.classes.grade, schema.classes.name);
  for (const r of rows) {
    const list = out.get(r.lessonId) ?? [];
    list.push({ classId: r.classId, className: r.className, publishAt: r.publishAt, live: r.publishAt.getTime() <= now });
    out.set(r.lessonId, list);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The teacher's own lessons, newest change first, with where each is published or scheduled. */
export async function myLessons(actor: Actor, now = Date.now()): Promise<LessonCard[]> {
  const me = await requireLessonWriter(actor);
  // The lessons and their publications in one statement (a row per publication), without the bodies.
  const rows = await db()
      .select({
        id: schema.lessons.id,
        title: schema.lessons.title,
        updatedAt: schema.lessons.updatedAt,
        createdAt: schema.lessons.createdAt,
        publication: { classId: schema.classes.id, className: schema.classes.name, publishAt: schema.lessonPublications.publishAt },
      })
      .from(schema.lessons)
      .leftJoin(schema.lessonPublications, eq(schema.lessonPublications.lessonId, schema.lessons.id))
      .leftJoin(schema.classes, eq(schema.classes.id, schema.lessonPublications.classId))
      .where(eq(schema.lessons.authorId, me.id))
      .orderBy(desc(schema.lessons.createdAt), schema.classes.grade, schema.classes.name);
  const cards = new Map<string, LessonCard>();
  for (const r of rows) {
    let card = cards.get(r.id);
    if (!card) cards.set(r.id, (card = { id: r.id, title: r.title, updatedAt: r.updatedAt ?? r.createdAt, publications: [] }));
    const p = r.publication;
    if (p?.classId && p.className !== null && p.publishAt) card.publications.push({ classId: p.classId, className: p.className, publishAt: p.publishAt, live: p.publishAt.getTime() <= now });
  }
  return [...cards.values()]
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
}

/** One lesson: its author sees it always (with its publications); others once it is published to a class of theirs. */
export async function viewLesson(actor: Actor, id: string, now = Date.now()): Promise<LessonView> {
  const row = await lessonRow(id);
  if (!await mayReadLesson(actor, id, now)) {
    if (!actor) throw new ForbiddenError("errors:signInRequired", 401);
    throw new NotFoundError();
  }
  const isAuthor = actor?.id === row.authorId && actor.activeRole === "teacher";
  const author = (await first(db().select({ handle: schema.users.handle, realName: schema.users.realName }).from(schema.users).where(eq(schema.users.id, row.authorId)).limit(1)))!;
  const publications = isAuthor ? ((await publicationsOf([id], now)).get(id) ?? []) : [];
  const classChoices = isAuthor
    ? (await taughtClasses(actor))
        .filter((k) => !publications.some((p) => p.classId === k.id))
        .map((k) => ({ id: k.id, name: k.name }))
    : [];
  return { id, title: row.title, bodyHtml: row.bodyHtml, files: await filesOf("lesson", id), author, updatedAt: row.updatedAt ?? row.createdAt, isAuthor, publications, classChoices, sources: await sourcesOf(id) };
}

/** The library resources a lesson was made from (recorded as uses by library-use), each once, newest first. */
async function sourcesOf(lessonId: string): Promise<LessonSource[]> {
  const rows = await db()
      .select({ resourceId: schema.libraryUses.resourceId, title: schema.libraryVersions.title, author: schema.users.realName, schoolName: schema.schools.name })
      .from(schema.libraryUses)
      .innerJoin(schema.libraryVersions, eq(schema.libraryVersions.id, schema.libraryUses.versionId))
      .innerJoin(schema.libraryResources, eq(schema.libraryResources.id, schema.libraryUses.resourceId))
      .innerJoin(schema.users, eq(schema.users.id, schema.libraryResources.authorId))
      .leftJoin(schema.schools, eq(schema.schools.id, schema.libraryResources.schoolId))
      .where(eq(schema.libraryUses.lessonId, lessonId))
      .orderBy(desc(schema.libraryUses.createdAt));
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.resourceId) && Boolean(seen.add(r.resourceId)));
}

/** The lessons published to a class by now, newest first (class-access has admitted the reader). */
export async function lessonsOfClass(classId: string, now = Date.now()): Promise<{ id: string; title: string; publishAt: Date; author: string }[]> {
  return db()
      .select({ id: schema.lessons.id, title: schema.lessons.title, publishAt: schema.lessonPublications.publishAt, author: schema.users.realName })
      .from(schema.lessonPublications)
      .innerJoin(schema.lessons, eq(schema.lessons.id, schema.lessonPublications.lessonId))
      .innerJoin(schema.users, eq(schema.users.id, schema.lessons.authorId))
      .where(and(eq(schema.lessonPublications.classId, classId), lte(schema.lessonPublications.publishAt, new Date(now))))
      .orderBy(desc(schema.lessonPublications.publishAt));
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Refuses before any upload is received: only a teacher who may write lessons gets the form. */
export async function newLessonForm(actor: Actor): Promise<{ classChoices: ClassChoice[] }> {
  const me = await requireLessonWriter(actor);
  return { classChoices: (await taughtClasses(me)).map((k) => ({ id: k.id, name: k.name })) };
}

export async function lessonForEdit(actor: Actor, id: string): Promise<{ id: string; version: number; values: LessonForm; files: StoredFile[] }> {
  const me = await requireLessonWriter(actor);
  const row = await ownLesson(me, id);
  return { id, version: row.version, values: { title: row.title, body: plainTextOf(row.bodyJson), bodyJson: row.bodyJson }, files: await filesOf("lesson", id) };
}

/** The form's values as typed, for a form sent back with errors. */
export function lessonFormValues(fields: Fields): LessonForm {
  let bodyJson: unknown = null;
  try {
    bodyJson = fields.get("bodyJson") ? JSON.parse(fields.get("bodyJson")!) : null;
  } catch {
    bodyJson = null;
  }
  return { title: fields.get("title") ?? "", body: fields.get("body") ?? "", bodyJson };
}

const titleShape = z.string().overwrite(withoutDirectionControls).trim().min(1, "lessons:titleRequired").max(LESSON_TITLE_MAX, "lessons:titleTooLong");

function parseLesson(fields: Fields): { title: string; body: ReturnType<typeof richTextFromForm> } {
  const errors: FieldErrors = {};
  const title = titleShape.safeParse(fields.get("title") ?? "");
  if (!title.success) errors.title = { key: title.error.issues[0]?.message ?? "errors:invalidInput" };
  let body: ReturnType<typeof richTextFromForm> | undefined;
  try {
    body = richTextFromForm(fields, "body");
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    Object.assign(errors, error.fields);
  }
  if (body && !body.text.trim() && !body.fileIds.length) errors.body = { key: "lessons:bodyRequired" };
  if (Object.keys(errors).length || !title.success || !body) throw new ValidationError(errors);
  return { title: title.data, body };
}

export async function createLesson(actor: Actor, fields: Fields, uploadedFileIds: string[] = []): Promise<{ id: string }> {
  return orDiscard(actor, uploadedFileIds, async () => {
    const me = await requireLessonWriter(actor);
    const { title, body } = parseLesson(fields);
    const id = randomId();
    await db().transaction(
      async (tx) => {
        await tx.insert(schema.lessons).values({ id, authorId: me.id, schoolId: me.schoolId, title, bodyJson: body.doc, bodyHtml: body.html });
        const attach = [...new Set([...uploadedFileIds, ...body.fileIds])];
        if (attach.length) await attachFiles(tx, me, attach, { type: "lesson", id });
      },
      { behavior: "immediate" },
    );
    return { id };
  });
}

/**
 * Saves an edit made from `version` (students see it at once); if the lesson changed since (another
 * tab, another device), the edit is refused with "lessons:editConflict" and nothing is written.
 * Files named `removeFile.<id>` = "on" are removed.
 */
export async function updateLesson(actor: Actor, id: string, fields: Fields, uploadedFileIds: string[] = []): Promise<void> {
  await orDiscard(actor, uploadedFileIds, async () => {
    const me = await requireLessonWriter(actor);
    await ownLesson(me, id);
    const version = Number(fields.get("version"));
    const { title, body } = parseLesson(fields);
    await db().transaction(
      async (tx) => {
        const changed = (await changedRows(tx
          .update(schema.lessons)
          .set({ title, bodyJson: body.doc, bodyHtml: body.html, version: (Number.isInteger(version) ? version : 0) + 1, updatedAt: new Date() })
          .where(and(eq(schema.lessons.id, id), eq(schema.lessons.version, Number.isInteger(version) ? version : -1)))
          ));
        if (!changed) throw new ValidationError({}, "lessons:editConflict");
        const current = (await filesOf("lesson", id)).map((f) => f.id);
        const remove = current.filter((fid) => fields.get(`removeFile.${fid}`) === "on");
        const attach = [...new Set([...uploadedFileIds, ...body.fileIds])].filter((fid) => !remove.includes(fid));
        if (attach.length) await attachFiles(tx, me, attach, { type: "lesson", id });
        if (remove.length) await deleteFiles(tx, me, remove);
      },
      { behavior: "immediate" },
    );
  });
}

/**
 * Adds the teacher's draft files (copies brought from elsewhere: a group's library, a group thread)
 * after their lesson's files. A file the lesson already has (same content and name) is not added
 * twice: its draft is discarded. Returns the ids attached now.
 */
export async function addFilesToLesson(actor: Actor, id: string, fileIds: string[]): Promise<string[]> {
  return orDiscard(actor, fileIds, async () => {
    const me = await requireLessonWriter(actor);
    return db().transaction(
      async (tx) => {
        await ownLesson(me, id);
        const current = await tx.select().from(schema.files).where(and(eq(schema.files.attachedTo, "lesson"), eq(schema.files.attachedId, id))).orderBy(schema.files.position, schema.files.createdAt);
        const drafts = fileIds.length ? await tx.select().from(schema.files).where(inArray(schema.files.id, fileIds)) : [];
        const fresh = drafts.filter((d) => !current.some((c) => c.sha256 === d.sha256 && c.name === d.name));
        const repeated = drafts.filter((d) => !fresh.includes(d)).map((d) => d.id);
        await attachFiles(tx, me, [...current.map((c) => c.id), ...fresh.map((d) => d.id)], { type: "lesson", id });
        if (repeated.length) await deleteFiles(tx, me, repeated);
        if (fresh.length) await tx.update(schema.lessons).set({ updatedAt: new Date() }).where(eq(schema.lessons.id, id));
        return fresh.map((d) => d.id);
      },
      { behavior: "immediate" },
    );
  });
}

/**
 * Publishes the lesson to some of the teacher's own classes at `publishAt` (Beijing datetime-local;
 * empty: now). Publishing again to a class reschedules it there. This is also how a lesson is copied
 * to another class. A class that is not theirs (another teacher's, another school's) is refused whole.
 */
export async function publishLesson(actor: Actor, id: string, input: { classIds: string[]; publishAt: string | null | undefined }, now = Date.now()): Promise<{ publishAt: Date }> {
  const me = await requireLessonWriter(actor);
  const errors: FieldErrors = {};
  const classIds = [...new Set(input.classIds.filter(Boolean))];
  if (!classIds.length) errors.classIds = { key: "lessons:classRequired" };
  else if ((await taughtClasses(me, classIds)).length !== classIds.length) errors.classIds = { key: "lessons:classNotYours" };
  let publishAt: Date | undefined;
  try {
    publishAt = beijingTimeFrom(input.publishAt, now, "publishAt", "lessons:publishAtInvalid");
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    Object.assign(errors, error.fields);
  }
  if (Object.keys(errors).length || !publishAt) throw new ValidationError(errors);
  const at = publishAt;
  await db().transaction(
    async (tx) => {
      await ownLesson(me, id);
      for (const classId of classIds) {
        await tx.insert(schema.lessonPublications)
                  .values({ lessonId: id, classId, publishAt: at, publishedBy: me.id })
                  .onConflictDoUpdate({ target: [schema.lessonPublications.lessonId, schema.lessonPublications.classId], set: { publishAt: at, publishedBy: me.id } });
      }
    },
    { behavior: "immediate" },
  );
  return { publishAt: at };
}

/** Takes the lesson back from one class (its students no longer see it or its files). */
export async function unpublishLesson(actor: Actor, id: string, classId: string): Promise<void> {
  const me = await requireLessonWriter(actor);
  await db().transaction(
    async (tx) => {
      await ownLesson(me, id);
      await tx.delete(schema.lessonPublications).where(and(eq(schema.lessonPublications.lessonId, id), eq(schema.lessonPublications.classId, classId)));
    },
    { behavior: "immediate" },
  );
}

/** Deletes the lesson, its publications and its files. */
export async function deleteLesson(actor: Actor, id: string): Promise<void> {
  const me = await requireLessonWriter(actor);
  await db().transaction(
    async (tx) => {
      await ownLesson(me, id);
      await deleteFilesOf(tx, { type: "lesson", id });
      await tx.delete(schema.lessonPublications).where(eq(schema.lessonPublications.lessonId, id));
      await tx.delete(schema.lessons).where(eq(schema.lessons.id, id));
    },
    { behavior: "immediate" },
  );
}

/** For the class page: whether the reader may write lessons (a link to /lessons/new). */
export async function mayWriteLessons(actor: Actor, classId: string): Promise<boolean> {
  try {
    const { standing } = await classReader(actor, classId);
    if (standing !== "teacher") return false;
    await requireLessonWriter(actor);
    return true;
  } catch {
    return false;
  }
}
