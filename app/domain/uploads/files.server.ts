// Uploaded files: streamed in with the size limit enforced as bytes arrive, typed by their bytes (never
// their name), stored under generated keys, photos stripped of EXIF (location!), and recorded as the
// uploader's drafts until a post, portfolio item or avatar takes them. Readers of a file are the readers
// of what it is attached to (visibility.server.ts), so a download can never show more than the page.
// Reading a file back (who may, thumbnails, copies) is file-reading.server.ts.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import { and, eq, inArray } from "drizzle-orm";
import { fileTypeFromFile } from "file-type";
import sharp, { type Metadata } from "sharp";
import { db, outsideTransaction, schema, type DB, first } from "#db/client";
import { EXTENSIONS } from "~/lib/upload-types";
import { uploadsDir } from "~/storage/local.server";
import { currentBackend, storageFor, type StorageBackend } from "~/storage/storage.server";
import { requireSignedIn, type Actor, type SignedInActor } from "../foundation/actor.server";
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from "../foundation/errors.server";
import { FeatureClosedError, isFeatureEnabled } from "../rollout/flags.server";
import { randomId } from "../foundation/ids.server";
import { requireOpenSpace } from "../rollout/rollout.server";
import { filterInOrder, forEachInOrder } from "~/lib/in-order";

/** The largest file accepted, in bytes (env UPLOAD_MAX_MB, default 20 MB). */
export const MAX_UPLOAD_BYTES: number = Math.round(megabytes(process.env.UPLOAD_MAX_MB) * 1024 * 1024);

function megabytes(raw: string | undefined): number {
  const value = Number(raw);
  // A mistyped setting must not lift the limit (a NaN limit would let everything through).
  return raw && Number.isFinite(value) && value > 0 ? value : 20;
}

/** Text fields of an upload form together (rich-text JSON included) may not exceed this. */
const MAX_FIELD_BYTES = 2 * 1024 * 1024;
const DEFAULT_MAX_FILES = 20;
const MAX_NAME_LENGTH = 200;

export type StoredFile = { id: string; name: string; mimeType: string; size: number; url: string; isImage: boolean; thumb?: Thumb | null };

/**
 * The small preview of an image, made by the server (`/thumbs/:id/:width`): `src` for one device pixel
 * per CSS pixel, `srcSet` adds the twice-as-wide one. It always fits in a THUMB_BOX square.
 */
export type Thumb = { src: string; srcSet: string; box: number };

type Tx = Pick<DB, "select" | "update" | "delete">;
export type FileRow = typeof schema.files.$inferSelect;
/** What files can be attached to besides drafts and avatars. */
export type GroupAttachment = "group_cover" | "group_post" | "group_resource" | "group_task" | "group_result";

export type AttachmentTarget = "post" | "portfolio_item" | "lesson" | "announcement" | "assignment" | "submission" | "feedback" | GroupAttachment | "library_version";

/** The download URL of a file: its id decides, the name is only there for people and their browsers. */
export function fileUrl(id: string, name: string): string {
  return `/files/${id}/${encodeURIComponent(cleanFileName(name))}`;
}

export function stored(row: Pick<FileRow, "id" | "name" | "mimeType" | "size">): StoredFile {
  return {
    id: row.id,
    name: row.name,
    mimeType: row.mimeType,
    size: row.size,
    url: fileUrl(row.id, row.name),
    isImage: row.mimeType.startsWith("image/"),
    thumb: IMAGE_TYPES.has(row.mimeType) ? thumbOf(row.id) : null,
  };
}

/** The widths a thumbnail is made in (CSS px × 1 and × 2): no other width is made, so none can be asked for in bulk. */
export const THUMB_WIDTHS = [320, 640] as const;
/** The square (CSS px) a thumbnail is shown in; the image keeps its proportions inside it. */
export const THUMB_BOX = THUMB_WIDTHS[0];

function thumbOf(id: string): Thumb {
  const [one, two] = THUMB_WIDTHS;
  return { src: `/thumbs/${id}/${one}`, srcSet: `/thumbs/${id}/${one} 1x, /thumbs/${id}/${two} 2x`, box: THUMB_BOX };
}

