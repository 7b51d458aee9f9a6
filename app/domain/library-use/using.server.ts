// Using a library resource: a teacher who may read it copies it into a new or existing lesson of
// theirs (their own copy: their own files, the text theirs to adapt), or publishes it straight to
// their classes as a new lesson. The lesson names its source and author (lessons.server's
// `sources`, read from the uses recorded here). Each use is counted with the teacher's school, for the author and the plan's figures;
// never with pupils.
import { eq } from "drizzle-orm";
import { db, schema } from "#db/client";
import type { Actor } from "../foundation/actor.server";
import { ForbiddenError, NotFoundError, ValidationError } from "../foundation/errors.server";
import { randomId } from "../foundation/ids.server";
import { plainTextOf } from "../foundation/richtext.server";
import { filesOf } from "../uploads/files.server";
import { copyFilesAsDrafts, pointingAtCopies } from "../downloads/file-reading.server";
import { addFilesToLesson, createLesson, myLessons, publishLesson } from "../classwork/lessons.server";
import { taughtClasses } from "../classwork/class-access.server";
import { bumpLibraryVersion, requireLibraryTeacher, resourceRow, resourceStanding } from "../library/library-access.server";

export type UseChoices = {
  lessons: { id: string; title: string }[];
  classes: { id: string; name: string }[];
};

async function readableVersion(actor: Actor, resourceId: string) {
  const standing = await resourceStanding(actor, await resourceRow(resourceId));
  if (!standing.mayUse || !standing.readableVersionId) throw standing.isAuthor ? new ForbiddenError("library:errors.ownResourceUse") : new NotFoundError();
  const version = (await db().select().from(schema.libraryVersions).where(eq(schema.libraryVersions.id, standing.readableVersionId)).limit(1))[0]!;
  return { standing, version };
}

/** The "use it" form: the teacher's lessons to add it to, and their classes to publish it to. */
export async function copyIntoLessonChoices(actor: Actor, resourceId: string): Promise<UseChoices> {
  const teacher = await requireLibraryTeacher(actor);
  const standing = await resourceStanding(actor, await resourceRow(resourceId));
  if (!standing.mayUse) throw standing.isAuthor ? new ForbiddenError("library:errors.ownResourceUse") : new NotFoundError();
  const lessons = (await myLessons(teacher.me)).map((l) => ({ id: l.id, title: l.title }));
  const classes = (await taughtClasses(teacher.me)).map((k) => ({ id: k.id, name: k.name }));
  return { lessons, classes };
}

/**
 * Copies the resource into `lessonId` (one of the teacher's lessons: its files are added) or into a new
 * lesson ("new": its title, text and files), then publishes that lesson to `classIds` (their own
 * classes) if any. Returns the lesson.
 */
export async function copyIntoLesson(actor: Actor, resourceId: string, input: { lessonId: string; classIds: string[] }): Promise<{ lessonId: string }> {
  const teacher = await requireLibraryTeacher(actor);
  const me = teacher.me;
  const { version } = await readableVersion(actor, resourceId);
  const classIds = [...new Set(input.classIds.filter(Boolean))];
  if (classIds.length && (await taughtClasses(me, classIds)).length !== classIds.length) throw new ValidationError({ classIds: { key: "lessons:classNotYours" } });
  if (input.lessonId !== "new") {
    const own = (await myLessons(me)).some((l) => l.id === input.lessonId);
    if (!own) throw new ValidationError({ lessonId: { key: "library:errors.lessonNotYours" } });
  }
  const files = await filesOf("library_version", version.id);
  const copies = files.length ? await copyFilesAsDrafts(me, files.map((f) => f.id)) : new Map<string, string>();
  let lessonId = input.lessonId;
  if (lessonId === "new") {
    // The text as the library holds it, its images pointing at the teacher's own copies.
    const bodyJson = pointingAtCopies(JSON.stringify(version.bodyJson), copies);
    // A lesson needs some text: a resource that is only files gets its title as its text.
    const fields = new Map(plainTextOf(version.bodyJson).trim() ? [["title", version.title], ["bodyJson", bodyJson]] : [["title", version.title], ["body", version.title]]);
    lessonId = (await createLesson(me, fields, [...copies.values()])).id;
  } else if (copies.size) {
    await addFilesToLesson(me, lessonId, [...copies.values()]);
  }
  if (classIds.length) await publishLesson(me, lessonId, { classIds, publishAt: null });
  await db().transaction(
    async (tx) => {
      await tx.insert(schema.libraryUses).values({ id: randomId(), resourceId, versionId: version.id, userId: me.id, schoolId: teacher.schoolId, lessonId, published: classIds.length > 0 });
      await bumpLibraryVersion();
    },
    { behavior: "immediate" },
  );
  return { lessonId };
}
