import { expect, test, type Browser, type Page } from "@playwright/test";
import sharp from "sharp";
import { expectAccessible, expectFitsWidth, signIn, writeBody } from "./support";

// Issue 16 #1, at 360 px: home says what's next. wuhou-voc.t3, a teacher of 成都市武侯职业技术学校
// sets work due tomorrow 18:00 for 2025级旅游服务1班; the pupil wuhou-voc.s6 (17) sees it on home with
// the time left and hands in; the teacher's home says "1 份待批改" and links to the queue; after the
// grade is returned the pupil's home shows the score and the parent wuhou-voc.p6 acknowledges it from
// home. wuhou-voc.s7 hands in a photo of handwritten work, so the teacher's home says "2 份待批改" and the
// teacher grades with the photo in view. The parent is told of the returned grade by a notice that names
// the work and the score. No other spec signs in as wuhou-voc.s6, wuhou-voc.s7 or wuhou-voc.p6 (auth.spec
// locks zhaojue-voc.t3, no one's teacher here). Each home and the parent's notices are saved as
// screenshots in Chinese, Tibetan and Yi.
const TEACHER = "wuhou-voc.t3";
const PUPIL = "wuhou-voc.s6";
const PHOTO_PUPIL = "wuhou-voc.s7";
const PARENT = "wuhou-voc.p6";
const CLASS_NAME = "2025级旅游服务1班";
const PHONE = { width: 360, height: 740 };

async function phone(browser: Browser, login: string): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN", viewport: PHONE });
  const page = await context.newPage();
  await signIn(page, login);
  await expect(page).toHaveURL("/");
  await context.addCookies([{ name: "lng", value: "zh-Hans", url: page.url() }]);
  return page;
}

/** A page in each of the three languages, as a full-page screenshot; back in Chinese afterwards. */
async function screenshots(page: Page, name: string, path = "/") {
  for (const lng of ["bo", "ii", "zh-Hans"]) {
    await page.context().addCookies([{ name: "lng", value: lng, url: page.url() }]);
    await page.goto(path);
    await expectFitsWidth(page);
    await page.screenshot({ path: test.info().outputPath(`${path === "/" ? "home" : "page"}-${name}-${lng}.png`), fullPage: true });
  }
}

/** A phone photo of handwritten work: 1600 × 1200 JPEG. */
async function photoOfWork(): Promise<Buffer> {
  const lines = Array.from({ length: 8 }, (_, i) => `<line x1="80" y1="${200 + i * 120}" x2="1520" y2="${200 + i * 120}" stroke="#9ab" stroke-width="4"/>`).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200"><rect width="1600" height="1200" fill="#fffbe8"/>${lines}<text x="120" y="300" font-size="90" font-family="sans-serif" fill="#234">Wuhou Shrine</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer();
}

/** Tomorrow 18:00 in Beijing, as a datetime-local value. */
function tomorrowSix(): string {
  const beijing = new Date(Date.now() + 8 * 3_600_000 + 24 * 3_600_000);
  return `${beijing.toISOString().slice(0, 10)}T18:00`;
}

