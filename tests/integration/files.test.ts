import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import writeXlsxFile from "write-excel-file/node";
import { db, schema, first } from "#db/client";
import type { Visibility } from "#db/schema";
import type { Actor } from "~/domain/foundation/actor.server";
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { openFile } from "~/domain/downloads/file-reading.server";
import { attachFiles, cleanFileName, deleteFiles, discardDrafts, fileUrl, filesOf, MAX_UPLOAD_BYTES, receiveUploadForm, removalsSettled, requireUploader, type StoredFile } from "~/domain/uploads/files.server";
import { randomId } from "~/domain/foundation/ids.server";
import { recordConsent } from "~/domain/rollout/rollout.server";
import { uploadsDir } from "~/storage/local.server";
import { currentBackend, storageFor } from "~/storage/storage.server";
import { actorFor, demoWorld, userByLogin } from "../support/world";

beforeAll(async () => {
  await demoWorld();
  // wuhou-pri.s3 reads as a classmate: a pupil reads others only once their own space is open
  // (issue 13 #8b), so the demo's s3 gets a guardian's paper consent. wuhou-pri.s2 stays without.
  await recordConsent(await actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s3", guardianName: "王秀兰", signedOn: "2026-09-01", decision: "given" });
});

// ---------------------------------------------------------------------------------------------
// helpers

function uploadRequest(parts: [string, File | string][]): Request {
  const form = new FormData();
  for (const [name, value] of parts) form.append(name, value);
  return new Request("http://localhost/files", { method: "POST", body: form });
}

const file = (bytes: BlobPart | Buffer, name: string, type = "application/octet-stream") => new File([Buffer.isBuffer(bytes) ? new Uint8Array(bytes) : bytes], name, { type });

/** Every file under the uploads folder (staging included), as paths relative to it. */
function storedPaths(): string[] {
  const root = uploadsDir();
  const walk = (dir: string): string[] => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries.flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [relative(root, join(dir, e.name))]));
  };
  return walk(root).sort();
}

/** Bytes of removed rows go after the transaction commits, on the next turn of the event loop. */
const settle = async () => removalsSettled();

const fileRows = async () => db().select().from(schema.files);

/** Runs an upload that must be refused, and checks it left neither a row nor a file behind. */
async function expectRefused(actor: Actor, request: Request, key: string, opts?: Parameters<typeof receiveUploadForm>[2]) {
  const pathsBefore = storedPaths();
  const rowsBefore = (await fileRows()).length;
  const error = await receiveUploadForm(actor, request, opts).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).key).toBe(key);
  expect(storedPaths()).toEqual(pathsBefore);
  expect((await fileRows()).length).toBe(rowsBefore);
  return error as ValidationError;
}

async function uploadOne(actor: Actor, bytes: BlobPart | Buffer, name: string): Promise<StoredFile> {
  const { files } = await receiveUploadForm(actor, uploadRequest([["file", file(bytes, name)]]));
  const stored = files.get("file")?.[0];
  if (!stored) throw new Error("nothing stored");
  return stored;
}

const BOUNDARY = "----rrt-test-boundary";
const encoder = new TextEncoder();
const partHead = (name: string, filename: string) =>
  encoder.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);

