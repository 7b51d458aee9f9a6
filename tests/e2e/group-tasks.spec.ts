import { expect, test, type Browser, type Page } from "@playwright/test";
import { atPhoneWidth, chooseLanguage, expectAccessible, pdf, signIn, writeBody } from "./support";

// A student study group across two vocational schools completes a group task: garze-voc.t3 (甘孜; the
// page is switched to Chinese, saved to their account) makes the group and sets the task; wuhou-voc.s5 (成都) and zhaojue-voc.s5 (昭觉, Yi by default) join, hand in
// the group's result one after the other (a stale form is refused with its text kept), and the result
// goes into the portfolios. No other spec uses these three people (space.spec counts wuhou-voc.t1's notices).
const TEACHER = "garze-voc.t3";
const CHENGDU = "wuhou-voc.s5";
const ZHAOJUE = "zhaojue-voc.s5";
const GROUP = `校园导览海报小组 ${Date.now().toString(36)}`;

/** A Beijing datetime-local value `days` from now. */
const beijingIn = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 16);

async function personPage(browser: Browser, login: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, login);
  await expect(page).toHaveURL(/\/$/);
  return page;
}

async function shoot(page: Page, name: string) {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`), fullPage: true });
  }
}

async function switchLanguage(page: Page, lng: string) {
  await chooseLanguage(page, lng);
  await expect(page.locator("html")).toHaveAttribute("lang", lng);
}

test("a study group across two schools completes a group task", async ({ browser }) => {
  test.setTimeout(120_000);
  // The teacher makes a platform-wide open study group.
  const teacher = await personPage(browser, TEACHER);
  await switchLanguage(teacher, "zh-Hans");
  await teacher.goto("/groups/new");
  await teacher.locator("#f-name").fill(GROUP);
  await teacher.locator("#f-subject").fill("计算机基础");
  await teacher.locator("#f-kind").selectOption("study");
  await teacher.locator("#f-reach").selectOption("platform");
  await teacher.locator("#f-joinPolicy").selectOption("open");
  await teacher.locator("form:has(#f-name) button[type=submit]").click();
  await expect(teacher).toHaveURL(/\/groups\/[A-Za-z0-9_-]+$/);
  const groupPath = new URL(teacher.url()).pathname;

  // Both students join.
  const chengdu = await personPage(browser, CHENGDU);
  const zhaojue = await personPage(browser, ZHAOJUE);
  for (const student of [chengdu, zhaojue]) {
    await student.goto(groupPath);
    await student.locator("button[name=intent][value=join]").click();
    await expect(student.locator("button[name=confirm][value=leave]")).toBeVisible();
  }

  // A student finds no way to set a task; the teacher sets one.
  await chengdu.goto(`${groupPath}/tasks`);
  await expect(chengdu.getByRole("heading", { level: 2, name: "小组任务" })).toBeVisible();
  await expect(chengdu.getByRole("link", { name: "布置任务" })).toHaveCount(0);
  await teacher.goto(`${groupPath}/tasks`);
  await teacher.getByRole("link", { name: "布置任务" }).click();
  await expect(teacher.getByRole("heading", { level: 2, name: "布置小组任务" })).toBeVisible();
  // An empty form comes back with each error beside its field.
  await teacher.locator("form.task-form button.primary").click();
  await expect(teacher.locator("#f-title-error")).toHaveText("请填写任务标题。");
  await expect(teacher.locator("#f-dueAt-error")).toHaveText("请填写截止时间。");
  await expectAccessible(teacher);
  await teacher.locator("#f-title").fill("设计一张校园导览海报");
  await writeBody(teacher, "两校同学一起设计海报，并附一段说明。");
  await teacher.locator("#f-dueAt").fill(beijingIn(3));
  await teacher.locator("#f-files").setInputFiles({ name: "海报要求.pdf", mimeType: "application/pdf", buffer: pdf("poster rules") });
  await teacher.locator("form.task-form button.primary").click();
  await expect(teacher.getByRole("heading", { level: 2, name: "设计一张校园导览海报" })).toBeVisible();
  await expect(teacher).toHaveURL(/\/tasks\/(?!new$)[A-Za-z0-9_-]+$/);
  const taskPath = new URL(teacher.url()).pathname;
  await expect(teacher.getByText("小组成果由学生成员提交。")).toBeVisible();

  // The task's thread carries the instructions (the thread page is the threads helper's).
  const threadHref = await teacher.getByRole("link", { name: "到任务讨论中一起完成" }).getAttribute("href");
  expect(threadHref).toMatch(new RegExp(`^${groupPath}/threads/[A-Za-z0-9_-]+$`));

  // 昭觉's student opens the task (in Yi) before 成都's student hands in.
  await zhaojue.goto(taskPath);
  await expect(zhaojue.locator("html")).toHaveAttribute("lang", "ii");
  await expect(zhaojue.getByRole("link", { name: "海报要求.pdf" })).toBeVisible();

  await chengdu.goto(taskPath);
  await expect(chengdu.getByText("还没有提交成果。")).toBeVisible();
  await chengdu.locator("#f-body").fill("初稿：海报草图和说明。");
  await chengdu.locator("#f-files").setInputFiles({ name: "海报初稿.pdf", mimeType: "application/pdf", buffer: pdf("poster draft") });
  await chengdu.locator("form.hand-in-form button.primary").click();
  await expect(chengdu.getByRole("status")).toContainText("已收到小组成果（第 1 版）。");
  await expect(chengdu.locator(".group-result")).toContainText("初稿：海报草图和说明。");
  await expect(chengdu.getByRole("link", { name: "海报初稿.pdf" })).toBeVisible();
  await expect(chengdu.locator(".group-result .checksum")).toHaveText(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);

  // 昭觉's form was built before that hand-in: refused, nothing overwritten, the typed text kept.
  const yiText = "ꆈꌠ 说明：彝文版的导览词。";
  await zhaojue.locator("#f-body").fill(yiText);
  await zhaojue.locator("form.hand-in-form button.primary").click();
  await expect(zhaojue.getByRole("alert")).toContainText("ꐯꄮꊿꋍꂱꃅꌠꅇꁵꀐ");
  await expect(zhaojue.locator("#f-body")).toHaveValue(yiText);
  await expect(zhaojue.locator(".group-result")).toContainText("初稿：海报草图和说明。");
  await expectAccessible(zhaojue);
  // Having read the new result, they hand in on top of it, keeping the draft's file.
  await zhaojue.locator("form.hand-in-form button.primary").click();
  await expect(zhaojue.getByRole("status")).toContainText("ꁵꇬ 2");
  await expect(zhaojue.locator(".group-result")).toContainText(yiText);
  await expect(zhaojue.getByRole("link", { name: "海报初稿.pdf" })).toBeVisible();
  await atPhoneWidth(zhaojue);
  await shoot(zhaojue, "task-ii");
  // Their school has not opened students' portfolios yet: the page says so instead of a button.
  await expect(zhaojue.getByText("ꆍꌠꁱꀋꉆꀕ，ꅝꀋꉆ。")).toBeVisible();

  // 成都's student adds the group's result to their own portfolio (once).
  await chengdu.goto(taskPath);
  await expect(chengdu.locator(".group-result")).toContainText(yiText);
  await expectAccessible(chengdu);
  await atPhoneWidth(chengdu);
  await shoot(chengdu, "task-zh");
  await chengdu.getByRole("button", { name: "加入我的成长档案" }).click();
  await expect(chengdu).toHaveURL(/\/portfolio\/[A-Za-z0-9_-]+$/);
  await expect(chengdu.getByRole("heading", { level: 1, name: "设计一张校园导览海报" })).toBeVisible();
  await expect(chengdu.getByText(GROUP)).toBeVisible();
  await expect(chengdu.getByRole("link", { name: "海报初稿.pdf" })).toBeVisible();
  await chengdu.goto(taskPath);
  await expect(chengdu.getByRole("link", { name: "已在我的档案中：查看" })).toBeVisible();

  // The list shows the task as handed in; the teacher reads the page in Tibetan, then goes back.
  await teacher.goto(`${groupPath}/tasks`);
  await expect(teacher.locator(".task-list")).toContainText("已提交");
  await expectAccessible(teacher);
  await atPhoneWidth(teacher);
  await teacher.goto(taskPath);
  await switchLanguage(teacher, "bo");
  try {
    await expect(teacher.getByRole("heading", { level: 2, name: "ཚོགས་ཆུང་གི་གྲུབ་འབྲས།" })).toBeVisible();
    await expectAccessible(teacher);
    await shoot(teacher, "task-bo");
  } finally {
    await switchLanguage(teacher, "zh-Hans");
  }
});
