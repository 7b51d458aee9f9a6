// Reading a stored file or its thumbnail: whoever may see what the file is attached to (a post, a
// lesson, a group's thread, a space's avatar…) may read it; anyone else gets "not found". Above
// files.server, which stores and attaches files, and above the modules whose rules it asks.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { eq, inArray } from "drizzle-orm";
import sharp from "sharp";
import { db, schema, first } from "#db/client";
import { currentBackend, storageFor, type ByteRange } from "~/storage/storage.server";
import { requireSignedIn, type Actor } from "../foundation/actor.server";
import { mayReadAnnouncement, mayReadAssignment, mayReadFeedback, mayReadLesson, mayReadSubmission, submissionOfVersion } from "../classwork/class-access.server";
import { NotFoundError } from "../foundation/errors.server";
import { IMAGE_SECONDS, IMAGE_TYPES, MAX_IMAGE_PIXELS, removeBytesAfterCommit, stored, THUMB_FORMATS, THUMB_WIDTHS, thumbPath, type FileRow, type StoredFile, type ThumbFormat } from "../uploads/files.server";
import { mayReadGroupFile } from "../groups/groups.server";
import { randomId } from "../foundation/ids.server";
import { maySeeSpace } from "../spaces/profiles.server";
import { mayReadLibraryVersion } from "../library/library-access.server";
import { requireOwnerFeature } from "../spaces/spaces.server";
import { canSee, type Audience } from "../rollout/visibility.server";

/**
 * For the download route and the export: checks the reader may see what the file is attached to
 * (draft: owner only; avatar: anyone who may see the space home; post/portfolio_item: canSee of it).
 * `range` (inclusive byte offsets, already checked against the size) opens only part of it: players
 * on phones seek in audio and video by ranges, and iOS plays no video without them.
 */
export async function openFile(
  actor: Actor,
  fileId: string,
  opts: { range?: ByteRange } = {},
): Promise<{ file: StoredFile & { sha256: string }; body: ReadableStream<Uint8Array> | NodeJS.ReadableStream }> {
  const row = await first(db().select().from(schema.files).where(eq(schema.files.id, fileId)).limit(1));
  if (!row || !await mayRead(actor, row)) {
    // Anonymous readers are asked to sign in whether or not the file exists: a guessed id learns nothing.
    requireSignedIn(actor);
    throw new NotFoundError();
  }
  let body: ReadableStream<Uint8Array> | NodeJS.ReadableStream;
  try {
    body = await storageFor(row.backend).get(row.storageKey, opts.range);
  } catch {
    throw new NotFoundError();
  }
  return { file: { ...stored(row), sha256: row.sha256 }, body };
}

async function mayRead(actor: Actor, row: FileRow): Promise<boolean> {
  if (actor && actor.id === row.ownerId) return true;
  switch (row.attachedTo) {
    case "draft":
      return false;
    case "avatar":
      // Whoever may see the space home, including anonymous readers of a teacher's public space.
      return maySeeSpace(actor, row.ownerId);
    case "post": {
      if (!row.attachedId) return false;
      const post = await first(db().select().from(schema.posts).where(eq(schema.posts.id, row.attachedId)).limit(1));
      if (!post) return false;
      const audience: Audience = {
        ownerId: post.authorId,
        schoolId: post.schoolId,
        visibility: post.status === "draft" ? "private" : post.visibility,
        approval: post.approval,
      };
      return await canSee(actor, audience) && await ownerFeatureOpen(post.authorId, "blog");
    }
    case "portfolio_item": {
      if (!row.attachedId) return false;
      const item = await first(db().select().from(schema.portfolioItems).where(eq(schema.portfolioItems.id, row.attachedId)).limit(1));
      if (!item) return false;
      return await canSee(actor, { ownerId: item.ownerId, schoolId: item.schoolId, visibility: item.visibility }) && await ownerFeatureOpen(item.ownerId, "portfolio");
    }
    case "lesson":
      // Only once published to a class the reader is in (class-access.server.ts): never before publishAt.
      return Boolean(row.attachedId) && await mayReadLesson(actor, row.attachedId!);
    case "announcement":
      return Boolean(row.attachedId) && await mayReadAnnouncement(actor, row.attachedId!);
    case "assignment": {
      const assignment = row.attachedId ? await first(db().select().from(schema.assignments).where(eq(schema.assignments.id, row.attachedId)).limit(1)) : undefined;
      return Boolean(assignment) && await mayReadAssignment(actor, assignment!);
    }
    case "submission": {
      // Attached to one handed-in version; its readers are the submission's.
      const submissionId = row.attachedId ? await submissionOfVersion(row.attachedId) : null;
      return Boolean(submissionId) && await mayReadSubmission(actor, submissionId!);
    }
    case "feedback":
      return Boolean(row.attachedId) && await mayReadFeedback(actor, row.attachedId!);
    case "group_cover":
    case "group_post":
    case "group_resource":
    case "group_task":
    case "group_result":
      return Boolean(row.attachedId) && await mayReadGroupFile(actor, row.attachedTo, row.attachedId!);
    case "library_version":
      return Boolean(row.attachedId) && await mayReadLibraryVersion(actor, row.attachedId!);
  }
}

