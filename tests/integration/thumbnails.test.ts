// Issue 16 item 4, "See the work": photos preview as small server-made thumbnails. A thumbnail has
// exactly the readers of its original (openFile's rule): anyone else, like an unknown id, gets
// NotFoundError (404). It is smaller than the original, upright, and carries no metadata.
import { existsSync, readdirSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { createAssignment, submitWork } from "~/domain/classwork/assignments.server";
import { beijingLocalTimeOf } from "~/domain/foundation/beijing-time.server";
import { NotFoundError } from "~/domain/foundation/errors.server";
import { openFile, openThumbnail } from "~/domain/downloads/file-reading.server";
import { receiveUploadForm, removalsSettled, sweepUploads, THUMB_WIDTHS, type StoredFile } from "~/domain/uploads/files.server";
import { randomId } from "~/domain/foundation/ids.server";
import { createPortfolioItem } from "~/domain/portfolio/portfolio.server";
import { uploadsDir } from "~/storage/local.server";
import { actorFor, classIdOf, demoWorld } from "../support/world";
import { canOpen, upload } from "../support/files";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
const form = (fields: Record<string, string>) => new Map(Object.entries(fields));

let photo: StoredFile;
let original: Buffer;
let portfolioPhoto: StoredFile;
let pdfId: string;

/**
 * A phone photo: 1600 × 1200 pixels of texture, stored sideways with EXIF orientation 6 (turn 90°),
 * a camera make and a GPS position, as phones write them.
 */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 1600, height: 1200, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 40 } } })
    .jpeg({ quality: 92 })
    .withMetadata({ orientation: 6, exif: { IFD0: { Make: "PhoneMaker", Model: "Pupil's phone" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "30/1 39/1 0/1" } } })
    .toBuffer();
}

async function uploadPhoto(actor: Actor): Promise<StoredFile> {
  const body = new FormData();
  body.append("files", new File([new Uint8Array(await phonePhoto())], "IMG_2041.jpg"));
  const { files } = await receiveUploadForm(actor, new Request("http://localhost/upload", { method: "POST", body }));
  return files.get("files")![0]!;
}