// ---------------------------------------------------------------------------------------------
// File names

// Names Windows will not open or save (with any extension): a download named CON.txt fails there.
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
// Bidirectional controls can make "gpj.exe" display as "exe.jpg"; zero-width characters hide text.
const INVISIBLE = /[\p{Cc}\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;

/**
 * A person's file name made safe to show and to offer as a download name: only its last path part,
 * NFC, no control or direction characters, none of the characters Windows forbids, not a reserved
 * device name, at most 200 characters with the extension kept. Never used as a storage key.
 */
export function cleanFileName(raw: string): string {
  let name = (raw.normalize("NFC").split(/[/\\]/).pop() ?? "").replace(INVISIBLE, "");
  name = name.replace(/[<>:"|?*]/g, "_").replace(/\s+/g, " ");
  // Leading dots hide files on Unix ("..", ".htaccess"); trailing dots and spaces are dropped by Windows.
  name = name.replace(/^[\s.]+/, "").replace(/[\s.]+$/, "");
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  let ext = dot > 0 ? name.slice(dot) : "";
  if (RESERVED_NAMES.test(stem.split(".")[0] ?? "")) name = `_${name}`;
  if (!name) return "file";
  const chars = [...name];
  if (chars.length <= MAX_NAME_LENGTH) return name;
  if ([...ext].length > 20) ext = "";
  const keep = MAX_NAME_LENGTH - [...ext].length;
  const base = ext ? [...name.slice(0, name.length - ext.length)] : chars;
  return base.slice(0, keep).join("").trimEnd() + ext;
}

/**
 * The name a download is saved under: the person's name, with the extension of what the bytes are.
 * A text file called report.html would otherwise open in a browser as a page from the reader's disk.
 */
export function downloadName(file: Pick<StoredFile, "name" | "mimeType">): string {
  const name = cleanFileName(file.name);
  const allowed = EXTENSIONS[file.mimeType];
  if (!allowed) return name;
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(name);
  if (match && allowed.includes(match[1]!.toLowerCase())) return name;
  // "report.html" becomes "report.txt"; "v1.2 final" (no real extension) becomes "v1.2 final.pdf".
  const stem = match ? name.slice(0, match.index) : name;
  return cleanFileName(`${stem}.${allowed[0]}`);
}

// ---------------------------------------------------------------------------------------------
// Types by their bytes

const OFFICE_ZIP: Record<string, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
};

const ALLOWED_BY_EXT: Record<string, string> = {
  jpg: "image/jpeg",
  png: "image/png",
  apng: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  pdf: "application/pdf",
  ...OFFICE_ZIP,
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  opus: "audio/ogg",
  wav: "audio/wav",
  mp4: "video/mp4",
  webm: "video/webm",
};

/** Images, every one re-encoded before it is stored: pixels capped, metadata (EXIF GPS, XMP) gone. */
export const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

/** An old Office file is a compound file (CFB); which one it is shows in its stream names (UTF-16LE). */
const CFB_STREAMS: [string, string][] = [
  ["WordDocument", "application/msword"],
  ["Workbook", "application/vnd.ms-excel"],
  ["Book", "application/vnd.ms-excel"],
  ["PowerPoint Document", "application/vnd.ms-powerpoint"],
];

async function cfbType(path: string): Promise<string | null> {
  const bytes = await readFile(path);
  for (const [stream, mime] of CFB_STREAMS) {
    if (bytes.includes(Buffer.from(stream, "utf16le"))) return mime;
  }
  return null; // e.g. an .msi installer: also a compound file, and refused
}

/** What a browser would treat as markup: refused even though it is text (an HTML file renamed .png). */
function looksLikeMarkup(start: Uint8Array): boolean {
  const head = Buffer.from(start).toString("utf8").replace(/^\ufeff/, "").trimStart().toLowerCase();
  return head.startsWith("<") || /<(script|html|body|svg|iframe|object|embed|meta|!doctype|\?xml)\b/.test(head);
}

// ---------------------------------------------------------------------------------------------
// Receiving an upload

/**
 * Who may use the general upload endpoint (POST /files: the editor's images, the no-JS fallback): a
 * person whose own space is open and who may write a blog or a portfolio, the places files go.
 */
export async function requireUploader(actor: Actor): Promise<SignedInActor> {
  const uploader = requireSignedIn(actor);
  await requireOpenSpace(uploader);
  if (!await isFeatureEnabled(uploader, "blog") && !await isFeatureEnabled(uploader, "portfolio")) throw new FeatureClosedError("blog");
  return uploader;
}

class Refusal extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(key);
  }
}

