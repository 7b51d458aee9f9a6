import Database from "better-sqlite3";
import { readdirSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";
import { signIn } from "./support";

const dataDir = process.env.E2E_DATA_DIR ?? ".e2e-data";

async function photoWithLocation(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: "#3a7" } })
    .jpeg()
    .withExif({
      IFD0: { Copyright: "Camera Owner", Make: "PhoneMaker" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "30/1 39/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "104/1 4/1 0/1" },
    })
    .toBuffer();
}

type Answer = { status: number; body: { id?: string; url?: string; name?: string; mimeType?: string; error?: string } };

/** Uploads through the editor's JSON endpoint from inside the signed-in page, as the editor does. */
async function editorUpload(page: Page, bytes: Buffer | { size: number }, name: string, type: string): Promise<Answer> {
  const payload = Buffer.isBuffer(bytes) ? { base64: bytes.toString("base64") } : bytes;
  return page.evaluate(
    async ({ payload, name, type }) => {
      const content = "base64" in payload ? Uint8Array.from(atob(payload.base64), (c) => c.charCodeAt(0)) : new Uint8Array(payload.size).fill(120);
      const form = new FormData();
      form.append("file", new File([content], name, { type }));
      const response = await fetch("/files", { method: "POST", body: form, headers: { Accept: "application/json" } });
      return { status: response.status, body: await response.json() };
    },
    { payload, name, type },
  );
}

function uploadsOnDisk(): string[] {
  const walk = (dir: string): string[] => {
    try {
      return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
    } catch {
      return [];
    }
  };
  return walk(join(dataDir, "uploads")).sort();
}

