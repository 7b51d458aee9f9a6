import { expect, test, type Page, type Request } from "@playwright/test";
import sharp from "sharp";
import { signIn } from "./support";

// Issue 14 #3, "uploads that respect the link". wuhou-voc.s3 (born 2010, 成都, portfolio open) is used by
// no other spec: only their own drafts and portfolio items are made here.
const STUDENT = "wuhou-voc.s3";

/** What the page sends: every request, with its body's size once it has gone (Playwright keeps no file bodies). */
function watchRequests(page: Page): { method: string; path: string; bytes: number | null }[] {
  const seen: { method: string; path: string; bytes: number | null }[] = [];
  const entries = new Map<Request, { method: string; path: string; bytes: number | null }>();
  page.on("request", (request) => {
    const entry = { method: request.method(), path: new URL(request.url()).pathname, bytes: null };
    entries.set(request, entry);
    seen.push(entry);
  });
  page.on("requestfinished", async (request) => {
    const entry = entries.get(request);
    // The raw headers Chromium sent: Content-Length is the whole multipart body.
    if (entry) entry.bytes = Number((await request.allHeaders())["content-length"] ?? 0);
  });
  return seen;
}

async function newPortfolioItem(page: Page, title: string) {
  await signIn(page, STUDENT);
  await expect(page).toHaveURL("/");
  await page.goto("/portfolio/new");
  await page.locator("#f-title").fill(title);
  await page.locator("#f-occurredOn").fill("2026-11-20");
}

/** A 4000×3000 phone photo of a page of handwriting, about 4–5 MB at the camera's quality 95. */
async function phonePhoto(): Promise<Buffer> {
  const [width, height] = [4000, 3000];
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 11;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const grain = (seed >> 16) % 24;
      const i = (y * width + x) * 3;
      pixels[i] = 200 + grain;
      pixels[i + 1] = 190 + grain - ((x >> 5) % 7);
      pixels[i + 2] = 170 + grain;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

test("issue 14 #3: a file over the 20 MB limit is refused beside the field as soon as it is chosen, and never sent", async ({ page }) => {
  await newPortfolioItem(page, "太大的视频");
  const sent = watchRequests(page);
  const tooLarge = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(21 * 1024 * 1024, 0x25)]);
  await page.locator("#f-files").setInputFiles({ name: "实验录像.pdf", mimeType: "application/pdf", buffer: tooLarge });
  const message = page.locator("#f-files-check");
  await expect(message).toBeVisible();
  await expect(message).toContainText("「实验录像.pdf」没有发送。");
  await expect(message).toContainText("每个文件不能超过 20 MB");
  // Taken out of the input: the form cannot carry it.
  expect(await page.locator("#f-files").evaluate((input: HTMLInputElement) => input.files?.length)).toBe(0);
  expect(sent.filter((r) => r.method !== "GET")).toEqual([]);

  // A wrong kind of file too, while a good one chosen with it stays.
  await page.locator("#f-files").setInputFiles([
    { name: "setup.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ") },
    { name: "报告.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") },
  ]);
  await expect(message).toContainText("「setup.exe」没有发送。");
  await expect(message).toContainText("不支持这种文件。");
  await expect(message).not.toContainText("实验录像.pdf");
  expect(await page.locator("#f-files").evaluate((input: HTMLInputElement) => [...(input.files ?? [])].map((f) => f.name))).toEqual(["报告.pdf"]);
  expect(sent.filter((r) => r.method !== "GET")).toEqual([]);

  await page.getByRole("button", { name: "添加", exact: true }).click();
  await expect(page).toHaveURL(/\/portfolio\/(?!new$)[a-z0-9]+(\?done=\w+)?$/, { timeout: 20_000 });
  await expect(page.getByRole("link", { name: "报告.pdf" })).toBeVisible();
  await expect(page.getByRole("link", { name: "setup.exe" })).toHaveCount(0);
  const post = sent.find((r) => r.method === "POST" && /^\/portfolio\/new(\.data)?$/.test(r.path));
  await expect.poll(() => post?.bytes).toBeGreaterThan(0);
  expect(post!.bytes).toBeLessThan(100_000);
});

test("issue 14 #3: a 4 MB phone photo is made smaller in the browser and arrives under 1 MB; 'send the original' keeps it whole", async ({ page }) => {
  test.setTimeout(90_000);
  const photo = await phonePhoto();
  expect(photo.byteLength).toBeGreaterThan(4 * 1024 * 1024);
  await newPortfolioItem(page, "作文手稿");
  const sent = watchRequests(page);
  await expect(page.getByLabel("发送原图（不缩小照片）")).toBeVisible();
  await page.locator("#f-files").setInputFiles({ name: "IMG_2041.JPG", mimeType: "image/jpeg", buffer: photo });
  const chosen = () => page.locator("#f-files").evaluate((input: HTMLInputElement) => [...(input.files ?? [])].map((f) => ({ name: f.name, size: f.size, type: f.type })));
  await expect.poll(chosen, { timeout: 30_000 }).toEqual([expect.objectContaining({ name: "IMG_2041.jpg", type: "image/jpeg" })]);
  expect((await chosen())[0]!.size).toBeLessThan(1024 * 1024);
  await expect(page.locator("#f-files-check")).toBeHidden();

  // Ticked afterwards, the photo goes back to what was chosen.
  await page.getByLabel("发送原图（不缩小照片）").check();
  await expect.poll(chosen).toEqual([{ name: "IMG_2041.JPG", size: photo.byteLength, type: "image/jpeg" }]);
  await page.getByLabel("发送原图（不缩小照片）").uncheck();
  await expect.poll(chosen, { timeout: 30_000 }).toEqual([expect.objectContaining({ name: "IMG_2041.jpg" })]);

  await page.getByRole("button", { name: "添加", exact: true }).click();
  await expect(page).toHaveURL(/\/portfolio\/(?!new$)[a-z0-9]+(\?done=\w+)?$/, { timeout: 30_000 });
  const upload = sent.find((r) => r.method === "POST" && /^\/portfolio\/new(\.data)?$/.test(r.path));
  await expect.poll(() => upload?.bytes).toBeGreaterThan(100_000);
  expect(upload!.bytes).toBeLessThan(1024 * 1024);
  // What is stored (after the server's own re-encode) is no larger than what arrived.
  const href = await page.getByRole("link", { name: "IMG_2041.jpg" }).first().getAttribute("href");
  const stored = await page.request.get(href!);
  expect(stored.ok()).toBe(true);
  const bytes = await stored.body();
  expect(bytes.byteLength).toBeLessThan(1024 * 1024);
  const meta = await sharp(bytes).metadata();
  expect([meta.width, meta.height]).toEqual([2000, 1500]);
  test.info().annotations.push({ type: "bytes", description: `chosen ${photo.byteLength}, sent ${upload?.bytes}, stored ${bytes.byteLength}` });
});
