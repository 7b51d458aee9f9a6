// A group's shared library (资源库): files and links its members add, at the top or in one level of
// folders, each showing who added it and when; and "copy to my lesson", which brings a group file (a
// library entry or a file posted in a thread) into one of the teacher's own lessons as their own copy:
// the lesson's readers are their classes, not the group, so the lesson never points at the group's file.
// Every function starts from requireGroupMember: someone who left or was removed reads and adds nothing.
import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { db, schema, first } from "#db/client";
import type { Actor } from "../foundation/actor.server";
import { fieldErrorsOf, ForbiddenError, NotFoundError, ValidationError } from "../foundation/errors.server";
import { copyFilesAsDrafts } from "../downloads/file-reading.server";
import { attachFiles, deleteFilesOf, discardDrafts, fileUrl, type StoredFile } from "../uploads/files.server";
import { mayReadGroupFile, requireGroupMember, searchFold, type GroupAccess } from "../groups/groups.server";
import { randomId } from "../foundation/ids.server";
import { addFilesToLesson, createLesson, LESSON_TITLE_MAX, myLessons } from "../classwork/lessons.server";
import { safeHref, scriptLang } from "../foundation/richtext.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";

export const FOLDER_NAME_MAX = 60;
export const LINK_TITLE_MAX = 120;
/** Files one upload form may bring into the library. */
export const LIBRARY_MAX_FILES = 10;

type Fields = { get(name: string): string | null | undefined };
type FolderRow = typeof schema.groupFolders.$inferSelect;
type ResourceRow = typeof schema.groupResources.$inferSelect;

/** `lang`: "bo" or "ii" for a name written in Tibetan or Yi, so it renders right on a Chinese page. */
export type LibraryFolder = { id: string; name: string; lang: "bo" | "ii" | null; entryCount: number; mayRename: boolean; mayDelete: boolean };
export type LibraryEntry = {
  id: string;
  kind: "file" | "link";
  title: string;
  lang: "bo" | "ii" | null;
  /** A link's address (http/https only); a file's download URL. */
  href: string;
  file: StoredFile | null;
  folderId: string | null;
  addedBy: { realName: string; schoolName: string | null };
  addedAt: Date;
  mayRemove: boolean;
};
export type LibraryView = {
  groupId: string;
  /** The folder shown, or null for the library's top. */
  folder: { id: string; name: string; lang: "bo" | "ii" | null; mayRename: boolean; mayDelete: boolean } | null;
  /** Every folder (shown at the top; offered as where to add). */
  folders: LibraryFolder[];
  entries: LibraryEntry[];
  /** A teacher who may write lessons sees "copy to my lesson" beside each file. */
  mayCopyToLesson: boolean;
};

// ---------------------------------------------------------------------------------------------
// Reading

async function folderOf(groupId: string, folderId: string): Promise<FolderRow> {
  const row = await first(db()
      .select()
      .from(schema.groupFolders)
      .where(and(eq(schema.groupFolders.id, folderId), eq(schema.groupFolders.groupId, groupId))).limit(1));
  if (!row) throw new NotFoundError();
  return row;
}

async function liveEntryCounts(groupId: string): Promise<Map<string | null, number>> {
  const rows = await db()
      .select({ folderId: schema.groupResources.folderId, n: count() })
      .from(schema.groupResources)
      .where(and(eq(schema.groupResources.groupId, groupId), isNull(schema.groupResources.removedAt)))
      .groupBy(schema.groupResources.folderId);
  return new Map(rows.map((r) => [r.folderId, r.n]));
}

const mayRenameFolder = (access: GroupAccess, folder: FolderRow) => access.mayModerate || folder.createdBy === access.me.id;
/** Moderators delete any folder (its entries move to the top: nothing is lost); its creator an empty one. */
const mayDeleteFolder = (access: GroupAccess, folder: FolderRow, entries: number) => access.mayModerate || (folder.createdBy === access.me.id && entries === 0);
const mayRemoveEntry = (access: GroupAccess, entry: Pick<ResourceRow, "addedBy">) => access.mayModerate || entry.addedBy === access.me.id;