async function bytesOf(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Whether `actor` gets the thumbnail; NotFoundError (404) counts as no, anything else fails the test. */
async function canThumb(actor: Actor, fileId: string, width = 320): Promise<boolean> {
  try {
    await openThumbnail(actor, fileId, width, "webp");
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

beforeAll(async () => {
  await demoWorld();
  const classA = await classIdOf("wuhou-pri", "三年级（1）班");
  const local = (ms: number) => beijingLocalTimeOf(new Date(ms));
  const assignmentId = (await createAssignment(
    await actorFor("wuhou-pri.t1", "teacher"),
    form({
      id: randomId(),
      title: "观察日记（照片）",
      body: "拍一张你的日记。",
      [`class.${classA}`]: "on",
      openAt: local(NOW - DAY),
      dueAt: local(NOW + DAY),
      points: "100",
      intent: "publish",
    }),
    [],
    NOW - DAY,
  )).id;
  // wuhou-pri.s1 (三年级（1）班, consent on record in the demo; parent wuhou-pri.p1) hands in a photo.
  const s1 = await actorFor("wuhou-pri.s1");
  photo = await uploadPhoto(s1);
  await submitWork(s1, assignmentId, form({ versionId: randomId(), body: "我的日记" }), [photo.id], NOW);
  const { body } = await openFile(s1, photo.id);
  original = await bytesOf(body);
  // And puts a photo in their portfolio, for their classes (their guardian reads it too).
  portfolioPhoto = await uploadPhoto(s1);
  await createPortfolioItem(s1, form({ title: "我的画", kind: "work", occurredOn: "2026-05-01", description: "", visibility: "classes" }), [portfolioPhoto.id]);
  pdfId = (await upload(await actorFor("wuhou-pri.t1", "teacher"), "讲义.pdf"))[0]!;
});

afterAll(async () => removalsSettled());

describe("a thumbnail", () => {
  it("is offered for photos only, at 320 and 640 px", () => {
    expect(photo.thumb).toEqual({ src: `/thumbs/${photo.id}/320`, srcSet: `/thumbs/${photo.id}/320 1x, /thumbs/${photo.id}/640 2x`, box: 320 });
    expect(THUMB_WIDTHS).toEqual([320, 640]);
  });

  it("is smaller than the original, upright, within its width, and carries no EXIF, GPS or XMP", async () => {
    const teacher = await actorFor("wuhou-pri.t1", "teacher");
    for (const format of ["webp", "jpeg"] as const) {
      for (const width of THUMB_WIDTHS) {
        const thumb = await openThumbnail(teacher, photo.id, width, format);
        expect(thumb.mimeType).toBe(`image/${format}`);
        expect(thumb.bytes.byteLength).toBeLessThan(original.byteLength);
        const meta = await sharp(thumb.bytes).metadata();
        expect(meta.format).toBe(format);
        // Stored sideways with orientation 6: upright it is portrait, 3 : 4.
        expect(meta.height).toBe(width);
        expect(meta.width).toBe((width * 3) / 4);
        expect(meta.exif).toBeUndefined();
        expect(meta.xmp).toBeUndefined();
        expect(meta.iptc).toBeUndefined();
        expect(meta.orientation).toBeUndefined();
        expect(thumb.bytes.includes(Buffer.from("PhoneMaker"))).toBe(false);
      }
    }
    const small = await openThumbnail(teacher, photo.id, 320, "webp");
    expect(small.bytes.byteLength).toBeLessThan(original.byteLength / 5);
  });

  it("is made once and then read from the cache beside the uploads, with the same ETag", async () => {
    const teacher = await actorFor("wuhou-pri.t1", "teacher");
    const first = await openThumbnail(teacher, photo.id, 640, "webp");
    const again = await openThumbnail(teacher, photo.id, 640, "webp");
    expect(again.etag).toBe(first.etag);
    expect(again.bytes.equals(first.bytes)).toBe(true);
    const cached = readdirSync(join(uploadsDir(), ".thumbs"), { recursive: true }).map(String);
    expect(cached.some((p) => p.endsWith(".w640.webp"))).toBe(true);
  });

  it("answers exactly as the original does: the pupil and their class's teachers; not a classmate, another class, another school's teacher, their own parent (work is not shown to parents) or a parent of another child", async () => {
    const readers = [await actorFor("wuhou-pri.s1"), await actorFor("wuhou-pri.t1", "teacher")];
    const outsiders = [
      await actorFor("wuhou-pri.s3"), // a classmate
      await actorFor("wuhou-pri.s5"), // another class
      await actorFor("wuhou-jun.t1", "teacher"), // another school's teacher
      await actorFor("kangding-pri.t1", "teacher"), // another region's teacher
      await actorFor("wuhou-pri.p1"), // the pupil's own parent: submissions are not theirs to read
      await actorFor("wuhou-pri.p2"), // a parent of another child
      await actorFor("wuhou-pri.admin"), // the school's admin
      await actorFor("sichuan.edu"), // a region admin
    ];
    for (const reader of readers) {
      expect(await canOpen(reader, photo.id)).toBe(true);
      expect(await canThumb(reader, photo.id)).toBe(true);
      expect(await canThumb(reader, photo.id, 640)).toBe(true);
    }
    for (const outsider of outsiders) {
      expect(await canOpen(outsider, photo.id)).toBe(false);
      expect(await canThumb(outsider, photo.id)).toBe(false);
      expect(await canThumb(outsider, photo.id, 640)).toBe(false);
    }
    // Anonymous readers are asked to sign in, whether or not the file exists.
    await expect(openThumbnail(null, photo.id, 320, "webp")).rejects.toMatchObject({ status: 401 });
    await expect(openThumbnail(null, "nosuchfile0000", 320, "webp")).rejects.toMatchObject({ status: 401 });
  });

  it("of a portfolio photo: the pupil's own parent sees it; a parent of another child and another school's teacher get 404", async () => {
    for (const reader of [await actorFor("wuhou-pri.s1"), await actorFor("wuhou-pri.p1")]) {
      expect(await canOpen(reader, portfolioPhoto.id)).toBe(true);
      expect(await canThumb(reader, portfolioPhoto.id)).toBe(true);
    }
    for (const outsider of [await actorFor("wuhou-pri.p2"), await actorFor("wuhou-jun.t1", "teacher"), await actorFor("wuhou-jun.s1"), await actorFor("chengdu.edu")]) {
      expect(await canOpen(outsider, portfolioPhoto.id)).toBe(false);
      expect(await canThumb(outsider, portfolioPhoto.id)).toBe(false);
    }
  });

  it("is 404 for an unknown id, a width not offered, and a file that is not a photo", async () => {
    const teacher = await actorFor("wuhou-pri.t1", "teacher");
    expect(await canThumb(teacher, "nosuchfile0000")).toBe(false);
    for (const width of [0, 100, 321, 1024, 4000, Number.NaN]) expect(await canThumb(teacher, photo.id, width)).toBe(false);
    expect(await canOpen(teacher, pdfId)).toBe(true);
    expect(await canThumb(teacher, pdfId)).toBe(false);
  });

  it("stays in the cache while its file has a row, and is swept with the file's row gone", async () => {
    const teacher = await actorFor("wuhou-pri.t1", "teacher");
    await openThumbnail(teacher, photo.id, 320, "jpeg");
    const row = (await first(db().select().from(schema.files).where(eq(schema.files.id, photo.id)).limit(1)))!;
    const path = join(uploadsDir(), ".thumbs", row.storageKey.slice(0, 2), `${row.storageKey}.w320.jpeg`);
    expect(existsSync(path)).toBe(true);
    const old = new Date(Date.now() - 3 * 3_600_000);
    utimesSync(path, old, old);
    await sweepUploads();
    expect(existsSync(path)).toBe(true);
    // A row that is gone (as after a crash between its removal and its bytes'): the sweeper takes the thumbnail too.
    await db().update(schema.files).set({ storageKey: `${row.storageKey}x` }).where(eq(schema.files.id, photo.id));
    try {
      await sweepUploads();
      expect(existsSync(path)).toBe(false);
    } finally {
      await db().update(schema.files).set({ storageKey: row.storageKey }).where(eq(schema.files.id, photo.id));
    }
  });
});
