import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible, expectFitsWidth, signIn, writeBody } from "./support";

// Issue 16 #1, at 360 px: home says what's next. wuhou-voc.t3, a teacher of 成都市武侯职业技术学校
// sets work due tomorrow 18:00 for 2025级旅游服务1班; the pupil wuhou-voc.s6 (17) sees it on home with
// the time left and hands in; the teacher's home says "1 份待批改" and links to the queue; after the
// grade is returned the pupil's home shows the score and the parent wuhou-voc.p6 acknowledges it from
// home. No other spec signs in as wuhou-voc.s6 or wuhou-voc.p6 (auth.spec locks zhaojue-voc.t3, no one's teacher here).
// Each home is saved as a screenshot in Chinese, Tibetan and Yi.
const TEACHER = "wuhou-voc.t3";
const PUPIL = "wuhou-voc.s6";
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

/** The home page in each of the three languages, as a full-page screenshot; back in Chinese afterwards. */
async function screenshots(page: Page, name: string) {
  for (const lng of ["bo", "ii", "zh-Hans"]) {
    await page.context().addCookies([{ name: "lng", value: lng, url: page.url() }]);
    await page.goto("/");
    await expectFitsWidth(page);
    await page.screenshot({ path: test.info().outputPath(`home-${name}-${lng}.png`), fullPage: true });
  }
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
  await pupil.goto("/");
  await expect(pupil.locator("section", { has: pupil.getByRole("heading", { name: "快到期的作业" }) })).not.toContainText(title);

  // The teacher: one to grade, linking to the queue.
  await teacher.goto("/");
  const toGrade = teacher.locator("section", { has: teacher.getByRole("heading", { name: "待批改" }) });
  const link = toGrade.getByRole("link", { name: new RegExp(title) });
  await expect(link).toContainText("1 份待批改");
  await expect(link).toHaveAttribute("href", `${path}/grading`);
  await expect(teacher.locator("section", { has: teacher.getByRole("heading", { name: "7 天内截止" }) }).locator("li", { hasText: title })).toContainText("已交 1 份");
  await expectAccessible(teacher);
  await screenshots(teacher, "teacher");
  await link.click();
  await expect(teacher).toHaveURL(`${path}/grading`);
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

  // The parent: the child's new grade waits for 已阅, acknowledged from home.
  const parent = await phone(browser, PARENT);
  await expect(parent.getByText("我的空间：")).toHaveCount(0);
  const grades = parent.locator("section.child").locator("li", { hasText: title });
  await expect(grades).toContainText("95 / 100 分");
  await expectAccessible(parent);
  await screenshots(parent, "parent");
  await grades.getByRole("button", { name: "已阅" }).click();
  await expect(parent.getByRole("status")).toHaveText("已记下“已阅”。");
  await expect(parent.locator("section.child").locator("li", { hasText: title })).toHaveCount(0);
});