/** Whether the actor may copy group files into lessons: a teacher, acting as one, who may write lessons. */
export async function mayCopyToLesson(actor: Actor): Promise<boolean> {
  if (actor?.activeRole !== "teacher") return false;
  try {
    await myLessons(actor);
    return true;
  } catch {
    return false;
  }
}

/** The library page: the folders with their counts, and the entries of the top or of one folder, newest first. */
export async function libraryView(actor: Actor, groupId: string, folderId?: string | null): Promise<LibraryView> {
  const access = await requireGroupMember(actor, groupId);
  const folder = folderId ? await folderOf(groupId, folderId) : null;
  const counts = await liveEntryCounts(groupId);
  const folders = (await db()
      .select()
      .from(schema.groupFolders)
      .where(eq(schema.groupFolders.groupId, groupId))
      .orderBy(asc(schema.groupFolders.name)))
    .map((f) => {
      const entryCount = counts.get(f.id) ?? 0;
      return { id: f.id, name: f.name, lang: scriptLang(f.name), entryCount, mayRename: mayRenameFolder(access, f), mayDelete: mayDeleteFolder(access, f, entryCount) };
    });
  const r = schema.groupResources;
  const rows = await db()
      .select({ resource: r, realName: schema.users.realName, schoolName: schema.schools.name })
      .from(r)
      .innerJoin(schema.users, eq(schema.users.id, r.addedBy))
      // The school they were in the group for (cross-school groups show where each entry came from).
      .leftJoin(schema.groupMembers, and(eq(schema.groupMembers.groupId, r.groupId), eq(schema.groupMembers.userId, r.addedBy)))
      .leftJoin(schema.schools, eq(schema.schools.id, sql`coalesce(${schema.groupMembers.schoolId}, ${schema.users.schoolId})`))
      .where(and(eq(r.groupId, groupId), isNull(r.removedAt), folder ? eq(r.folderId, folder.id) : isNull(r.folderId)))
      .orderBy(desc(r.createdAt), asc(r.id));
  const fileIds = rows.filter((x) => x.resource.kind === "file").map((x) => x.resource.id);
  const files = new Map(
    fileIds.length
      ? (await db()
                    .select()
                    .from(schema.files)
                    .where(and(eq(schema.files.attachedTo, "group_resource"), inArray(schema.files.attachedId, fileIds))))
          .map((f) => [f.attachedId, { id: f.id, name: f.name, mimeType: f.mimeType, size: f.size, url: fileUrl(f.id, f.name), isImage: f.mimeType.startsWith("image/") } satisfies StoredFile])
      : [],
  );
  const entries: LibraryEntry[] = [];
  for (const { resource, realName, schoolName } of rows) {
    const file = resource.kind === "file" ? (files.get(resource.id) ?? null) : null;
    // A file entry whose file is gone (removed by hand from storage) has nothing to offer.
    if (resource.kind === "file" && !file) continue;
    entries.push({
      id: resource.id,
      kind: resource.kind,
      title: resource.title,
      lang: scriptLang(resource.title),
      href: file ? file.url : (resource.url ?? ""),
      file,
      folderId: resource.folderId,
      addedBy: { realName, schoolName },
      addedAt: resource.createdAt,
      mayRemove: mayRemoveEntry(access, resource),
    });
  }
  const shown = folder ? folders.find((f) => f.id === folder.id)! : null;
  return {
    groupId,
    folder: shown ? { id: shown.id, name: shown.name, lang: shown.lang, mayRename: shown.mayRename, mayDelete: shown.mayDelete } : null,
    folders,
    entries,
    mayCopyToLesson: await mayCopyToLesson(actor),
  };
}

// ---------------------------------------------------------------------------------------------
// Folders

const folderName = z.string().overwrite(withoutDirectionControls).trim().min(1, "groupLibrary:folderNameRequired").max(FOLDER_NAME_MAX, "groupLibrary:folderNameTooLong");

/** The name, or a field error; a name another folder of the group already has (full-width and case folded) is refused. */
async function validFolderName(groupId: string, raw: string | null | undefined, exceptId: string | null): Promise<string> {
  const parsed = z.object({ name: folderName }).safeParse({ name: raw ?? "" });
  if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error));
  const name = parsed.data.name;
  const folded = searchFold(name);
  const taken = (await db()
      .select({ id: schema.groupFolders.id, name: schema.groupFolders.name })
      .from(schema.groupFolders)
      .where(eq(schema.groupFolders.groupId, groupId)))
    .some((f) => f.id !== exceptId && searchFold(f.name) === folded);
  if (taken) throw new ValidationError({ name: { key: "groupLibrary:folderNameTaken", params: { name } } });
  return name;
}