/** A request whose body arrives chunk by chunk and then breaks off (an error) or just stops (a close). */
function streamedRequest(chunks: () => Iterator<Uint8Array>, onPull?: (bytes: number) => void): Request {
  const source = chunks();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = source.next();
      if (next.done) {
        if (next.value === "error") controller.error(new Error("client went away"));
        else controller.close();
        return;
      }
      onPull?.(next.value.byteLength);
      controller.enqueue(next.value);
    },
  });
  return new Request("http://localhost/files", {
    method: "POST",
    body,
    headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` },
    duplex: "half",
  } as RequestInit);
}

async function bytesOf(body: ReadableStream<Uint8Array> | NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** A tenth of a second of silence as a 16-bit mono WAV file. */
function wav(): Buffer {
  const samples = Buffer.alloc(1600);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

async function photoWithLocation(): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 16, channels: 3, background: "#c33" } })
    .jpeg()
    .withExif({
      IFD0: { Copyright: "Camera Owner", Make: "PhoneMaker" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "30/1 39/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "104/1 4/1 0/1" },
    })
    .toBuffer();
}

async function insertPost(authorLogin: string, values: { visibility: Visibility; status?: "draft" | "published"; approval?: "none" | "pending" | "approved" | "rejected" }): Promise<string> {
  const author = await userByLogin(authorLogin);
  const id = randomId();
  await db()
      .insert(schema.posts)
      .values({ id, authorId: author.id, schoolId: author.schoolId, title: "t", bodyJson: { type: "doc", content: [] }, bodyHtml: "", status: "published", ...values });
  return id;
}

async function insertPortfolioItem(ownerLogin: string, visibility: Visibility): Promise<string> {
  const owner = await userByLogin(ownerLogin);
  const id = randomId();
  await db()
      .insert(schema.portfolioItems)
      .values({ id, ownerId: owner.id, schoolId: owner.schoolId, title: "作品", kind: "work", occurredOn: "2026-06-01", descriptionJson: { type: "doc", content: [] }, descriptionHtml: "", visibility });
  return id;
}

async function attached(ownerLogin: string, target: Parameters<typeof attachFiles>[3]): Promise<StoredFile> {
  const owner = await actorFor(ownerLogin);
  const stored = await uploadOne(owner, "lesson notes", "notes.txt");
  await db().transaction(async (tx) => attachFiles(tx, owner, [stored.id], target));
  return stored;
}

async function readable(actor: Actor, fileId: string): Promise<boolean | "sign-in"> {
  try {
    const { body } = await openFile(actor, fileId);
    await bytesOf(body);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    if (error instanceof ForbiddenError && error.status === 401) return "sign-in";
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------

describe("receiving uploads", () => {
  it("stores a text file under a generated key with its checksum, as the uploader's draft", async () => {
    const teacher = await actorFor("wuhou-pri.t1");
    const text = "第一课：春天来了。\n";
    const { files, fields } = await receiveUploadForm(teacher, uploadRequest([["title", "春天"], ["file", file(text, "课文.txt")]]));
    expect(fields.get("title")).toBe("春天");
    const stored = files.get("file")![0]!;
    expect(stored).toMatchObject({ name: "课文.txt", mimeType: "text/plain", size: Buffer.byteLength(text), isImage: false });
    expect(stored.url).toBe(`/files/${stored.id}/${encodeURIComponent("课文.txt")}`);
    const row = (await first(db().select().from(schema.files).where(eq(schema.files.id, stored.id)).limit(1)))!;
    expect(row).toMatchObject({ ownerId: teacher.id, schoolId: teacher.schoolId, attachedTo: "draft", backend: "local" });
    expect(row.sha256).toBe(createHash("sha256").update(text).digest("hex"));
    expect(row.storageKey).not.toContain("课文");
    expect(storedPaths()).toContain(join(row.storageKey.slice(0, 2), row.storageKey.slice(2, 4), row.storageKey));
    const { file: opened, body } = await openFile(teacher, stored.id);
    expect(opened.sha256).toBe(row.sha256);
    expect((await bytesOf(body)).toString("utf8")).toBe(text);
    const part = await openFile(teacher, stored.id, { range: { start: 0, end: 8 } });
    expect((await bytesOf(part.body)).toString("utf8")).toBe("第一课");
  });

  it("decides the type from the bytes: a PDF named .txt is a PDF", async () => {
    const pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    const stored = await uploadOne(await actorFor("wuhou-pri.t1"), pdf, "notes.txt");
    expect(stored.mimeType).toBe("application/pdf");
  });

  it("accepts the other kinds by their bytes: spreadsheet, GIF, WAV, old Word; refuses other compound files", async () => {
    const teacher = await actorFor("wuhou-pri.t1");
    const xlsx = await writeXlsxFile([[{ value: "姓名" }], [{ value: "王小明" }]]).toBuffer();
    expect((await uploadOne(teacher, xlsx, "成绩.xlsx")).mimeType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#fc0" } }).gif().toBuffer();
    expect((await uploadOne(teacher, gif, "dot.gif")).mimeType).toBe("image/gif");
    expect((await uploadOne(teacher, wav(), "读音.wav")).mimeType).toBe("audio/wav");
    const cfbMagic = Buffer.from("d0cf11e0a1b11ae1", "hex");
    const word = Buffer.concat([cfbMagic, Buffer.alloc(1024), Buffer.from("WordDocument", "utf16le"), Buffer.alloc(512)]);
    expect((await uploadOne(teacher, word, "教案.doc")).mimeType).toBe("application/msword");
    const installer = Buffer.concat([cfbMagic, Buffer.alloc(1024), Buffer.from("SummaryInformation", "utf16le"), Buffer.alloc(512)]);
    await expectRefused(teacher, uploadRequest([["file", file(installer, "教案.doc")]]), "files:refusedType");
  });

  it("strips EXIF (GPS location, camera) from photos and records the checksum of what is stored", async () => {
    const photo = await photoWithLocation();
    const before = await sharp(photo).metadata();
    expect(before.exif?.includes(Buffer.from("Camera Owner"))).toBe(true);
    expect(before.exif?.includes(Buffer.from([0x88, 0x25])) || before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the GPS IFD pointer

    const teacher = await actorFor("wuhou-pri.t1");
    const stored = await uploadOne(teacher, photo, "IMG_0001.JPG");
    expect(stored).toMatchObject({ mimeType: "image/jpeg", isImage: true });
    const { file: opened, body } = await openFile(teacher, stored.id);
    const bytes = await bytesOf(body);
    const after = await sharp(bytes).metadata();
    expect(after.exif).toBeUndefined();
    expect([after.width, after.height]).toEqual([32, 16]);
    expect(bytes.includes(Buffer.from("Camera Owner"))).toBe(false);
    expect(opened.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(opened.size).toBe(bytes.byteLength);
  });

  it("refuses a file over the limit while it streams, without reading the rest", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(256 * 1024).fill(97);
    const endless = function* (): Iterator<Uint8Array, "error" | "close"> {
      yield partHead("file", "huge.txt");
      for (;;) yield chunk;
    };
    const error = await expectRefused(
      await actorFor("wuhou-pri.t1"),
      streamedRequest(endless, (n) => (pulled += n)),
      "files:tooLarge",
    );
    expect(error.fields.file).toEqual({ key: "files:tooLarge", params: { max: Math.round(MAX_UPLOAD_BYTES / 1024 / 1024) } });
    expect(pulled).toBeLessThan(MAX_UPLOAD_BYTES + 2 * chunk.byteLength + 1024);
  }, 30_000);

  it("accepts a file of exactly the limit and refuses one byte more", async () => {
    const teacher = await actorFor("wuhou-pri.t1");
    const atLimit = new Uint8Array(MAX_UPLOAD_BYTES).fill(98);
    const stored = await uploadOne(teacher, atLimit, "limit.txt");
    expect(stored.size).toBe(MAX_UPLOAD_BYTES);
    await discardDrafts(teacher, [stored.id]);
    await settle();
    const over = new Uint8Array(MAX_UPLOAD_BYTES + 1).fill(98);
    await expectRefused(teacher, uploadRequest([["file", file(over, "over.txt")]]), "files:tooLarge");
  }, 30_000);

  it("refuses an image that would unpack into too many pixels (a decompression bomb)", async () => {
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(data.length);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(body));
      return Buffer.concat([length, body, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(20_000, 0);
    ihdr.writeUInt32BE(20_000, 4);
    ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
    const bomb = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.alloc(1024))), chunk("IEND", Buffer.alloc(0))]);
    const error = await expectRefused(await actorFor("wuhou-pri.t1"), uploadRequest([["file", file(bomb, "huge.png")]]), "files:imageTooBig");
    expect(error.params).toEqual({ megapixels: 64 });
  });

  it("refuses an .exe renamed .jpg and an HTML page renamed .png", async () => {
    const teacher = await actorFor("wuhou-pri.t1");
    const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(510, 0x90)]);
    const e1 = await expectRefused(teacher, uploadRequest([["file", file(exe, "photo.jpg", "image/jpeg")]]), "files:refusedType");
    expect(e1.fields.file?.key).toBe("files:refusedType");
    const html = "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";
    await expectRefused(teacher, uploadRequest([["file", file(html, "picture.png", "image/png")]]), "files:refusedType");
    await expectRefused(teacher, uploadRequest([["file", file("  <svg onload=alert(1)>", "drawing.txt")]]), "files:refusedType");
  });

  it("refuses binary junk, a zip that is not an Office document, and non-images where only images are accepted", async () => {
    const teacher = await actorFor("wuhou-pri.t1");
    await expectRefused(teacher, uploadRequest([["file", file(new Uint8Array([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81]), "data.bin")]]), "files:refusedType");
    const zip = Buffer.from("504b0304140000000000000000000000000000000000000000000000000001006162", "hex");
    await expectRefused(teacher, uploadRequest([["file", file(zip, "report.docx")]]), "files:refusedType");
    await expectRefused(teacher, uploadRequest([["file", file("plain words", "words.txt")]]), "files:imageOnly", { accept: "image" });
  });

  it("refuses an empty file, but an input left empty is simply no file", async () => {
    const teacher = await actorFor("wuhou-pri.t1");
    await expectRefused(teacher, uploadRequest([["file", file("", "empty.txt")]]), "files:empty");
    const { files, fields } = await receiveUploadForm(teacher, uploadRequest([["note", "x"], ["file", file("", "")]]));
    expect(files.size).toBe(0);
    expect(fields.get("note")).toBe("x");
  });

  it("refuses more files than allowed, keeping none of them", async () => {
    const teacher = await actorFor("wuhou-pri.t1");
    await expectRefused(
      teacher,
      uploadRequest([
        ["file", file("one", "1.txt")],
        ["file", file("two", "2.txt")],
      ]),
      "files:tooMany",
      { maxFiles: 1 },
    );
  });

  it("keeps nothing of an upload cut off halfway, whether the connection breaks or the body just stops", async () => {
    const teacher = await actorFor("wuhou-pri.t1");
    const half = new Uint8Array(64 * 1024).fill(99);
    const broken = function* (): Iterator<Uint8Array, "error" | "close"> {
      yield partHead("file", "lesson.txt");
      yield half;
      return "error";
    };
    const e1 = await expectRefused(teacher, streamedRequest(broken), "files:cutOff");
    expect(e1.fields.file?.key).toBe("files:cutOff");
    const stopped = function* (): Iterator<Uint8Array, "error" | "close"> {
      yield partHead("file", "lesson.txt");
      yield half;
      return "close";
    };
    await expectRefused(teacher, streamedRequest(stopped), "files:cutOff");
  });

  it("removes the files of the same request stored before the one that failed", async () => {
    const teacher = await actorFor("wuhou-pri.t1");
    const complete = encoder.encode("a whole first file\r\n");
    const secondCut = function* (): Iterator<Uint8Array, "error" | "close"> {
      yield partHead("first", "first.txt");
      yield complete;
      yield partHead("second", "second.txt");
      yield new Uint8Array(10_000).fill(100);
      return "error";
    };
    const e = await expectRefused(teacher, streamedRequest(secondCut), "files:cutOff");
    expect(e.fields.second?.key).toBe("files:cutOff");
    const exeSecond = uploadRequest([
      ["first", file("fine text", "fine.txt")],
      ["second", file(Buffer.concat([Buffer.from("MZ"), Buffer.alloc(100)]), "setup.pdf")],
    ]);
    await expectRefused(teacher, exeSecond, "files:refusedType");
  });

  it("refuses anonymous uploads", async () => {
    await expect(receiveUploadForm(null, uploadRequest([["file", file("x", "x.txt")]]))).rejects.toThrow(ForbiddenError);
  });
});

describe("file names", () => {
  it("keeps a safe display name while the storage key is always generated", async () => {
    const teacher = await actorFor("wuhou-pri.t1");
    const cases: [string, string][] = [
      ["../../x", "x"],
      ["..\\..\\windows\\system.ini", "system.ini"],
      ["CON", "_CON"],
      ["con.txt", "_con.txt"],
      ["LPT1.docx", "_LPT1.docx"],
      ["..", "file"],
      ["evil\u202Egpj.exe", "evilgpj.exe"],
      ["bad\u0000na\u0007me.txt", "badname.txt"],
      ["a<b>c:d|e?f*.txt", "a_b_c_d_e_f_.txt"],
      ["cafe\u0301.txt", "café.txt"],
    ];
    for (const [raw, expected] of cases) expect(cleanFileName(raw), raw).toBe(expected);

    const long = `${"长".repeat(300)}.txt`;
    const cleaned = cleanFileName(long);
    expect([...cleaned].length).toBe(200);
    expect(cleaned.endsWith(".txt")).toBe(true);

    for (const [raw, expected] of [
      ["../../x", "x"],
      ["CON", "_CON"],
      [long, cleaned],
    ] as const) {
      const stored = await uploadOne(teacher, "text", raw);
      expect(stored.name).toBe(expected);
      const row = (await first(db().select().from(schema.files).where(eq(schema.files.id, stored.id)).limit(1)))!;
      expect(row.name).toBe(expected);
      expect(row.storageKey).toMatch(/^[a-z0-9]{26}$/);
      expect(fileUrl(stored.id, raw)).toBe(`/files/${stored.id}/${encodeURIComponent(expected)}`);
    }
  });
});

describe("who may read a file", () => {
  it("shows a draft to its owner only", async () => {
    const stored = await uploadOne(await actorFor("wuhou-pri.t1"), "draft", "draft.txt");
    expect(await readable(await actorFor("wuhou-pri.t1"), stored.id)).toBe(true);
    expect(await readable(await actorFor("wuhou-pri.t2"), stored.id)).toBe(false);
    expect(await readable(await actorFor("wuhou-pri.admin"), stored.id)).toBe(false);
    expect(await readable(null, stored.id)).toBe("sign-in");
  });

  it("answers an unknown id as it answers an invisible one", async () => {
    expect(await readable(await actorFor("wuhou-pri.t2"), "nosuchfile0000")).toBe(false);
    expect(await readable(null, "nosuchfile0000")).toBe("sign-in");
  });

  it("follows a public post: anyone, signed in or not", async () => {
    const stored = await attached("wuhou-pri.t1", { type: "post", id: await insertPost("wuhou-pri.t1", { visibility: "public" }) });
    expect(await readable(null, stored.id)).toBe(true);
    expect(await readable(await actorFor("kangding-pri.t1"), stored.id)).toBe(true);
  });

  it("follows a school post: its school yes, another school and anonymous no", async () => {
    const stored = await attached("wuhou-pri.t1", { type: "post", id: await insertPost("wuhou-pri.t1", { visibility: "school" }) });
    expect(await readable(await actorFor("wuhou-pri.t2"), stored.id)).toBe(true);
    expect(await readable(await actorFor("wuhou-pri.s5"), stored.id)).toBe(true);
    expect(await readable(await actorFor("wuhou-jun.t1"), stored.id)).toBe(false);
    expect(await readable(await actorFor("kangding-pri.admin"), stored.id)).toBe(false);
    expect(await readable(null, stored.id)).toBe("sign-in");
  });

  it("follows a private post and an unpublished draft post: the author only", async () => {
    const privateFile = await attached("wuhou-pri.t1", { type: "post", id: await insertPost("wuhou-pri.t1", { visibility: "private" }) });
    expect(await readable(await actorFor("wuhou-pri.t1"), privateFile.id)).toBe(true);
    expect(await readable(await actorFor("wuhou-pri.t2"), privateFile.id)).toBe(false);
    const draftPost = await attached("wuhou-pri.t1", { type: "post", id: await insertPost("wuhou-pri.t1", { visibility: "public", status: "draft" }) });
    expect(await readable(await actorFor("wuhou-pri.t2"), draftPost.id)).toBe(false);
    expect(await readable(null, draftPost.id)).toBe("sign-in");
  });

  it("follows a class-only portfolio item: classmates, their teachers and guardian yes; another class no", async () => {
    const stored = await attached("wuhou-pri.s1", { type: "portfolio_item", id: await insertPortfolioItem("wuhou-pri.s1", "classes") });
    expect(await readable(await actorFor("wuhou-pri.s1"), stored.id)).toBe(true);
    expect(await readable(await actorFor("wuhou-pri.s3"), stored.id)).toBe(true); // same class
    expect(await readable(await actorFor("wuhou-pri.s2"), stored.id)).toBe(false); // same class, own space closed (issue 13 #8b)
    expect(await readable(await actorFor("wuhou-pri.t2"), stored.id)).toBe(true); // teaches the class
    expect(await readable(await actorFor("wuhou-pri.p1"), stored.id)).toBe(true); // guardian
    expect(await readable(await actorFor("wuhou-pri.s5"), stored.id)).toBe(false); // other class
    expect(await readable(await actorFor("wuhou-jun.s1"), stored.id)).toBe(false); // other school
    expect(await readable(null, stored.id)).toBe("sign-in");
  });

  it("follows approval: a pending student post's file is for the author and their teachers only", async () => {
    const stored = await attached("wuhou-pri.s1", { type: "post", id: await insertPost("wuhou-pri.s1", { visibility: "classes", approval: "pending" }) });
    expect(await readable(await actorFor("wuhou-pri.s3"), stored.id)).toBe(false);
    expect(await readable(await actorFor("wuhou-pri.t1", "teacher"), stored.id)).toBe(true);
  });

  it("follows the space home for an avatar: signed-in visitors of a teacher's space; anonymous ones only where it has public content", async () => {
    const teacher = await actorFor("wuhou-jun.t2"); // no public content in the demo
    const photo = await uploadOne(teacher, await photoWithLocation(), "me.jpg");
    await db().transaction(async (tx) => attachFiles(tx, teacher, [photo.id], { type: "avatar" }));
    expect(await readable(await actorFor("kangding-pri.t1"), photo.id)).toBe(true);
    expect(await readable(null, photo.id)).toBe("sign-in");
    const publicTeacher = await actorFor("wuhou-pri.t2"); // a public demo post
    const publicPhoto = await uploadOne(publicTeacher, await photoWithLocation(), "me.jpg");
    await db().transaction(async (tx) => attachFiles(tx, publicTeacher, [publicPhoto.id], { type: "avatar" }));
    expect(await readable(null, publicPhoto.id)).toBe(true);
    const student = await actorFor("wuhou-pri.s1");
    const studentPhoto = await uploadOne(student, await photoWithLocation(), "me.jpg");
    await db().transaction(async (tx) => attachFiles(tx, student, [studentPhoto.id], { type: "avatar" }));
    expect(await readable(await actorFor("wuhou-pri.s5"), studentPhoto.id)).toBe(true); // same school
    expect(await readable(await actorFor("kangding-pri.t1"), studentPhoto.id)).toBe(false); // a minor's space stays in school
  });
});

describe("attaching and removing", () => {
  it("attaches the owner's drafts in order and lists them", async () => {
    const teacher = await actorFor("wuhou-pri.t1");
    const a = await uploadOne(teacher, "a", "a.txt");
    const b = await uploadOne(teacher, "b", "b.txt");
    const postId = await insertPost("wuhou-pri.t1", { visibility: "school" });
    await db().transaction(async (tx) => attachFiles(tx, teacher, [b.id, a.id], { type: "post", id: postId }));
    expect((await filesOf("post", postId)).map((f) => f.id)).toEqual([b.id, a.id]);
    // Saving the post again with the same files is fine.
    await db().transaction(async (tx) => attachFiles(tx, teacher, [a.id, b.id], { type: "post", id: postId }));
    expect((await filesOf("post", postId)).map((f) => f.id)).toEqual([a.id, b.id]);
  });

  it("refuses another person's file and a file attached elsewhere", async () => {
    const owner = await actorFor("wuhou-pri.t1");
    const other = await actorFor("wuhou-pri.t2");
    const stored = await uploadOne(owner, "mine", "mine.txt");
    const theirPost = await insertPost("wuhou-pri.t2", { visibility: "school" });
    await expect(db().transaction(async (tx) => attachFiles(tx, other, [stored.id], { type: "post", id: theirPost }))).rejects.toThrow(ForbiddenError);
    const myPost = await insertPost("wuhou-pri.t1", { visibility: "school" });
    await db().transaction(async (tx) => attachFiles(tx, owner, [stored.id], { type: "post", id: myPost }));
    await expect(db().transaction(async (tx) => attachFiles(tx, owner, [stored.id], { type: "portfolio_item", id: await insertPortfolioItem("wuhou-pri.t1", "school") }))).rejects.toThrow(ForbiddenError);
    await expect(db().transaction(async (tx) => attachFiles(tx, null, [stored.id], { type: "post", id: myPost }))).rejects.toThrow(ForbiddenError);
  });

  it("refuses a non-image as an avatar", async () => {
    const owner = await actorFor("wuhou-pri.t1");
    const stored = await uploadOne(owner, "text", "me.txt");
    await expect(db().transaction(async (tx) => attachFiles(tx, owner, [stored.id], { type: "avatar" }))).rejects.toThrow(ValidationError);
  });

  it("deletes rows in the caller's transaction and the bytes after it commits; never another person's", async () => {
    const owner = await actorFor("wuhou-pri.t1");
    const stored = await uploadOne(owner, "to delete", "gone.txt");
    const key = (await first(db().select().from(schema.files).where(eq(schema.files.id, stored.id)).limit(1)))!.storageKey;
    await expect(db().transaction(async (tx) => deleteFiles(tx, await actorFor("wuhou-pri.t2"), [stored.id]))).rejects.toThrow(ForbiddenError);

    // A rolled-back transaction keeps both the row and the bytes.
    await expect(db().transaction(async (tx) => {
                await deleteFiles(tx, owner, [stored.id]);
                throw new Error("rollback");
              })).rejects.toThrow("rollback");
    await settle();
    expect(await readable(owner, stored.id)).toBe(true);

    await db().transaction(async (tx) => deleteFiles(tx, owner, [stored.id]));
    expect((await fileRows()).some((r) => r.id === stored.id)).toBe(false);
    await settle();
    expect(storedPaths().some((p) => p.endsWith(key))).toBe(false);
  });

  it("discards only the actor's own drafts", async () => {
    const owner = await actorFor("wuhou-pri.t1");
    const mine = await uploadOne(owner, "draft", "d.txt");
    const theirs = await uploadOne(await actorFor("wuhou-pri.t2"), "draft", "d.txt");
    await discardDrafts(owner, [mine.id, theirs.id]);
    const ids = (await fileRows()).map((r) => r.id);
    expect(ids).not.toContain(mine.id);
    expect(ids).toContain(theirs.id);
    await expect(discardDrafts(null, [theirs.id])).rejects.toThrow(ForbiddenError);
    await settle();
  });
});

describe("storage backends", () => {
  it("uses the local folder unless UPLOADTHING_TOKEN is set", () => {
    expect(currentBackend({})).toBe("local");
    expect(currentBackend({ UPLOADTHING_TOKEN: "token" })).toBe("uploadthing");
    expect(storageFor("local").backend).toBe("local");
    expect(storageFor("uploadthing", { UPLOADTHING_TOKEN: "eyJhcGlLZXkiOiJza190ZXN0In0=" }).backend).toBe("uploadthing");
  });

  it("writes local files atomically and refuses keys that are not generated", async () => {
    const local = storageFor("local");
    await expect(local.put("../../etc/passwd", new Uint8Array([1]))).rejects.toThrow();
    const key = randomId(16);
    async function* cut() {
      yield new Uint8Array([1, 2, 3]);
      throw new Error("cut");
    }
    const before = storedPaths();
    await expect(local.put(key, cut())).rejects.toThrow("cut");
    expect(storedPaths()).toEqual(before);
  });
});

describe("the upload endpoint's gate", () => {
  it("lets people with an open space and a blog or portfolio upload; not anonymous, a closed space, or a parent", async () => {
    expect((await requireUploader(await actorFor("wuhou-pri.t1", "teacher"))).loginName).toBe("wuhou-pri.t1");
    expect((await requireUploader(await actorFor("wuhou-pri.s1"))).loginName).toBe("wuhou-pri.s1");
    await expect(requireUploader(null)).rejects.toThrow(ForbiddenError);
    await expect(requireUploader(await actorFor("zhaojue-pri.s1"))).rejects.toThrow(DomainError); // phase 1: students not open yet
    await expect(requireUploader(await actorFor("wuhou-pri.p1"))).rejects.toThrow(DomainError);
  });
});