type Received = { field: string; row: typeof schema.files.$inferInsert; file: StoredFile };

/**
 * Streams a multipart request: every file part is size-limited while streaming, typed by its bytes,
 * stored under a generated key, EXIF-stripped if a photo, recorded as a "draft" owned by the actor.
 * Text fields come back as a plain map. A refused file throws ValidationError with a field error on
 * that input's name (keys in files: namespace) and leaves no file and no row (including the files of
 * the same request stored before it). `opts.fields`, when given, is filled as the text fields arrive, so
 * after a refusal the caller still has what was typed (a refused form is shown again with it).
 */
export async function receiveUploadForm(
  actor: Actor,
  request: Request,
  opts: { maxFiles?: number; accept?: "any" | "image"; fields?: Map<string, string> } = {},
): Promise<{ fields: Map<string, string>; files: Map<string, StoredFile[]> }> {
  const uploader = requireSignedIn(actor);
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  const accept = opts.accept ?? "any";
  const backend = currentBackend();
  const storage = storageFor(backend);
  const incoming = join(uploadsDir(), ".incoming");
  await mkdir(incoming, { recursive: true });

  const fields = opts.fields ?? new Map<string, string>();
  const received: Received[] = [];
  let fieldBytes = 0;
  let currentField: string | null = null;

  try {
    const contentType = request.headers.get("Content-Type") ?? "";
    if (!contentType.startsWith("multipart/form-data") || !request.body) throw new Refusal("files:notMultipart");
    for await (const part of multipartParts(request.body, contentType)) {
      if (part.kind === "field") {
        fieldBytes += Buffer.byteLength(part.value, "utf8");
        if (part.truncated || fieldBytes > MAX_FIELD_BYTES) throw new Refusal("files:formTooLarge");
        fields.set(part.name, part.value);
        continue;
      }
      currentField = part.name;
      const result = await receiveFilePart(part, { uploader, backend, incoming, accept, alreadyReceived: received.length, maxFiles });
      if (result) received.push(result);
      currentField = null;
    }
    if (received.length) {
      await db().transaction(
        async (tx) => {
          for (const { row } of received) await tx.insert(schema.files).values(row);
        },
        { behavior: "immediate" },
      );
    }
  } catch (error) {
    // Nothing of a failed request stays: neither the files stored before the failing one nor a row.
    await Promise.allSettled(received.map(async ({ row }) => storage.delete(row.storageKey)));
    const field = currentField ?? "form";
    if (error instanceof Refusal) {
      throw new ValidationError({ [field]: { key: error.key, params: error.params } }, error.key, error.params);
    }
    if (error instanceof DomainError) throw error;
    // The body ended early or broke mid-part: the client gave up or the connection dropped.
    throw new ValidationError({ [field]: { key: "files:cutOff" } }, "files:cutOff");
  }

  const files = new Map<string, StoredFile[]>();
  for (const { field, file } of received) files.set(field, [...(files.get(field) ?? []), file]);
  return { fields, files };
}

type FilePart = { kind: "file"; name: string; filename: string; data: AsyncIterable<Uint8Array> };
type FormPart = { kind: "field"; name: string; value: string; truncated: boolean } | FilePart;

/**
 * The parts of a multipart body one at a time, file contents streamed. busboy reads Content-Disposition
 * as RFC 7578 says (quoted names may hold `=` and `;`: "作业=最终版.docx" is an ordinary name) and
 * waits while a file part is not being read, so a large file never piles up in memory.
 */