/** Any member makes a folder. */
export async function createFolder(actor: Actor, groupId: string, fields: Fields): Promise<{ id: string }> {
  const access = await requireGroupMember(actor, groupId);
  const id = randomId();
  await db().transaction(
    async (tx) => {
      const name = await validFolderName(groupId, fields.get("name"), null);
      await tx.insert(schema.groupFolders).values({ id, groupId, name, createdBy: access.me.id });
    },
    { behavior: "immediate" },
  );
  return { id };
}

/** Its creator or a moderator renames a folder. */
export async function renameFolder(actor: Actor, groupId: string, folderId: string, fields: Fields): Promise<void> {
  const access = await requireGroupMember(actor, groupId);
  await db().transaction(
    async (tx) => {
      const folder = await folderOf(groupId, folderId);
      if (!mayRenameFolder(access, folder)) throw new ForbiddenError("groupLibrary:folderNotYours");
      const name = await validFolderName(groupId, fields.get("name"), folderId);
      await tx.update(schema.groupFolders).set({ name }).where(eq(schema.groupFolders.id, folderId));
    },
    { behavior: "immediate" },
  );
}

/** A moderator deletes a folder (its entries move to the top); its creator only while it is empty. */
export async function deleteFolder(actor: Actor, groupId: string, folderId: string): Promise<void> {
  const access = await requireGroupMember(actor, groupId);
  await db().transaction(
    async (tx) => {
      const folder = await folderOf(groupId, folderId);
      const entries = (await liveEntryCounts(groupId)).get(folderId) ?? 0;
      if (!mayDeleteFolder(access, folder, entries)) throw new ForbiddenError(folder.createdBy === access.me.id ? "groupLibrary:folderNotEmpty" : "groupLibrary:folderNotYours");
      // Removed entries keep their row (who removed what); they leave the folder with the rest.
      await tx.update(schema.groupResources).set({ folderId: null }).where(eq(schema.groupResources.folderId, folderId));
      await tx.delete(schema.groupFolders).where(eq(schema.groupFolders.id, folderId));
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------------
// Entries

/** The folder named in a form: empty means the top; a folder of another group is refused beside the field. */
async function targetFolder(groupId: string, fields: Fields): Promise<string | null> {
  const folderId = (fields.get("folderId") ?? "").trim();
  if (!folderId) return null;
  try {
    return (await folderOf(groupId, folderId)).id;
  } catch {
    throw new ValidationError({ folderId: { key: "groupLibrary:noSuchFolder" } });
  }
}

/**
 * Adds the actor's uploaded drafts to the library, one entry per file, titled by its name. If anything
 * refuses (they left or were removed meanwhile, a wrong folder), the drafts are discarded: no file is
 * left behind half-added.
 */
export async function addLibraryFiles(actor: Actor, groupId: string, fields: Fields, uploadedFileIds: string[]): Promise<{ ids: string[] }> {
  try {
    const access = await requireGroupMember(actor, groupId);
    if (!uploadedFileIds.length) throw new ValidationError({ files: { key: "groupLibrary:fileRequired" } });
    if (uploadedFileIds.length > LIBRARY_MAX_FILES) throw new ValidationError({ files: { key: "files:tooMany", params: { max: LIBRARY_MAX_FILES } } });
    const ids: string[] = [];
    await db().transaction(
      async (tx) => {
        // Checked again inside the transaction: a removal that landed during the upload counts.
        await requireGroupMember(actor, groupId);
        const folderId = await targetFolder(groupId, fields);
        const drafts = await tx.select({ id: schema.files.id, name: schema.files.name }).from(schema.files).where(inArray(schema.files.id, uploadedFileIds));
        for (const fileId of uploadedFileIds) {
          const draft = drafts.find((d) => d.id === fileId);
          if (!draft) throw new NotFoundError();
          const id = randomId();
          await tx.insert(schema.groupResources).values({ id, groupId, folderId, kind: "file", title: draft.name, addedBy: access.me.id });
          await attachFiles(tx, access.me, [fileId], { type: "group_resource", id });
          ids.push(id);
        }
      },
      { behavior: "immediate" },
    );
    return { ids };
  } catch (error) {
    if (actor && uploadedFileIds.length) await discardDrafts(actor, uploadedFileIds);
    throw error;
  }
}

/** The link form's values as typed, for a form sent back with errors. */
export function linkFormValues(fields: Fields): { title: string; url: string; folderId: string } {
  return { title: fields.get("title") ?? "", url: fields.get("url") ?? "", folderId: fields.get("folderId") ?? "" };
}

const linkInput = z.object({
  title: z.string().overwrite(withoutDirectionControls).trim().min(1, "groupLibrary:titleRequired").max(LINK_TITLE_MAX, "groupLibrary:titleTooLong"),
  url: z.string().trim().min(1, "groupLibrary:urlRequired"),
});

/** Adds a web link (http or https only: no javascript:, data: or mailto: in a shared library). */
export async function addLibraryLink(actor: Actor, groupId: string, fields: Fields): Promise<{ id: string }> {
  const access = await requireGroupMember(actor, groupId);
  const parsed = linkInput.safeParse(linkFormValues(fields));
  const errors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  let href: string | null = null;
  if (parsed.success || !errors.url) {
    href = safeHref(fields.get("url")?.trim() ?? "");
    if (!href || !/^https?:/i.test(href)) errors.url = { key: "groupLibrary:urlInvalid" };
  }
  if (Object.keys(errors).length || !parsed.success || !href) throw new ValidationError(errors);
  const id = randomId();
  const title = parsed.data.title;
  const url = href;
  await db().transaction(
    async (tx) => {
      const folderId = await targetFolder(groupId, fields);
      await tx.insert(schema.groupResources).values({ id, groupId, folderId, kind: "link", title, url, addedBy: access.me.id });
    },
    { behavior: "immediate" },
  );
  return { id };
}

/** Its adder or a moderator removes an entry: the row stays (who removed it, when), its file is deleted. */
export async function removeLibraryEntry(actor: Actor, groupId: string, resourceId: string): Promise<void> {
  const access = await requireGroupMember(actor, groupId);
  await db().transaction(
    async (tx) => {
      const entry = await first(tx
              .select()
              .from(schema.groupResources)
              .where(and(eq(schema.groupResources.id, resourceId), eq(schema.groupResources.groupId, groupId), isNull(schema.groupResources.removedAt))).limit(1));
      if (!entry) throw new NotFoundError();
      if (!mayRemoveEntry(access, entry)) throw new ForbiddenError("groupLibrary:entryNotYours");
      await tx.update(schema.groupResources).set({ removedAt: new Date(), removedBy: access.me.id }).where(eq(schema.groupResources.id, resourceId));
      await deleteFilesOf(tx, { type: "group_resource", id: resourceId });
    },
    { behavior: "immediate" },
  );
}

// ---------------------------------------------------------------------------------------------
// Copy to my lesson

export type CopyChoices = {
  groupId: string;
  groupName: string;
  file: { id: string; name: string; size: number };
  /** Where the file came from: the library, or a thread (its id, to go back to). */
  source: { kind: "library" } | { kind: "thread"; threadId: string };
  lessons: { id: string; title: string }[];
};

type GroupFile = typeof schema.files.$inferSelect;

/**
 * A file of this group the actor may read: a library entry's (not removed) or a thread post's. A file
 * of another group, a draft, or a hidden post's file they may not read is "not found".
 */
async function groupFile(access: GroupAccess, fileId: string): Promise<{ row: GroupFile; source: CopyChoices["source"] }> {
  const row = await first(db().select().from(schema.files).where(eq(schema.files.id, fileId)).limit(1));
  if (!row || !row.attachedId) throw new NotFoundError();
  let source: CopyChoices["source"];
  if (row.attachedTo === "group_resource") {
    const entry = await first(db()
          .select({ groupId: schema.groupResources.groupId, removedAt: schema.groupResources.removedAt })
          .from(schema.groupResources)
          .where(eq(schema.groupResources.id, row.attachedId)).limit(1));
    if (!entry || entry.groupId !== access.group.id || entry.removedAt) throw new NotFoundError();
    source = { kind: "library" };
  } else if (row.attachedTo === "group_post") {
    const post = await first(db().select({ groupId: schema.groupPosts.groupId, threadId: schema.groupPosts.threadId }).from(schema.groupPosts).where(eq(schema.groupPosts.id, row.attachedId)).limit(1));
    if (!post || post.groupId !== access.group.id) throw new NotFoundError();
    source = { kind: "thread", threadId: post.threadId };
  } else {
    throw new NotFoundError();
  }
  if (!await mayReadGroupFile(access.me, row.attachedTo, row.attachedId)) throw new NotFoundError();
  return { row, source };
}

/** Teachers only, acting as teachers, who may write lessons, and active members of the group. */
async function requireCopier(actor: Actor, groupId: string): Promise<{ access: GroupAccess; lessons: { id: string; title: string }[] }> {
  // Membership first: an outsider learns nothing more than "not found".
  const access = await requireGroupMember(actor, groupId);
  if (access.as !== "teacher") throw new ForbiddenError("groupLibrary:copyTeachersOnly");
  // myLessons refuses anyone who may not write lessons (space closed, "assignments" off).
  const lessons = (await myLessons(actor)).map((l) => ({ id: l.id, title: l.title }));
  return { access, lessons };
}

/** The "copy to my lesson" form: the file and the teacher's own lessons to choose from. */
export async function copyToLessonChoices(actor: Actor, groupId: string, fileId: string): Promise<CopyChoices> {
  const { access, lessons } = await requireCopier(actor, groupId);
  const { row, source } = await groupFile(access, fileId);
  return { groupId, groupName: access.group.name, file: { id: row.id, name: row.name, size: row.size }, source, lessons };
}

/** A lesson title from a file name: its name without the extension. */
function lessonTitleOf(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  const stem = (dot > 0 ? fileName.slice(0, dot) : fileName).trim() || fileName;
  return [...stem].slice(0, LESSON_TITLE_MAX).join("");
}

/**
 * Copies a group file into one of the teacher's own lessons (`lessonId`), or into a new lesson titled
 * after the file (`lessonId` "new"; `newLessonBody` is its opening text, in the teacher's language).
 * The copy is the teacher's own file, attached to the lesson. Copying a file into a lesson that
 * already has it (same content and name) adds nothing and returns that lesson.
 */
export async function copyGroupFileToLesson(
  actor: Actor,
  groupId: string,
  fileId: string,
  lessonId: string,
  newLessonBody: string,
): Promise<{ lessonId: string; copied: boolean }> {
  const { access, lessons } = await requireCopier(actor, groupId);
  const { row } = await groupFile(access, fileId);
  const me = access.me;
  if (lessonId !== "new") {
    // Another teacher's lesson is not among mine: refused the same whether or not it exists.
    if (!lessons.some((l) => l.id === lessonId)) throw new ValidationError({ lessonId: { key: "groupLibrary:lessonNotYours" } });
    if (await lessonHasFile(lessonId, row)) return { lessonId, copied: false };
  }
  const copies = await copyFilesAsDrafts(me, [row.id]);
  const copyId = copies.get(row.id)!;
  if (lessonId === "new") {
    const fields = new Map([
      ["title", lessonTitleOf(row.name)],
      ["body", newLessonBody],
    ]);
    const created = await createLesson(me, fields, [copyId]);
    return { lessonId: created.id, copied: true };
  }
  // addFilesToLesson discards the copy itself if another request attached the same file meanwhile.
  const added = await addFilesToLesson(me, lessonId, [copyId]);
  return { lessonId, copied: added.length > 0 };
}

async function lessonHasFile(lessonId: string, file: Pick<GroupFile, "sha256" | "name">): Promise<boolean> {
  return Boolean(
    await first(db()
            .select({ id: schema.files.id })
            .from(schema.files)
            .where(and(eq(schema.files.attachedTo, "lesson"), eq(schema.files.attachedId, lessonId), eq(schema.files.sha256, file.sha256), eq(schema.files.name, file.name))).limit(1)),
  );
}