/** A blog or portfolio closed for its owner hides its files too, as it hides its pages. */
async function ownerFeatureOpen(ownerId: string, key: "blog" | "portfolio"): Promise<boolean> {
  try {
    await requireOwnerFeature(ownerId, key);
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies files the actor may read into new drafts of their own (new storage keys, the same bytes and
 * hash), for work carried from one place to another: a returned submission into the portfolio, where
 * its readers differ. Returns old id → new id. On any failure the copies made so far are removed.
 */
export async function copyFilesAsDrafts(actor: Actor, fileIds: string[]): Promise<Map<string, string>> {
  const me = requireSignedIn(actor);
  const backend = currentBackend();
  const copies = new Map<string, string>();
  const made: Pick<FileRow, "backend" | "storageKey">[] = [];
  try {
    for (const id of [...new Set(fileIds)]) {
      const row = await first(db().select().from(schema.files).where(eq(schema.files.id, id)).limit(1));
      if (!row || !await mayRead(me, row)) throw new NotFoundError();
      const storageKey = randomId(16);
      const source = (await storageFor(row.backend).get(row.storageKey)) as AsyncIterable<Uint8Array>;
      await storageFor(backend).put(storageKey, source);
      made.push({ backend, storageKey });
      const copy = randomId();
      await db()
              .insert(schema.files)
              .values({ id: copy, ownerId: me.id, schoolId: me.schoolId, backend, storageKey, name: row.name, mimeType: row.mimeType, size: row.size, sha256: row.sha256, attachedTo: "draft" });
      copies.set(id, copy);
    }
  } catch (error) {
    if (copies.size) await db().delete(schema.files).where(inArray(schema.files.id, [...copies.values()]));
    removeBytesAfterCommit(made);
    throw error;
  }
  return copies;
}

/** Text (a rich-text document as JSON) that names the originals' ids, naming their copies instead. */
export function pointingAtCopies(text: string, copies: Map<string, string>): string {
  let out = text;
  for (const [from, to] of copies) out = out.split(from).join(to);
  return out;
}

/**
 * A small preview of an image the reader may see, `width` (one of THUMB_WIDTHS) at most on each side,
 * upright and without any metadata (sharp writes none), as WebP or JPEG. Whoever may not read the
 * original gets NotFoundError, exactly as for the original (openFile's rule); so does any file that is
 * not an image, or a width not offered. Made once, then read from the disk cache.
 */
export async function openThumbnail(
  actor: Actor,
  fileId: string,
  width: number,
  format: ThumbFormat,
): Promise<{ bytes: Buffer; mimeType: string; etag: string }> {
  const row = await first(db().select().from(schema.files).where(eq(schema.files.id, fileId)).limit(1));
  if (!row || !await mayRead(actor, row)) {
    requireSignedIn(actor);
    throw new NotFoundError();
  }
  if (!IMAGE_TYPES.has(row.mimeType) || !(THUMB_WIDTHS as readonly number[]).includes(width)) throw new NotFoundError();
  const path = thumbPath(row.storageKey, width, format);
  const etag = `"${row.sha256.slice(0, 32)}-w${width}-${format}"`;
  const cached = await readFile(path).catch(() => null);
  if (cached) return { bytes: cached, mimeType: THUMB_FORMATS[format], etag };
  let original: Buffer;
  try {
    const chunks: Uint8Array[] = [];
    for await (const chunk of (await storageFor(row.backend).get(row.storageKey)) as AsyncIterable<Uint8Array>) chunks.push(chunk);
    original = Buffer.concat(chunks);
  } catch {
    throw new NotFoundError();
  }
  // The first frame of an animation; turned upright by any orientation left; never made larger.
  let image = sharp(original, { limitInputPixels: MAX_IMAGE_PIXELS })
    .timeout({ seconds: IMAGE_SECONDS })
    .rotate()
    .resize({ width, height: width, fit: "inside", withoutEnlargement: true });
  image = format === "webp" ? image.webp({ quality: 70, effort: 4 }) : image.flatten({ background: "#ffffff" }).jpeg({ quality: 72, mozjpeg: true });
  const bytes = await image.toBuffer().catch(() => {
    throw new NotFoundError();
  });
  // Written under a temporary name and renamed, so a reader never gets half a thumbnail.
  await mkdir(join(path, ".."), { recursive: true });
  const temp = `${path}.${randomId(6)}.partial`;
  await writeFile(temp, bytes);
  await rename(temp, path);
  return { bytes, mimeType: THUMB_FORMATS[format], etag };
}