async function* multipartParts(body: ReadableStream<Uint8Array>, contentType: string): AsyncGenerator<FormPart> {
  const parser = busboy({
    headers: { "content-type": contentType },
    // Browsers send names as raw UTF-8; a longer field than the whole form may hold is refused above.
    defParamCharset: "utf8",
    limits: { fieldSize: MAX_FIELD_BYTES + 1, fieldNameSize: 200 },
    highWaterMark: 64 * 1024,
  });
  const queue: (FormPart | Error | "end")[] = [];
  let wake: (() => void) | null = null;
  const push = (event: FormPart | Error | "end") => {
    queue.push(event);
    wake?.();
    wake = null;
  };
  parser.on("field", (name, value, info) => push({ kind: "field", name, value, truncated: info.valueTruncated }));
  parser.on("file", (name, stream, info) => {
    // A reader that gives up on a file (too large, refused type) ends the whole request there.
    stream.on("close", () => {
      if (!stream.readableEnded) parser.destroy();
    });
    // A body broken mid-file errors this stream; its reader learns it from the stream itself, and a
    // part nobody reads yet must not take the process down with an unhandled 'error'.
    stream.on("error", () => undefined);
    push({ kind: "file", name, filename: info.filename ?? "", data: stream });
  });
  parser.on("finish", () => push("end"));
  parser.on("error", (error) => push(error instanceof Error ? error : new Error(String(error))));
  // Read only when busboy has taken the last chunk: nothing is read ahead of a file's limit, and a body
  // that breaks off breaks the part it was in (whose field the refusal names), not an earlier one.
  const reader = body.getReader();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return void parser.end();
        if (!parser.write(value)) await drained(parser);
        // The part's reader checks the limit on the chunk just taken; let it refuse before reading on.
        await new Promise((resolve) => setImmediate(resolve));
        if (parser.destroyed) return;
      }
    } catch (error) {
      parser.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  try {
    for (;;) {
      while (!queue.length) await new Promise<void>((resolve) => (wake = resolve));
      const event = queue.shift()!;
      if (event === "end") return;
      if (event instanceof Error) throw event;
      yield event;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
    parser.destroy();
  }
}

/** Resolves when a writable wants more, or will never again (closed). */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

async function receiveFilePart(
  part: FilePart,
  ctx: { uploader: SignedInActor; backend: StorageBackend; incoming: string; accept: "any" | "image"; alreadyReceived: number; maxFiles: number },
): Promise<Received | null> {
  const staged = join(ctx.incoming, `${randomId(12)}.part`);
  const output = `${staged}.out`;
  try {
    const hash = createHash("sha256");
    let size = 0;
    let start = new Uint8Array(0);
    let nul = false;
    let utf8 = true;
    const decoder = new TextDecoder("utf-8", { fatal: true });
    // Opened before the first byte arrives, so a part refused at once leaves no file created late.
    const sink = (await open(staged, "wx")).createWriteStream();
    const limit = MAX_UPLOAD_BYTES;
    await pipeline(
      (async function* () {
        for await (const chunk of part.data) {
          size += chunk.byteLength;
          // Refused as soon as the first byte past the limit arrives, not after the whole body.
          if (size > limit) throw new Refusal("files:tooLarge", { max: Math.round(limit / 1024 / 1024) });
          if (ctx.alreadyReceived >= ctx.maxFiles) throw new Refusal("files:tooMany", { max: ctx.maxFiles });
          hash.update(chunk);
          if (start.byteLength < 1024) start = Buffer.concat([start, chunk.subarray(0, 1024 - start.byteLength)]);
          if (!nul && chunk.includes(0)) nul = true;
          if (utf8 && !nul) {
            try {
              decoder.decode(chunk, { stream: true });
            } catch {
              utf8 = false;
            }
          }
          yield chunk;
        }
      })(),
      sink,
    );
    if (size === 0) {
      // A file input left empty sends a nameless, empty part: no file was chosen, nothing to refuse.
      if (!part.filename) return null;
      throw new Refusal("files:empty");
    }
    if (utf8) {
      try {
        decoder.decode();
      } catch {
        utf8 = false;
      }
    }

    const mimeType = await sniff(staged, { start, utf8: utf8 && !nul });
    if (!mimeType) throw new Refusal("files:refusedType");
    if (ctx.accept === "image" && !IMAGE_TYPES.has(mimeType)) throw new Refusal("files:imageOnly");

    let sha256 = hash.digest("hex");
    let source = staged;
    if (IMAGE_TYPES.has(mimeType)) {
      await reencodeImage(staged, output, mimeType, size);
      source = output;
      ({ sha256, size } = await digestOf(output));
    }

    const storageKey = randomId(16);
    await storageFor(ctx.backend).put(storageKey, createReadStream(source));
    const id = randomId();
    const name = cleanFileName(part.filename ?? "");
    const row = { id, ownerId: ctx.uploader.id, schoolId: ctx.uploader.schoolId, backend: ctx.backend, storageKey, name, mimeType, size, sha256, attachedTo: "draft" as const };
    return { field: part.name, row, file: stored(row) };
  } finally {
    await rm(staged, { force: true });
    await rm(output, { force: true });
  }
}

async function sniff(path: string, text: { start: Uint8Array; utf8: boolean }): Promise<string | null> {
  const detected = await fileTypeFromFile(path);
  if (detected) {
    if (detected.ext === "cfb") return cfbType(path);
    // sharp cannot read an APNG's frames: stored, it would silently become its first frame.
    if (detected.ext === "apng") throw new Refusal("files:animationRefused");
    return ALLOWED_BY_EXT[detected.ext] ?? null;
  }
  if (text.utf8 && !looksLikeMarkup(text.start)) return "text/plain";
  return null;
}

/**
 * The most pixels an image may have, all frames of an animation together: a 50-megapixel phone photo
 * fits; a small file that would unpack into gigabytes of pixels (a decompression bomb) does not.
 */
export const MAX_IMAGE_PIXELS = 64_000_000;
/** Re-encoding a legitimate image takes well under this; a crafted one is stopped here. */
export const IMAGE_SECONDS = 15;

const SHARP_FORMAT = { "image/jpeg": "jpeg", "image/png": "png", "image/gif": "gif", "image/webp": "webp" } as const;

/**
 * Re-encodes an image in its own format, upright and without its metadata (sharp drops EXIF, XMP and
 * IPTC by default; GIFs carry XMP with GPS too), never into more bytes than were received: on a 64 kbps
 * link a photo made smaller in the browser must not be stored (and downloaded again) larger. Sizes come
 * from the header before any pixel is decoded, and an animation keeps every frame: it is never flattened
 * into its first one.
 */
async function reencodeImage(input: string, output: string, mimeType: string, receivedBytes: number): Promise<void> {
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false, animated: true }).metadata();
  } catch {
    // Bytes that start like an image but do not decode are not an image we will serve.
    throw new Refusal("files:refusedType");
  }
  const frames = Math.max(1, meta.pages ?? 1);
  const frameHeight = meta.pageHeight ?? (meta.height ?? 0) / frames;
  if ((meta.width ?? 0) * frameHeight * frames > MAX_IMAGE_PIXELS) throw new Refusal("files:imageTooBig", { megapixels: MAX_IMAGE_PIXELS / 1_000_000 });
  const format = SHARP_FORMAT[mimeType as keyof typeof SHARP_FORMAT];
  let smallest: Buffer | null = null;
  try {
    for (const options of ENCODINGS[format]) {
      let image = sharp(input, { limitInputPixels: MAX_IMAGE_PIXELS, animated: frames > 1 }).timeout({ seconds: IMAGE_SECONDS });
      // Turning an animation upright would need every frame turned; phones write no orientation into GIFs.
      if (frames === 1) image = image.rotate();
      const encoded = await image.toFormat(format, options).toBuffer();
      if (!smallest || encoded.byteLength < smallest.byteLength) smallest = encoded;
      if (encoded.byteLength <= receivedBytes) break;
    }
  } catch (error) {
    // Out of time or over the pixel limit is the image's size; anything else, bytes that do not decode.
    if (/timeout|pixel limit/i.test(String(error))) throw new Refusal("files:imageTooBig", { megapixels: MAX_IMAGE_PIXELS / 1_000_000 });
    throw new Refusal("files:refusedType");
  }
  if (smallest && smallest.byteLength > receivedBytes) {
    // The received bytes (they decoded above) are kept only once nothing in them can locate or name
    // anyone: an upright JPEG or PNG loses its metadata losslessly; a GIF or WebP must carry none. A
    // sideways photo cannot lose its orientation tag, so it keeps the smallest upright re-encode.
    const received = await readFile(input);
    const upright = (meta.orientation ?? 1) === 1;
    const stripped = format === "jpeg" ? jpegWithoutMetadata(received) : format === "png" ? pngWithoutMetadata(received) : hasNoMetadata(meta) ? received : null;
    const clean = upright ? stripped : null;
    if (clean && clean.byteLength < smallest.byteLength) smallest = clean;
  }
  await writeFile(output, smallest!);
}

