// A class's announcement stream (班级通知): the class's teachers post rich text with files, pin what
// must stay on top, and remove what is no longer true. Readers are the class's readers
// (class-access.server.ts); writing needs the teacher's "assignments" capability (class teaching).
import { and, desc, eq, sql } from "drizzle-orm";
import { db, schema, first, spell } from "#db/client";
import type { Actor, SignedInActor } from "../foundation/actor.server";
import { classReader, type ClassRow } from "./class-access.server";
import { ForbiddenError, NotFoundError, ValidationError } from "../foundation/errors.server";
import { attachFiles, deleteFilesOf, discardDrafts, fileUrl, type StoredFile } from "../uploads/files.server";
import { randomId } from "../foundation/ids.server";
import { richTextFromForm } from "../foundation/richtext.server";
import { requireSpaceFeature } from "../spaces/spaces.server";

type Fields = { get(name: string): string | null | undefined };

export type AnnouncementView = {
  id: string;
  bodyHtml: string;
  pinned: boolean;
  createdAt: Date;
  author: { handle: string; realName: string };
  files: StoredFile[];
};

/** A teacher of this class, acting as one, with class teaching open for them. */
async function requireClassTeacher(actor: Actor, classId: string): Promise<{ me: SignedInActor; klass: ClassRow }> {
  const { me, klass, standing } = await classReader(actor, classId);
  if (standing !== "teacher") throw new ForbiddenError();
  await requireSpaceFeature(me, "assignments");
  return { me, klass };
}

/** Refuses before any upload is received: only the class's teachers post. */
export async function requireAnnouncer(actor: Actor, classId: string): Promise<void> {
  await requireClassTeacher(actor, classId);
}

/** Whether the reader may post, pin and remove announcements in the class (for the page's controls). */
export async function mayAnnounce(actor: Actor, classId: string): Promise<boolean> {
  try {
    await requireClassTeacher(actor, classId);
    return true;
  } catch {
    return false;
  }
}

export async function postAnnouncement(actor: Actor, classId: string, fields: Fields, uploadedFileIds: string[] = []): Promise<{ id: string }> {
  try {
    const { me } = await requireClassTeacher(actor, classId);
    const body = richTextFromForm(fields, "body");
    if (!body.text.trim() && !uploadedFileIds.length && !body.fileIds.length) throw new ValidationError({ body: { key: "classSpace:announcementEmpty" } });
    const id = randomId();
    await db().transaction(
      async (tx) => {
        await tx.insert(schema.announcements).values({ id, classId, authorId: me.id, bodyJson: body.doc, bodyHtml: body.html, pinned: fields.get("pinned") === "on" });
        const attach = [...new Set([...uploadedFileIds, ...body.fileIds])];
        if (attach.length) await attachFiles(tx, me, attach, { type: "announcement", id });
      },
      { behavior: "immediate" },
    );
    return { id };
  } catch (error) {
    if (actor && uploadedFileIds.length) await discardDrafts(actor, uploadedFileIds);
    throw error;
  }
}

async function announcementIn(classId: string, id: string) {
  const row = await first(db()
      .select()
      .from(schema.announcements)
      .where(and(eq(schema.announcements.id, id), eq(schema.announcements.classId, classId))).limit(1));
  if (!row) throw new NotFoundError();
  return row;
}

/** Pins or unpins an announcement of the class (any of its teachers). */
export async function setAnnouncementPinned(actor: Actor, classId: string, id: string, pinned: boolean): Promise<void> {
  await requireClassTeacher(actor, classId);
  await announcementIn(classId, id);
  await db().update(schema.announcements).set({ pinned }).where(eq(schema.announcements.id, id));
}

/** Removes an announcement and its files (any of the class's teachers). */
export async function deleteAnnouncement(actor: Actor, classId: string, id: string): Promise<void> {
  await requireClassTeacher(actor, classId);
  await db().transaction(
    async (tx) => {
      await announcementIn(classId, id);
      await deleteFilesOf(tx, { type: "announcement", id });
      await tx.delete(schema.announcements).where(eq(schema.announcements.id, id));
    },
    { behavior: "immediate" },
  );
}

/** The class's stream: pinned on top, newest first (class-access has admitted the reader). */
export async function announcementsOf(classId: string, limit = 50): Promise<AnnouncementView[]> {
  // Each announcement's files come with it, as a JSON list of [id, name, mime type, size] in order.
  const files = sql<string>`(select ${spell.jsonGroupArray(spell.jsonArray(sql`f.id`, sql`f.name`, sql`f.mime_type`, sql`f.size`))} from (select id, name, mime_type, size from files f where f.attached_to = 'announcement' and f.attached_id = "announcements"."id" order by f.position) f)`;
  const rows = await db()
      .select({ a: schema.announcements, handle: schema.users.handle, realName: schema.users.realName, files })
      .from(schema.announcements)
      .innerJoin(schema.users, eq(schema.users.id, schema.announcements.authorId))
      .where(eq(schema.announcements.classId, classId))
      .orderBy(desc(schema.announcements.pinned), desc(schema.announcements.createdAt), desc(schema.announcements.id))
      .limit(limit);
  return rows.map(({ a, handle, realName, files }) => ({
    id: a.id,
    bodyHtml: a.bodyHtml,
    pinned: a.pinned,
    createdAt: a.createdAt,
    author: { handle, realName },
    files: (JSON.parse(files) as [string, string, string, number][]).map(([id, name, mimeType, size]) => ({ id, name, mimeType, size, url: fileUrl(id, name), isImage: mimeType.startsWith("image/") })),
  }));
}