function fileRowCount(): number {
  const sqlite = new Database(join(dataDir, "app.sqlite"), { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare("select count(*) as n from files").get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

test("a teacher uploads a photo; the download carries safe headers and no EXIF; others get 404", async ({ page, browser, baseURL }) => {
  await signIn(page, "wuhou-pri.t1");
  await expect(page.locator(".site-header .name")).toBeVisible();

  const uploaded = await editorUpload(page, await photoWithLocation(), "IMG_2041.jpg", "image/jpeg");
  expect(uploaded.status).toBe(200);
  expect(uploaded.body).toMatchObject({ name: "IMG_2041.jpg", mimeType: "image/jpeg" });
  expect(uploaded.body.url).toBe(`/files/${uploaded.body.id}/IMG_2041.jpg`);

  const download = await page.request.get(uploaded.body.url!);
  expect(download.status()).toBe(200);
  const headers = download.headers();
  expect(headers["content-type"]).toBe("image/jpeg");
  expect(headers["content-disposition"]).toBe('inline; filename="IMG_2041.jpg"');
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["cache-control"]).toContain("private");
  expect(headers["etag"]).toMatch(/^"[0-9a-f]{64}"$/);
  const bytes = await download.body();
  expect(Number(headers["content-length"] ?? bytes.byteLength)).toBe(bytes.byteLength);
  const meta = await sharp(bytes).metadata();
  expect(meta.exif).toBeUndefined();
  expect([meta.width, meta.height]).toEqual([40, 30]);

  // The browser shows it inline.
  const shown = await page.evaluate(async (url) => {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img.naturalWidth;
  }, uploaded.body.url!);
  expect(shown).toBe(40);

  // Revalidation by ETag.
  const again = await page.request.get(uploaded.body.url!, { headers: { "If-None-Match": headers["etag"]! } });
  expect(again.status()).toBe(304);

  // Another teacher of the same school: the file is a draft, so it does not exist for them.
  const other = await browser.newContext({ baseURL });
  const otherPage = await other.newPage();
  await signIn(otherPage, "wuhou-pri.t2");
  await expect(otherPage.locator(".site-header .name")).toBeVisible();
  expect((await otherPage.request.get(uploaded.body.url!)).status()).toBe(404);
  expect((await otherPage.request.get(`/files/nosuchfile00000/x.jpg`)).status()).toBe(404);
  await other.close();

  // Anonymous: asked to sign in, learning nothing about the file.
  const anonymous = await browser.newContext({ baseURL });
  const anonymousAnswer = await anonymous.request.get(uploaded.body.url!, { maxRedirects: 0 });
  expect(anonymousAnswer.status()).toBe(302);
  expect(anonymousAnswer.headers()["location"]).toMatch(/^\/login\?next=/);
  await anonymous.close();
});

test("a Chinese file name round-trips in Content-Disposition", async ({ page }) => {
  await signIn(page, "wuhou-pri.t1");
  await expect(page.locator(".site-header .name")).toBeVisible();
  const name = "春天的照片 第1张.png";
  const png = await sharp({ create: { width: 8, height: 8, channels: 4, background: "#00f8" } })
    .png()
    .toBuffer();
  const uploaded = await editorUpload(page, png, name, "image/png");
  expect(uploaded.status).toBe(200);
  expect(uploaded.body.name).toBe(name);
  const download = await page.request.get(uploaded.body.url!);
  expect(download.status()).toBe(200);
  const disposition = download.headers()["content-disposition"]!;
  expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!;
  expect(decodeURIComponent(encoded)).toBe(name);
  expect(download.headers()["content-type"]).toBe("image/png");
});

test("the editor endpoint refuses non-images and oversized files with translated messages, keeping nothing", async ({ page }) => {
  await signIn(page, "wuhou-pri.t1");
  await expect(page.locator(".site-header .name")).toBeVisible();
  const rows = fileRowCount();
  const disk = uploadsOnDisk();

  const html = await editorUpload(page, Buffer.from("<!doctype html><script>alert(1)</script>"), "cat.png", "image/png");
  expect(html).toEqual({ status: 400, body: { error: "不支持这种文件。可以上传图片、PDF、Office 文档、音频、视频和纯文本。" } });
  const text = await editorUpload(page, Buffer.from("just words"), "notes.txt", "text/plain");
  expect(text).toEqual({ status: 400, body: { error: "这里只能上传图片（JPEG、PNG、GIF 或 WebP）。" } });
  const empty = await editorUpload(page, Buffer.alloc(0), "empty.jpg", "image/jpeg");
  expect(empty).toEqual({ status: 400, body: { error: "文件是空的（0 字节），没有保存。" } });
  const huge = await editorUpload(page, { size: 20 * 1024 * 1024 + 1 }, "huge.jpg", "image/jpeg");
  expect(huge).toEqual({ status: 413, body: { error: "文件太大：每个文件不能超过 20 MB。" } });

  expect(fileRowCount()).toBe(rows);
  expect(uploadsOnDisk()).toEqual(disk);
});

test("an upload cut off halfway leaves no row and no file", async ({ page, baseURL }) => {
  await signIn(page, "wuhou-pri.t1");
  await expect(page.locator(".site-header .name")).toBeVisible();
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const rows = fileRowCount();
  const disk = uploadsOnDisk();

  const url = new URL("/files", baseURL);
  const boundary = "----cutoff";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lesson.txt"\r\nContent-Type: text/plain\r\n\r\n`;
  await new Promise<void>((resolve) => {
    const req = httpRequest(url, {
      method: "POST",
      headers: {
        Cookie: cookie,
        Origin: url.origin,
        Accept: "application/json",
        "Content-Type": `multipart/form-data; boundary=${boundary}`,
        "Content-Length": String(head.length + 2 * 1024 * 1024 + 100),
      },
    });
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    req.write(head);
    req.write(Buffer.alloc(1024 * 1024, "a"));
    // Half of what was announced has gone; the connection drops.
    setTimeout(() => req.destroy(), 300);
  });
  await expect.poll(() => uploadsOnDisk(), { timeout: 5000 }).toEqual(disk);
  expect(fileRowCount()).toBe(rows);
});

test("a plain form (no JavaScript) posts its files and is sent back to `next`", async ({ page, baseURL }) => {
  await signIn(page, "wuhou-pri.t1");
  await expect(page.locator(".site-header .name")).toBeVisible();
  const origin = new URL(baseURL!).origin;
  const posted = await page.request.post("/files", {
    headers: { Origin: origin },
    multipart: { next: "/account", file: { name: "作业.txt", mimeType: "text/plain", buffer: Buffer.from("第一题：3 + 4 = 7\n") } },
    maxRedirects: 0,
  });
  expect(posted.status()).toBe(302);
  const to = new URL(posted.headers()["location"]!, baseURL);
  expect(to.pathname).toBe("/account");
  const id = to.searchParams.get("uploaded")!;
  expect(id).toMatch(/^[a-z0-9]+$/);
  const download = await page.request.get(`/files/${id}/x`);
  expect(download.headers()["content-type"]).toBe("text/plain; charset=utf-8");
  expect(download.headers()["content-disposition"]).toBe(`attachment; filename="??.txt"; filename*=UTF-8''${encodeURIComponent("作业.txt")}`);

  // Players seek by byte ranges (iOS plays no video without them).
  const part = await page.request.get(`/files/${id}/x`, { headers: { Range: "bytes=0-8" } });
  expect(part.status()).toBe(206);
  expect(part.headers()["content-range"]).toBe(`bytes 0-8/${Buffer.byteLength("第一题：3 + 4 = 7\n")}`);
  expect((await part.body()).toString("utf8")).toBe("第一题");
  const beyond = await page.request.get(`/files/${id}/x`, { headers: { Range: "bytes=9999-" } });
  expect(beyond.status()).toBe(416);

  const refused = await page.request.post("/files", {
    headers: { Origin: origin },
    multipart: { next: "//evil.example/", file: { name: "setup.jpg", mimeType: "image/jpeg", buffer: Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200)]) } },
    maxRedirects: 0,
  });
  expect(refused.status()).toBe(302);
  expect(refused.headers()["location"]).toBe("/?uploadError=files%3ArefusedType");
});