/**
 * The encodings tried in turn until one is no larger than what was received: the first is the house
 * quality; the later ones only serve an image that was already compressed harder than that.
 */
const ENCODINGS: Record<(typeof SHARP_FORMAT)[keyof typeof SHARP_FORMAT], object[]> = {
  jpeg: [{ quality: 90 }, { quality: 80 }, { quality: 70 }, { quality: 60 }],
  png: [{}, { compressionLevel: 9, adaptiveFiltering: true }],
  gif: [{}, { effort: 10 }],
  webp: [{}, { quality: 70, effort: 6 }],
};

function hasNoMetadata(meta: Metadata): boolean {
  return !meta.exif && !meta.xmp && !meta.iptc && !meta.comments?.length;
}

/** JPEG segments that describe pixels (JFIF, ICC colours, Adobe's colour transform); the rest may hold EXIF, GPS, XMP, names. */
const JPEG_KEEP = new Set([0xe0, 0xe2, 0xee]);

/** PNG chunks that describe pixels; the others (eXIf, tEXt, zTXt, iTXt, tIME…) may hold GPS, names, dates. */
const PNG_KEEP = new Set(["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD"]);

/** A PNG's bytes with only the chunks that describe pixels, copied as they are: never larger than the input. */
function pngWithoutMetadata(png: Buffer): Buffer | null {
  const kept: Buffer[] = [png.subarray(0, 8)];
  let at = 8;
  while (at + 12 <= png.length) {
    const chunkEnd = at + 12 + png.readUInt32BE(at);
    if (chunkEnd > png.length) return null;
    const type = png.subarray(at + 4, at + 8).toString("latin1");
    if (PNG_KEEP.has(type)) kept.push(png.subarray(at, chunkEnd));
    if (type === "IEND") return Buffer.concat(kept);
    at = chunkEnd;
  }
  return null;
}

