// Issue 13, "Also found" (security probes) for uploads and downloads: image bombs, names with = and ;,
// download names, leftovers after a crash, the PDF sandbox. Each test names the item it proves.
import { existsSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { ValidationError } from "~/domain/foundation/errors.server";
import { openFile } from "~/domain/downloads/file-reading.server";
import { downloadName, receiveUploadForm, sweepUploads, type StoredFile } from "~/domain/uploads/files.server";
import { createSession } from "~/domain/accounts/sessions.server";
import { uploadsDir } from "~/storage/local.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";

beforeAll(async () => {
  await demoWorld();
});

const teacher = async () => actorFor("wuhou-pri.t1");

function uploadRequest(files: [string, Buffer | string][]): Request {
  const form = new FormData();
  for (const [name, bytes] of files) form.append("file", new File([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], name));
  return new Request("http://localhost/files", { method: "POST", body: form });
}

async function uploadOne(actor: Actor, bytes: Buffer | string, name: string): Promise<StoredFile> {
  const { files } = await receiveUploadForm(actor, uploadRequest([[name, bytes]]));
  return files.get("file")![0]!;
}

async function refusalOf(actor: Actor, request: Request): Promise<ValidationError> {
  const rows = (await db().select().from(schema.files)).length;
  const error = await receiveUploadForm(actor, request).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((await db().select().from(schema.files)).length).toBe(rows);
  return error as ValidationError;
}

async function storedBytes(actor: Actor, fileId: string): Promise<Buffer> {
  const { body } = await openFile(actor, fileId);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** A real 1×1 GIF whose header and frame claim `size` × `size` pixels (270 KB would do; this is 43 bytes). */
async function gifClaiming(size: number): Promise<Buffer> {
  const gif = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: "#fc0" } }).gif().toBuffer());
  gif.writeUInt16LE(size, 6);
  gif.writeUInt16LE(size, 8);
  const descriptor = gif.indexOf(0x2c, 13);
  gif.writeUInt16LE(size, descriptor + 5);
  gif.writeUInt16LE(size, descriptor + 7);
  return gif;
}

const riffChunk = (fourcc: string, data: Buffer) => {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, "ascii");
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, Buffer.alloc(data.length % 2)]);
};
const u24 = (n: number) => {
  const b = Buffer.alloc(3);
  b.writeUIntLE(n, 0, 3);
  return b;
};

