// Issue 14 #3: the server's re-encode never makes a file larger than what was sent, and still never
// keeps a photo's location (EXIF GPS) or owner.
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { NotFoundError } from "~/domain/foundation/errors.server";
import { openFile } from "~/domain/downloads/file-reading.server";
import { receiveUploadForm, type StoredFile } from "~/domain/uploads/files.server";
import { actorFor, demoWorld } from "../support/world";

beforeAll(async () => {
  await demoWorld();
});

const GPS = { IFD0: { Copyright: "Camera Owner" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "30/1 39/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "104/1 4/1 0/1" } };

/** Noise compresses badly, like a photo of handwriting; sent at a quality below the server's own. */
function noise(width: number, height: number, channels: 3 | 4 = 3) {
  const pixels = Buffer.alloc(width * height * channels);
  let seed = 7;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = channels === 4 && i % 4 === 3 ? 255 : seed >> 23;
  }
  return sharp(pixels, { raw: { width, height, channels } });
}

async function upload(bytes: Buffer, name: string, as?: Awaited<ReturnType<typeof actorFor>>): Promise<{ stored: StoredFile; bytes: Buffer }> {
  const actor = as ?? (await actorFor("wuhou-pri.t1"));
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], name));
  const { files } = await receiveUploadForm(actor, new Request("http://localhost/files", { method: "POST", body: form }));
  const stored = files.get("file")![0]!;
  const { body } = await openFile(actor, stored.id);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return { stored, bytes: Buffer.concat(chunks) };
}

describe("issue 14 #3: the server re-encode never stores an image larger than received", () => {
  it("a photo sent at low quality with GPS is stored no larger, pixels and size kept, GPS and owner gone", async () => {
    const sent = await noise(600, 400).jpeg({ quality: 60 }).withExif(GPS).toBuffer();
    // Without the rule the house quality (90) would make this photo larger.
    expect((await noise(600, 400).jpeg({ quality: 90 }).toBuffer()).byteLength).toBeGreaterThan(sent.byteLength);
    const { stored, bytes } = await upload(sent, "作业.jpg");
    expect(stored.size).toBeLessThanOrEqual(sent.byteLength);
    expect(bytes.byteLength).toBe(stored.size);
    const meta = await sharp(bytes).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([600, 400, undefined]);
    expect(bytes.includes(Buffer.from("Camera Owner"))).toBe(false);
  });

  it("a sideways photo (EXIF orientation) is turned upright at a lower quality, still no larger and without GPS", async () => {
    const sent = await noise(600, 400).jpeg({ quality: 75 }).withMetadata({ orientation: 6 }).withExifMerge(GPS).toBuffer();
    expect((await sharp(sent).metadata()).orientation).toBe(6);
    const { stored, bytes } = await upload(sent, "sideways.jpg");
    expect(stored.size).toBeLessThanOrEqual(sent.byteLength);
    const meta = await sharp(bytes).metadata();
    expect([meta.width, meta.height, meta.exif]).toEqual([400, 600, undefined]);
  });

  it("a photo already downscaled in the browser (no metadata) is stored as it came", async () => {
    const sent = await noise(500, 300).jpeg({ quality: 80 }).toBuffer();
    const { stored, bytes } = await upload(sent, "IMG_0002.jpg");
    expect(stored.size).toBeLessThanOrEqual(sent.byteLength);
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
  });

  it("a PNG compressed harder than the house setting is stored no larger; one with a text chunk loses it", async () => {
    const tight = await noise(300, 200).png({ compressionLevel: 9, adaptiveFiltering: true, effort: 10 }).toBuffer();
    expect((await upload(tight, "scan.png")).stored.size).toBeLessThanOrEqual(tight.byteLength);
    const withExif = await noise(300, 200).png({ compressionLevel: 9 }).withExif(GPS).toBuffer();
    const { stored, bytes } = await upload(withExif, "scan2.png");
    expect(stored.size).toBeLessThanOrEqual(withExif.byteLength);
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
    expect(bytes.includes(Buffer.from("Camera Owner"))).toBe(false);
  });

  it("the stored photo is still its uploader's draft: another teacher is answered 404", async () => {
    const sent = await noise(200, 200).jpeg({ quality: 60 }).withExif(GPS).toBuffer();
    const { stored } = await upload(sent, "mine.jpg");
    await expect(openFile(await actorFor("wuhou-pri.t2"), stored.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(receiveUploadForm(null, new Request("http://localhost/files", { method: "POST", body: new FormData() }))).rejects.toThrow();
  });
});