test("issue 16 #1: home says what's next for a pupil, a teacher and a parent, at 360 px, in Chinese, Tibetan and Yi", async ({ browser }) => {
  test.setTimeout(420_000);
  const title = `导游词练习 ${Date.now()}`;

  const teacher = await phone(browser, TEACHER);
  await teacher.goto("/assignments/new");
  await teacher.locator("#f-title").fill(title);
  await writeBody(teacher, "写一段介绍武侯祠的导游词，三百字左右。");
  await teacher.getByRole("checkbox", { name: CLASS_NAME }).check();
  await teacher.locator("#f-dueAt").fill(tomorrowSix());
  await teacher.getByRole("button", { name: "发布", exact: true }).click();
  await expect(teacher).toHaveURL(/\/assignments\/(?!new$)[A-Za-z0-9_-]+$/);
  const path = new URL(teacher.url()).pathname;

  // The pupil: due tomorrow 18:00, with the time left, linking to the hand-in form.
  const pupil = await phone(browser, PUPIL);
  const dueSoon = pupil.locator("section", { has: pupil.getByRole("heading", { name: "快到期的作业" }) });
  const item = dueSoon.locator("li", { hasText: title });
  await expect(item).toContainText(/明天 18:00 截止，还剩 \d+ (小时|天)/);
  await expect(item).toContainText(CLASS_NAME);
  await expectAccessible(pupil);
  await screenshots(pupil, "pupil-due");
  await item.getByRole("link", { name: title }).click();
  await expect(pupil).toHaveURL(`${path}/submit`);
  await writeBody(pupil, "各位游客大家好，欢迎来到武侯祠。");
  await pupil.getByRole("button", { name: "提交", exact: true }).click();
  await expect(pupil).toHaveURL(new RegExp(`${path}\\?receipt=`));
  // The receipt is in view on a 740 px screen without scrolling.
  await expect(pupil.locator("#receipt")).toBeInViewport();
  await pupil.goto("/");
  await expect(pupil.locator("section", { has: pupil.getByRole("heading", { name: "快到期的作业" }) })).not.toContainText(title);

  // A classmate hands in a photo of handwritten work; the receipt shows it, in view.
  const photoPupil = await phone(browser, PHOTO_PUPIL);
  await photoPupil.goto(`${path}/submit`);
  await writeBody(photoPupil, "我的导游词写在纸上了。");
  await photoPupil.locator("#f-files").setInputFiles({ name: "IMG_20261206_0730.jpg", mimeType: "image/jpeg", buffer: await photoOfWork() });
  await photoPupil.locator("form[data-upload-progress] button.primary").click();
  await expect(photoPupil).toHaveURL(new RegExp(`${path}\\?receipt=`));
  await expect(photoPupil.locator("#receipt")).toBeInViewport();
  await expect(photoPupil.locator(".receipt img.thumb")).toHaveCount(1);
  const photoPupilName = (await photoPupil.locator(".site-header .name").textContent())!.trim();
  await photoPupil.context().close();

  // The teacher: two to grade, linking to the queue.
  await teacher.goto("/");
  const toGrade = teacher.locator("section", { has: teacher.getByRole("heading", { name: "待批改" }) });
  const link = toGrade.getByRole("link", { name: new RegExp(title) });
  await expect(link).toContainText("2 份待批改");
  await expect(link).toHaveAttribute("href", `${path}/grading`);
  await expect(teacher.locator("section", { has: teacher.getByRole("heading", { name: "7 天内截止" }) }).locator("li", { hasText: title })).toContainText("已交 2 份");
  await expectAccessible(teacher);
  await screenshots(teacher, "teacher");
  await link.click();
  await expect(teacher).toHaveURL(`${path}/grading`);

  // The photo is in view beside the score box: the teacher grades without leaving the page.
  await teacher.getByRole("link", { name: photoPupilName, exact: true }).click();
  const thumb = teacher.locator(".work-version img.thumb");
  await expect(thumb).toHaveCount(1);
  await thumb.scrollIntoViewIfNeeded();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  const photo = (await thumb.boundingBox())!;
  expect(photo.x + photo.width).toBeLessThanOrEqual(PHONE.width);
  await expectFitsWidth(teacher);
  await teacher.screenshot({ path: test.info().outputPath("grading-photo-360.png") });
  await teacher.locator("#f-score").fill("88");
  await teacher.getByRole("button", { name: "保存并发还" }).click();
  await expect(teacher.getByText(`已把成绩发还给${photoPupilName}。`)).toBeVisible();

  await teacher.goto(`${path}/grading`);
  const pupilName = (await pupil.locator(".site-header .name").textContent())!.trim();
  await teacher.getByRole("link", { name: pupilName, exact: true }).click();
  await teacher.locator("#f-score").fill("95");
  await teacher.locator("#f-feedback").fill("讲解清楚，开头很吸引人。");
  await teacher.getByRole("button", { name: "保存并发还" }).click();
  await expect(teacher.getByText(`已把成绩发还给${pupilName}。`)).toBeVisible();

  // The pupil again: the score on home, returned since the last visit.
  await pupil.goto("/");
  const returned = pupil.locator("section", { has: pupil.getByRole("heading", { name: "上次来过之后发回的作业" }) });
  await expect(returned.locator("li", { hasText: title })).toContainText("95 / 100 分");
  await screenshots(pupil, "pupil-returned");

  // The parent: a notice names the work and the score; opening it marks it read.
  const parent = await phone(browser, PARENT);
  await expect(parent.getByText("我的空间：")).toHaveCount(0);
  await expect(parent.locator(".notifications-link .count")).toHaveText(/^[1-9]\d*$/);
  await parent.goto("/notifications");
  const notice = parent.getByRole("link", { name: new RegExp(`${pupilName} 的《${title}》已批改：95`) });
  await expect(notice).toBeVisible();
  await expectAccessible(parent);
  await screenshots(parent, "parent-notices", "/notifications");
  await notice.click();
  await parent.goto("/notifications");
  await expect(parent.locator("li.unread", { hasText: title })).toHaveCount(0);

  // The child's new grade waits for 已阅, acknowledged from home.
  await parent.goto("/");
  const grades = parent.locator("section.child").locator("li", { hasText: title });
  await expect(grades).toContainText("95 / 100 分");
  await expectAccessible(parent);
  await screenshots(parent, "parent");
  await grades.getByRole("button", { name: "已阅" }).click();
  await expect(parent.getByRole("status")).toHaveText("已记下“已阅”。");
  await expect(parent.locator("section.child").locator("li", { hasText: title })).toHaveCount(0);
});