/** An animated WebP of `frames` frames of `size`² white pixels each: a few KB that unpack into hundreds of MB. */
async function animatedWebpBomb(frames: number, size: number): Promise<Buffer> {
  const still = await sharp({ create: { width: size, height: size, channels: 3, background: "#fff" } }).webp({ lossless: true }).toBuffer();
  const bitstream = still.subarray(12); // the VP8L chunk after "RIFF····WEBP"
  const frame = riffChunk("ANMF", Buffer.concat([u24(0), u24(0), u24(size - 1), u24(size - 1), u24(100), Buffer.from([0]), bitstream]));
  const body = Buffer.concat([
    Buffer.from("WEBP"),
    riffChunk("VP8X", Buffer.concat([Buffer.from([0x02, 0, 0, 0]), u24(size - 1), u24(size - 1)])),
    riffChunk("ANIM", Buffer.alloc(6)),
    ...Array.from({ length: frames }, () => frame),
  ]);
  const head = Buffer.alloc(8);
  head.write("RIFF");
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** Three different 8×8 frames, as raw pixels of one 8×24 strip. */
function threeFrames(): ReturnType<typeof sharp> {
  const raw = Buffer.alloc(8 * 24 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 256;
  return sharp(raw, { raw: { width: 8, height: 24, channels: 3, pageHeight: 8 } });
}

/** A GIF carrying an XMP packet with a GPS position (as phone apps write it) in an application extension. */
async function gifWithXmpLocation(): Promise<Buffer> {
  const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#3a6" } }).gif().toBuffer();
  const xmp = Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="30,39.0N" exif:GPSLongitude="104,4.0E"/></rdf:RDF></x:xmpmeta>');
  const blocks: Buffer[] = [];
  for (let at = 0; at < xmp.length; at += 255) {
    const piece = xmp.subarray(at, at + 255);
    blocks.push(Buffer.from([piece.length]), piece);
  }
  const extension = Buffer.concat([Buffer.from([0x21, 0xff, 0x0b]), Buffer.from("XMP DataXMP", "ascii"), ...blocks, Buffer.from([0])]);
  const afterPalette = 13 + 3 * 2 ** ((gif[10]! & 0x07) + 1);
  return Buffer.concat([gif.subarray(0, afterPalette), extension, gif.subarray(afterPalette)]);
}

describe("issue 13 · image bombs: the pixel cap covers every image type and all frames; animations are kept", () => {
  it("refuses a tiny GIF that claims 20,000 × 20,000 pixels", async () => {
    const error = await refusalOf(await teacher(), uploadRequest([["huge.gif", await gifClaiming(20_000)]]));
    expect(error.key).toBe("files:imageTooBig");
    expect(error.fields.file).toEqual({ key: "files:imageTooBig", params: { megapixels: 64 } });
  });

  it("refuses an animated WebP of 8 frames of 4,000² pixels from its header, without decoding it", async () => {
    const bomb = await animatedWebpBomb(8, 4000);
    expect(bomb.byteLength).toBeLessThan(10_000);
    const started = Date.now();
    const error = await refusalOf(await teacher(), uploadRequest([["moving.webp", bomb]]));
    expect(error.key).toBe("files:imageTooBig");
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("keeps every frame of an animated GIF and an animated WebP", async () => {
    const gif = await uploadOne(await teacher(), await threeFrames().gif().toBuffer(), "跳.gif");
    const webp = await uploadOne(await teacher(), await threeFrames().webp().toBuffer(), "跳.webp");
    for (const [stored, format] of [[gif, "gif"], [webp, "webp"]] as const) {
      const meta = await sharp(await storedBytes(await teacher(), stored.id), { animated: true }).metadata();
      expect([meta.format, meta.width, meta.pageHeight, meta.pages]).toEqual([format, 8, 8, 3]);
    }
  });

  it("refuses an animated PNG rather than storing its first frame only", async () => {
    const apng = await threeFrames().png().toBuffer();
    // sharp writes no APNG; its frames are added by hand: acTL after IHDR makes the file animated.
    const acTL = Buffer.alloc(20);
    acTL.writeUInt32BE(8, 0);
    acTL.write("acTL", 4, "ascii");
    acTL.writeUInt32BE(2, 8);
    acTL.writeUInt32BE(0, 12);
    const { crc32 } = await import("node:zlib");
    acTL.writeUInt32BE(crc32(acTL.subarray(4, 16)), 16);
    const animated = Buffer.concat([apng.subarray(0, 33), acTL, apng.subarray(33)]);
    const error = await refusalOf(await teacher(), uploadRequest([["动画.png", animated]]));
    expect(error.key).toBe("files:animationRefused");
  });

  it("strips a GIF's XMP metadata (GPS position) as it strips a JPEG's EXIF", async () => {
    const gif = await gifWithXmpLocation();
    expect(gif.includes(Buffer.from("GPSLatitude"))).toBe(true);
    expect((await sharp(gif).metadata()).width).toBe(4);
    const stored = await uploadOne(await teacher(), gif, "定位.gif");
    const bytes = await storedBytes(await teacher(), stored.id);
    expect(bytes.includes(Buffer.from("GPSLatitude"))).toBe(false);
    expect(bytes.includes(Buffer.from("XMP DataXMP"))).toBe(false);
    expect((await sharp(bytes).metadata()).format).toBe("gif");
  });
});

describe("issue 13 · file names with = or ; upload", () => {
  it("uploads 作业=最终版.docx-like names and a batch mixing them, keeping the names", async () => {
    const { files } = await receiveUploadForm(
      await teacher(),
      uploadRequest([
        ["作业=最终版.txt", "最终版"],
        ["a=b.txt", "a b"],
        ["第一;第二.txt", "分号"],
      ]),
    );
    expect(files.get("file")!.map((f) => f.name)).toEqual(["作业=最终版.txt", "a=b.txt", "第一;第二.txt"]);
    const row = (await first(db().select().from(schema.files).where(eq(schema.files.id, files.get("file")![0]!.id)).limit(1)))!;
    expect(row.name).toBe("作业=最终版.txt");
  });
});

/** GET /files/:id/:name through the route, signed in as `login`. */
async function download(login: string, stored: StoredFile): Promise<Response> {
  const { loader } = await import("~/routes/files.$id.$name");
  const { token } = await createSession((await userByLogin(login)).id, { remember: false, activeRole: "teacher" });
  const request = new Request(`http://localhost${stored.url}`, { headers: { Cookie: `session=${token}` } });
  try {
    return await loader({ request, params: { id: stored.id, name: "x" }, context: { clientAddress: "203.0.113.7" } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\ntrailer<<>>\n%%EOF\n";

describe("issue 13 · a download carries the extension of its detected type", () => {
  it("saves a text file named report.html as report.txt, and keeps names that already fit", async () => {
    const page = await uploadOne(await teacher(), "Quarterly report: words, not markup.", "report.html");
    expect(page.mimeType).toBe("text/plain");
    const answer = await download("wuhou-pri.t1", page);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("Content-Disposition")).toBe('attachment; filename="report.txt"');
    expect(downloadName({ name: "成绩.csv", mimeType: "text/plain" })).toBe("成绩.csv");
    expect(downloadName({ name: "notes.TXT", mimeType: "text/plain" })).toBe("notes.TXT");
    expect(downloadName({ name: "notes.txt", mimeType: "application/pdf" })).toBe("notes.pdf");
    expect(downloadName({ name: "v1.2 final", mimeType: "application/pdf" })).toBe("v1.2 final.pdf");
    expect(downloadName({ name: "photo.JPEG", mimeType: "image/jpeg" })).toBe("photo.JPEG");
    expect(downloadName({ name: "setup.exe", mimeType: "image/png" })).toBe("setup.png");
  });

  it("still answers another reader of a draft 404, whatever its name", async () => {
    const page = await uploadOne(await teacher(), "draft words", "draft.html");
    expect((await download("wuhou-pri.t2", page)).status).toBe(404);
  });
});

describe("issue 13 · PDFs are not served inline without a sandbox", () => {
  it("sends a PDF as an attachment in a script-less sandbox; a photo stays inline, also sandboxed", async () => {
    const pdf = await uploadOne(await teacher(), PDF, "练习.pdf");
    const answer = await download("wuhou-pri.t1", pdf);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("Content-Disposition")).toMatch(/^attachment;/);
    const csp = answer.headers.get("Content-Security-Policy")!;
    expect(csp.split(/;\s*/)).toContain("sandbox");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("script-src");
    const photo = await uploadOne(await teacher(), await sharp({ create: { width: 4, height: 4, channels: 3, background: "#09c" } }).png().toBuffer(), "图.png");
    const shown = await download("wuhou-pri.t1", photo);
    expect(shown.headers.get("Content-Disposition")).toMatch(/^inline;/);
    expect(shown.headers.get("Content-Security-Policy")!.split(/;\s*/)).toContain("sandbox");
  });
});

describe("issue 13 · a sweeper removes what a crash leaves in the uploads folder", () => {
  const HOUR = 3_600_000;
  /** A file under the uploads folder, last written `ageMs` ago. */
  const leftover = (path: string, ageMs: number) => {
    const full = join(uploadsDir(), path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, "bytes");
    const when = new Date(Date.now() - ageMs);
    utimesSync(full, when, when);
    return path;
  };

  it("removes row-less files and .partial files older than an hour, staged parts older than a day; keeps the rest", async () => {
    const kept = await uploadOne(await teacher(), "a stored lesson", "lesson.txt");
    const row = (await first(db().select().from(schema.files).where(eq(schema.files.id, kept.id)).limit(1)))!;
    const storedPath = relative(uploadsDir(), join(uploadsDir(), row.storageKey.slice(0, 2), row.storageKey.slice(2, 4), row.storageKey));
    utimesSync(join(uploadsDir(), storedPath), new Date(Date.now() - 48 * HOUR), new Date(Date.now() - 48 * HOUR));

    const orphan = leftover("zz/yy/zzyyorphan0000000", 2 * HOUR);
    const partial = leftover("zz/yy/zzyyhalf00000000.abc123.partial", 2 * HOUR);
    const staleStaged = leftover(".incoming/crashed0000.part", 25 * HOUR);
    const freshOrphan = leftover("zz/yy/zzyyinflight00000", 10 * 60_000);
    const freshPartial = leftover("zz/yy/zzyywriting00000.def456.partial", 10 * 60_000);
    const slowStaged = leftover(".incoming/slowupload0.part", 2 * HOUR);

    const removed = await sweepUploads();
    expect(removed.sort()).toEqual([orphan, partial, staleStaged].sort());
    for (const path of [orphan, partial, staleStaged]) expect(existsSync(join(uploadsDir(), path))).toBe(false);
    for (const path of [storedPath, freshOrphan, freshPartial, slowStaged]) expect(existsSync(join(uploadsDir(), path))).toBe(true);
    expect((await storedBytes(await teacher(), kept.id)).toString()).toBe("a stored lesson");
  });
});