/**
 * A JPEG's bytes without its metadata segments (APP1 EXIF/XMP, APP13 IPTC, comments…), pixels
 * untouched: never larger than the input. The image data after the start-of-scan is copied as is.
 */
function jpegWithoutMetadata(jpeg: Buffer): Buffer | null {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  const kept: Buffer[] = [jpeg.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= jpeg.length) {
    if (jpeg[at] !== 0xff) return null;
    const marker = jpeg[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xda) return Buffer.concat([...kept, jpeg.subarray(at)]);
    const length = jpeg.readUInt16BE(at + 2);
    const segment = jpeg.subarray(at, at + 2 + length);
    const icc = marker === 0xe2 && segment.subarray(4, 15).toString("latin1") === "ICC_PROFILE";
    const metadata = (marker >= 0xe1 && marker <= 0xef && !(JPEG_KEEP.has(marker) && (marker !== 0xe2 || icc))) || marker === 0xfe;
    if (!metadata) kept.push(segment);
    at += 2 + length;
  }
  return null;
}

async function digestOf(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return { sha256: hash.digest("hex"), size: (await stat(path)).size };
}

// ---------------------------------------------------------------------------------------------
// Leftovers of a crash

const HOUR = 3_600_000;

/**
 * Removes what a crash or a killed process leaves under the uploads folder: `.partial` files (a write
 * cut off before its rename), complete files no row names (stored, then the request died before its
 * rows were written), and staged parts. Only things older than an hour go (a day for staged parts: a
 * slow upload on a thin link is still being written there), so uploads in flight are never touched.
 * Run at start-up and daily; returns the paths removed, relative to the uploads folder.
 */
