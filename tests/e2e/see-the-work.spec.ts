import { expect, test, type Browser, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { expectFitsWidth, signIn } from "./support";

// Issue 16 item 4, "See the work", on a 360 px phone: a pupil hands in a photo of their work, the receipt
// shows it as a thumbnail, and the teacher grades with the photo in view beside the score box; the
// thumbnail opens the original; a classmate asking for it gets 404. garze-voc.t2 (甘孜, Tibetan by
// default) sets the assignment to 2025级藏医药班; garze-voc.s6 (17, no consent needed) hands in and
// garze-voc.s7 is the classmate. No other spec hands in or grades as these people.
const TEACHER = "garze-voc.t2";
const PUPIL = "garze-voc.s6";
const CLASSMATE = "garze-voc.s7";
const CLASS_NAME = "2025级藏医药班";
const PHONE = { width: 360, height: 740 };
const SHOTS = join(process.env.E2E_OUTPUT_DIR ?? "test-results", "see-the-work");

/** A datetime-local value in Beijing time, `minutes` from now. */
function beijing(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** A phone photo of a worksheet: 1600 × 1200, ruled lines and sums, with EXIF like a phone writes. */
async function worksheetPhoto(): Promise<Buffer> {
  const lines = Array.from({ length: 9 }, (_, i) => `<line x1="80" y1="${180 + i * 110}" x2="1520" y2="${180 + i * 110}" stroke="#8aa" stroke-width="4"/>`).join("");
  const sums = ["12 + 7 = 19", "25 - 9 = 16", "6 x 4 = 24", "36 / 6 = 6"].map((s, i) => `<text x="140" y="${260 + i * 220}" font-size="96" font-family="sans-serif" fill="#123">${s}</text>`).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200"><rect width="1600" height="1200" fill="#fdfaf0"/>${lines}${sums}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).withMetadata({ exif: { IFD0: { Make: "PhoneMaker" } } }).toBuffer();
}

/** Types into the rich-text editor once the page has hydrated it (both pages here hydrate). */
async function writeBody(page: Page, text: string) {
  const editor = page.locator(".rich-editor-area");
  await editor.waitFor();
  await editor.click();
  await page.keyboard.type(text);
}

async function phone(browser: Browser, login: string) {
  const context = await browser.newContext({ viewport: PHONE, locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, login);
  await expect(page).toHaveURL("/");
  return { context, page };
}

test("a pupil hands in a photo; the receipt and the teacher's grading view show it inline at 360 px", async ({ browser }) => {
  mkdirSync(SHOTS, { recursive: true });
  const title = `观察记录 ${Date.now().toString(36).slice(-5)}`;

  // The teacher sets the assignment to one class.
  const teacher = await phone(browser, TEACHER);
  await teacher.page.goto("/assignments/new");
  await teacher.page.locator("#f-title").fill(title);
  await writeBody(teacher.page, "拍下你的练习纸交上来。");
  await teacher.page.getByLabel(CLASS_NAME).check();
  // Open already (the form's default open time may be the next minute).
  await teacher.page.locator("#f-openAt").fill(beijing(-5));
  await teacher.page.locator("#f-dueAt").fill(beijing(24 * 60));
  await teacher.page.locator("#f-points").fill("10");
  await teacher.page.locator("button[name=intent][value=publish]").click();
  await expect(teacher.page).toHaveURL(/\/assignments\/(?!new\b)[a-z0-9]+$/);
  const path = new URL(teacher.page.url()).pathname;

  // The pupil hands in a photo; the receipt shows it as a thumbnail that opens the original.
  const pupil = await phone(browser, PUPIL);
  await pupil.page.goto(`${path}/submit`);
  await writeBody(pupil.page, "我的练习纸。");
  await pupil.page.locator("#f-files").setInputFiles({ name: "IMG_20261205_0815.jpg", mimeType: "image/jpeg", buffer: await worksheetPhoto() });
  await pupil.page.locator("form[data-upload-progress] button.primary").click();
  await expect(pupil.page).toHaveURL(new RegExp(`${path}\\?receipt=`));
  const receiptThumb = pupil.page.locator(".receipt img.thumb");
  await expect(receiptThumb).toHaveCount(1);
  await receiptThumb.scrollIntoViewIfNeeded();
  await expect(receiptThumb).toBeVisible();
  await expect.poll(() => receiptThumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  // The alt text says what it is (the assignment's title), not the file name.
  await expect(receiptThumb).toHaveAttribute("alt", new RegExp(title));
  expect(await receiptThumb.getAttribute("alt")).not.toContain("IMG_");
  await expectFitsWidth(pupil.page);
  await pupil.page.screenshot({ path: join(SHOTS, "receipt-360.png"), fullPage: true });

  // The teacher opens the pupil's work from the queue (by the real name their space shows): the photo is in
  // view, above the score box.
  await pupil.page.goto(`/u/${PUPIL.replace(".", "-")}`);
  const realName = (await pupil.page.locator("h1").first().textContent())!.trim();
  await teacher.page.goto(`${path}/grading`);
  await teacher.page.locator("table.grading-queue").getByRole("link", { name: realName, exact: true }).click();
  await expect(teacher.page).toHaveURL(new RegExp(`${path}/grading/[a-z0-9]+`));
  const thumb = teacher.page.locator(".work-version img.thumb");
  await expect(thumb).toHaveCount(1);
  await expect(thumb).toHaveAttribute("loading", "lazy");
  await expect(thumb).toHaveAttribute("width", "320");
  await expect(thumb).toHaveAttribute("height", "320");
  await expect(thumb).toHaveAttribute("srcset", /\/thumbs\/[a-z0-9]+\/640 2x/);
  await thumb.scrollIntoViewIfNeeded();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  const box = (await thumb.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  expect(box.height).toBeGreaterThan(150);
  await expect(teacher.page.locator("#f-score")).toBeVisible();
  await expectFitsWidth(teacher.page);
  await teacher.page.evaluate(() => window.scrollTo(0, 0));
  await teacher.page.screenshot({ path: join(SHOTS, "grading-view-360.png"), fullPage: true });
  await thumb.scrollIntoViewIfNeeded();
  await teacher.page.screenshot({ path: join(SHOTS, "grading-view-360-photo.png") });

  // The thumbnail: small, WebP for a browser that reads it, privately cached.
  const src = (await thumb.getAttribute("src"))!;
  const answer = await teacher.page.request.get(src, { headers: { Accept: "image/webp,image/*" } });
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-type"]).toBe("image/webp");
  expect(answer.headers()["cache-control"]).toMatch(/^private/);
  expect(answer.headers()["etag"]).toBeTruthy();
  expect((await answer.body()).byteLength).toBeLessThan(30_000);
  const again = await teacher.page.request.get(src, { headers: { Accept: "image/webp,image/*", "If-None-Match": answer.headers()["etag"]! } });
  expect(again.status()).toBe(304);

  // One tap opens the original.
  const original = await thumb.locator("xpath=ancestor::a[1]").getAttribute("href");
  expect(original).toMatch(/^\/files\/[a-z0-9]+\//);
  const opened = await teacher.page.request.get(original!);
  expect(opened.status()).toBe(200);
  expect(opened.headers()["content-type"]).toBe("image/jpeg");
  expect((await opened.body()).byteLength).toBeGreaterThan((await answer.body()).byteLength);

  // A classmate who asks for the thumbnail (or the original) gets 404, as for something that does not exist.
  const classmate = await phone(browser, CLASSMATE);
  expect((await classmate.page.request.get(src)).status()).toBe(404);
  expect((await classmate.page.request.get(original!)).status()).toBe(404);

  for (const person of [teacher, pupil, classmate]) await person.context.close();
});