export async function sweepUploads(now = Date.now()): Promise<string[]> {
  const root = uploadsDir();
  const removed: string[] = [];
  const visit = async (dir: string, staging: boolean): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await visit(path, staging || (dir === root && entry.name === ".incoming"));
        continue;
      }
      const info = await stat(path).catch(() => null);
      const age = info ? now - info.mtimeMs : 0;
      // A cached thumbnail (.thumbs/ab/<key>.w320.webp) goes with the file it was made from.
      const thumbnail = relative(root, dir).split("/")[0] === THUMBS_DIR;
      const key = thumbnail ? (entry.name.split(".")[0] ?? "") : entry.name;
      const leftover = staging ? age > 24 * HOUR : age > HOUR && (entry.name.endsWith(".partial") || !await hasRow(key));
      if (!leftover) continue;
      await rm(path, { force: true });
      removed.push(relative(root, path));
    }
  };
  await visit(root, false);
  return removed;
}

async function hasRow(storageKey: string): Promise<boolean> {
  return Boolean(await first(db().select({ id: schema.files.id }).from(schema.files).where(eq(schema.files.storageKey, storageKey)).limit(1)));
}

// ---------------------------------------------------------------------------------------------
// Attaching, listing and removing

/**
 * Attaches the actor's own draft files (or files already attached to the same target) to a post /
 * portfolio item / avatar, inside the caller's transaction. Refuses another person's file.
 */
export async function attachFiles(
  tx: Tx,
  actor: Actor,
  fileIds: string[],
  target: { type: AttachmentTarget; id: string } | { type: "avatar" },
): Promise<void> {
  const owner = requireSignedIn(actor);
  const ids = [...new Set(fileIds)];
  if (!ids.length) return;
  const rows = await tx.select().from(schema.files).where(inArray(schema.files.id, ids));
  const attachedId = target.type === "avatar" ? null : target.id;
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    if (!row) throw new NotFoundError();
    if (row.ownerId !== owner.id) throw new ForbiddenError();
    const sameTarget = row.attachedTo === target.type && row.attachedId === attachedId;
    if (row.attachedTo !== "draft" && !sameTarget) throw new ForbiddenError();
    if (target.type === "avatar" && !IMAGE_TYPES.has(row.mimeType)) throw new ValidationError({ avatar: { key: "files:imageOnly" } });
  }
  await forEachInOrder(ids, async (id, position) => {
        await tx.update(schema.files).set({ attachedTo: target.type, attachedId, position }).where(eq(schema.files.id, id));
      });
}

/** The files attached to a post or portfolio item, in their order (the caller has checked visibility). */
export async function filesOf(type: AttachmentTarget, id: string): Promise<StoredFile[]> {
  return (await db()
      .select()
      .from(schema.files)
      .where(and(eq(schema.files.attachedTo, type), eq(schema.files.attachedId, id)))
      .orderBy(schema.files.position, schema.files.createdAt))
    .map(stored);
}

/** Removes files (rows in the caller's tx; bytes after commit, best effort). */
export async function deleteFiles(tx: Tx, actor: Actor, fileIds: string[]): Promise<void> {
  const owner = requireSignedIn(actor);
  const ids = [...new Set(fileIds)];
  if (!ids.length) return;
  const rows = await tx.select().from(schema.files).where(inArray(schema.files.id, ids));
  if (rows.some((r) => r.ownerId !== owner.id)) throw new ForbiddenError();
  await tx.delete(schema.files).where(inArray(schema.files.id, ids));
  removeBytesAfterCommit(rows);
}

/**
 * Deletes every file attached to a post or portfolio item being deleted. For callers that have already
 * decided the actor may delete that post or item (its author, or an admin of its school).
 */
export async function deleteFilesOf(tx: Tx, target: { type: AttachmentTarget; id: string }): Promise<void> {
  const attached = and(eq(schema.files.attachedTo, target.type), eq(schema.files.attachedId, target.id));
  const rows = await tx.select().from(schema.files).where(attached);
  await tx.delete(schema.files).where(attached);
  removeBytesAfterCommit(rows);
}

/**
 * Runs `work`; if it refuses, the files uploaded with the form are discarded (nothing half-stored: the
 * typed text goes back to the form, the files are asked for again).
 */
export async function orDiscard<T>(actor: Actor, uploaded: string[], work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (actor && uploaded.length) await discardDrafts(actor, uploaded);
    throw error;
  }
}

/** Deletes the actor's draft files (e.g. a form failed validation after upload). */
export async function discardDrafts(actor: Actor, fileIds: string[]): Promise<void> {
  const owner = requireSignedIn(actor);
  const ids = [...new Set(fileIds)];
  if (!ids.length) return;
  const mine = and(inArray(schema.files.id, ids), eq(schema.files.ownerId, owner.id), eq(schema.files.attachedTo, "draft"));
  const rows = await db().transaction(
    async (tx) => {
      const found = await tx.select().from(schema.files).where(mine);
      await tx.delete(schema.files).where(mine);
      return found;
    },
    { behavior: "immediate" },
  );
  removeBytesAfterCommit(rows);
}

/**
 * Deletes the bytes once the transaction that removed their rows has ended. The check runs outside the
 * caller's transaction, so it waits for that transaction's end and sees only what was committed: a row
 * that is still there means it rolled back, and its bytes stay.
 */
export function removeBytesAfterCommit(rows: Pick<FileRow, "backend" | "storageKey">[]): void {
  if (!rows.length) return;
  const removeUnreferenced = async () => {
    const gone = await filterInOrder(rows, async (row) => !(await first(db().select({ id: schema.files.id }).from(schema.files).where(eq(schema.files.storageKey, row.storageKey)).limit(1))));
    await Promise.all(
      gone.map((row) =>
        Promise.all([storageFor(row.backend).delete(row.storageKey), removeThumbnails(row.storageKey)]).catch((error: unknown) =>
          console.warn(`files: could not delete ${row.backend}:${row.storageKey}`, error),
        ),
      ),
    );
  };
  const done = new Promise<void>((resolve) => {
    setImmediate(() => {
      outsideTransaction(removeUnreferenced)
        .catch((error: unknown) => console.warn("files: could not check removed files", error))
        .finally(resolve);
    }
    );
  });
  pendingRemovals.add(done);
  void done.then(() => pendingRemovals.delete(done));
}

const pendingRemovals = new Set<Promise<void>>();

/** Resolves once the bytes of removed files scheduled so far are gone (graceful shutdown, tests). */
export async function removalsSettled(): Promise<void> {
  while (pendingRemovals.size) await Promise.all(pendingRemovals);
}

// ---------------------------------------------------------------------------------------------
// Thumbnails

/** Cached thumbnails live on the local disk whatever the backend: uploads/.thumbs/ab/<key>.w320.webp. */
const THUMBS_DIR = ".thumbs";
export const THUMB_FORMATS = { webp: "image/webp", jpeg: "image/jpeg" } as const;
export type ThumbFormat = keyof typeof THUMB_FORMATS;

export function thumbPath(storageKey: string, width: number, format: ThumbFormat): string {
  return join(uploadsDir(), THUMBS_DIR, storageKey.slice(0, 2), `${storageKey}.w${width}.${format}`);
}

async function removeThumbnails(storageKey: string): Promise<void> {
  await Promise.all(THUMB_WIDTHS.flatMap((w) => (Object.keys(THUMB_FORMATS) as ThumbFormat[]).map((f) => rm(thumbPath(storageKey, w, f), { force: true }))));
}
