import { expect, test, type Browser, type Page } from "@playwright/test";
import { baseURL } from "../../playwright.config";
import { expectAccessible, expectFitsWidth, pdf, signIn, writeBody } from "./support";

// wuhou-pri.t1 teaches 三年级（1）班 (wuhou-pri.s1 is in it, with guardian consent) and 五年级（2）班
// (wuhou-pri.s5 is in that one).
const TEACHER = "wuhou-pri.t1";
const STUDENT = "wuhou-pri.s1";
const OTHER_CLASS_STUDENT = "wuhou-pri.s5";
const CLASS_NAME = "三年级（1）班";
const CHECKSUM = /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/;


/** A datetime-local value in Beijing time, `minutes` from now. */
function beijing(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}


/** axe, then the page at 360 px: nothing sticks out sideways. */
async function checkPage(page: Page) {
  await expectAccessible(page);
  await page.setViewportSize({ width: 360, height: 740 });
  await expectFitsWidth(page);
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function signedIn(browser: Browser, login: string, javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, login);
  await expect(page).toHaveURL("/");
  return { context, page };
}

/** The teacher fills the assignment form for 三年级（1）班 and publishes it; returns its path. */
async function publishAssignment(page: Page, a: { title: string; body: string; openAt?: string; dueAt: string; lateUntil?: string; file?: string }) {
  await page.goto("/assignments/new");
  await page.locator("#f-title").fill(a.title);
  await writeBody(page, a.body);
  if (a.file) await page.locator("#f-files").setInputFiles({ name: a.file, mimeType: "application/pdf", buffer: pdf(a.file) });
  await page.getByRole("checkbox", { name: CLASS_NAME }).check();
  if (a.openAt) await page.locator("#f-openAt").fill(a.openAt);
  await page.locator("#f-dueAt").fill(a.dueAt);
  if (a.lateUntil) {
    await page.getByRole("checkbox", { name: "接受迟交" }).check();
    await page.locator("#f-lateUntil").fill(a.lateUntil);
  }
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await expect(page).toHaveURL(/\/assignments\/(?!new$)[A-Za-z0-9_-]+$/);
  await expect(page.getByRole("heading", { name: a.title, level: 1 })).toBeVisible();
  return new URL(page.url()).pathname;
}

test("a teacher publishes an assignment with a file; a student hands in twice with receipts, a double post stores one version, without JavaScript too; another class's student gets 404", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const title = `分数练习 ${Date.now()}`;
  await signIn(page, TEACHER);
  await expect(page).toHaveURL("/");
  await page.goto("/assignments");
  await expect(page.getByRole("heading", { name: "作业", level: 1 })).toBeVisible();
  await checkPage(page);
  await page.getByRole("link", { name: "布置作业" }).click();
  await expect(page.getByRole("heading", { name: "布置作业", level: 1 })).toBeVisible();
  await checkPage(page);

  // A refused form says why beside each field and keeps what was typed, files included: once the page
  // has hydrated it is sent by Remix, so the file input keeps its file (no "choose them again"; the
  // no-JS case, which does ask, is in failed-forms.spec).
  await expect(page.locator('.rich-editor-area[contenteditable="true"]')).toBeVisible({ timeout: 15_000 });
  await page.locator("#f-title").fill(title);
  await page.locator("#f-points").fill("-5");
  await page.locator("#f-files").setInputFiles({ name: "练习.pdf", mimeType: "application/pdf", buffer: pdf("first try") });
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await expect(page.getByText("请至少选择一个班级。")).toBeVisible();
  await expect(page.getByText("请填写截止时间。")).toBeVisible();
  await expect(page.getByText("满分请填 0 到 1000 的整数。")).toBeVisible();
  await expect(page.getByText("请写下作业要求或添加附件。")).toBeVisible();
  await expect(page.getByText("请重新选择文件")).toHaveCount(0);
  expect(await page.locator("#f-files").evaluate((input: HTMLInputElement) => input.files?.length)).toBe(1);
  await expect(page.locator("#f-title")).toHaveValue(title);
  await checkPage(page);
  // Due before open is refused beside the due time.
  await page.locator("#f-points").fill("100");
  await page.getByRole("checkbox", { name: CLASS_NAME }).check();
  await page.locator("#f-openAt").fill(beijing(60));
  await page.locator("#f-dueAt").fill(beijing(30));
  await writeBody(page, "做课本第 12 页。");
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await expect(page.getByText("截止时间要晚于开放时间。")).toBeVisible();

  const path = await publishAssignment(page, { title, body: "做课本第 12 页的练习，拍照上传。", dueAt: beijing(10), file: "分数练习.pdf" });
  await expect(page.locator(".tag.st-open")).toHaveText("进行中");
  await expect(page.getByRole("link", { name: "分数练习.pdf" })).toBeVisible();
  await expect(page.getByRole("link", { name: "修改" })).toBeVisible();
  await checkPage(page);
  // The read page ships no JavaScript.
  expect(await page.locator("script[src*='/assets/']").count()).toBe(0);

  // The student: the to-do list, the assignment, its file.
  const { context: sc, page: student } = await signedIn(browser, STUDENT);
  await student.goto("/assignments");
  await expect(student.getByRole("heading", { name: "我的作业", level: 1 })).toBeVisible();
  const row = student.locator(".todo-list > li", { hasText: title });
  await expect(row).toContainText("待交");
  await expect(row).toContainText(/还剩 \d+ 分钟/);
  await checkPage(student);
  await row.getByRole("link", { name: title }).click();
  await expect(student).toHaveURL(path);
  const fileHref = (await student.getByRole("link", { name: "分数练习.pdf" }).getAttribute("href"))!;
  const download = await student.request.get(fileHref);
  expect(download.status()).toBe(200);
  expect((await download.body()).toString("latin1")).toContain("%PDF-1.4");
  await expect(student.getByRole("link", { name: "修改" })).toHaveCount(0);
  await checkPage(student);

  // Hand in text and a file: the receipt.
  await student.getByRole("link", { name: "提交作业" }).click();
  await expect(student.getByRole("heading", { name: "提交作业", level: 1 })).toBeVisible();
  await checkPage(student);
  await writeBody(student, "第 12 页：1/2，3/4。");
  await student.locator("#f-files").setInputFiles({ name: "我的答案.pdf", mimeType: "application/pdf", buffer: pdf("answer one") });
  await student.getByRole("button", { name: "提交", exact: true }).click();
  await expect(student).toHaveURL(new RegExp(`${path}\\?receipt=`));
  const receipt = student.locator(".receipt");
  await expect(receipt.getByRole("heading", { name: "已收到你的作业" })).toBeVisible();
  await expect(receipt).toContainText("第 1 版");
  await expect(receipt.locator(".checksum")).toHaveText(CHECKSUM);
  await expect(receipt.getByRole("link", { name: "我的答案.pdf" })).toBeVisible();
  await expect(receipt.locator(".tag.st-late")).toHaveCount(0);
  await checkPage(student);

  // Hand in again: two versions, newest first.
  await student.getByRole("link", { name: "重新提交" }).click();
  await writeBody(student, "改正：第 2 题是 3/4。");
  await student.getByRole("button", { name: "提交", exact: true }).click();
  await expect(student.locator(".receipt")).toContainText("第 2 版");
  await expect(student.locator("ol.versions > li")).toHaveCount(2);
  await expect(student.locator("ol.versions > li").first()).toContainText("第 2 版");

  // The same form sent twice (a double click, a retried request): one version.
  await student.goto(`${path}/submit`);
  const versionId = await student.locator("input[name=versionId]").inputValue();
  const post = () =>
    student.request.post(`${path}/submit`, {
      multipart: { versionId, body: "第三版（点了两次）" },
      headers: { Origin: baseURL },
      maxRedirects: 0,
    });
  const first = await post();
  const second = await post();
  for (const answer of [first, second]) {
    expect(answer.status()).toBe(302);
    expect(answer.headers()["location"]).toBe(`${path}?receipt=${versionId}#receipt`);
  }
  await student.goto(path);
  await expect(student.locator("ol.versions > li")).toHaveCount(3);
  await sc.close();

  // Without JavaScript the textarea and the file input still hand in.
  const { context: nc, page: noJs } = await signedIn(browser, STUDENT, false);
  await noJs.goto(`${path}/submit`);
  await noJs.locator("#f-body").fill("没有脚本也能交。");
  await noJs.locator("#f-files").setInputFiles({ name: "补充.pdf", mimeType: "application/pdf", buffer: pdf("no js") });
  await noJs.getByRole("button", { name: "提交", exact: true }).click();
  await expect(noJs).toHaveURL(new RegExp(`${path}\\?receipt=`));
  await expect(noJs.locator(".receipt")).toContainText("第 4 版");
  await expect(noJs.locator(".receipt").getByRole("link", { name: "补充.pdf" })).toBeVisible();
  await nc.close();

  // A student of another class: the assignment, its hand-in page and its file are "not found".
  const { context: oc, page: other } = await signedIn(browser, OTHER_CLASS_STUDENT);
  expect((await other.goto(path))!.status()).toBe(404);
  expect((await other.goto(`${path}/submit`))!.status()).toBe(404);
  expect((await other.request.get(fileHref)).status()).toBe(404);
  await oc.close();

  // The teacher's list counts what was handed in.
  await page.goto("/assignments");
  await expect(page.locator(".assignment-list > li", { hasText: title })).toContainText("已交 1 份");
});

test("work handed in after the due time, while late work is accepted, is marked late", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const title = `迟交练习 ${Date.now()}`;
  await signIn(page, TEACHER);
  await expect(page).toHaveURL("/");
  const path = await publishAssignment(page, { title, body: "写一篇日记。", openAt: beijing(-180), dueAt: beijing(-60), lateUntil: beijing(120) });
  await expect(page.getByText("接受，截止到")).toBeVisible();
  // Its author edits it: the form comes back filled, and the change shows at once.
  await page.getByRole("link", { name: "修改" }).click();
  await expect(page.getByRole("heading", { name: "修改作业", level: 1 })).toBeVisible();
  await expect(page.locator("#f-title")).toHaveValue(title);
  await checkPage(page);
  await page.locator("#f-title").fill(`${title}（改）`);
  await page.getByRole("button", { name: "保存修改" }).click();
  await expect(page).toHaveURL(path);
  await expect(page.getByRole("heading", { name: `${title}（改）`, level: 1 })).toBeVisible();

  const { context, page: student } = await signedIn(browser, STUDENT);
  await student.goto("/assignments");
  const row = student.locator(".todo-list > li", { hasText: title });
  // Past the due time with nothing handed in: "missing", and the late window it may still use.
  await expect(row.locator(".tag.st-missing")).toHaveText("缺交");
  await expect(row).toContainText("还可以迟交，截止到");
  await row.getByRole("link", { name: title }).click();
  await student.getByRole("link", { name: "提交作业" }).click();
  await expect(student.getByText("已过截止时间，现在提交会标为迟交。")).toBeVisible();
  await writeBody(student, "今天下雨了。");
  await student.getByRole("button", { name: "提交", exact: true }).click();
  await expect(student).toHaveURL(new RegExp(`${path}\\?receipt=`));
  await expect(student.locator(".receipt .tag.st-late")).toHaveText("迟交");
  await expect(student.locator("ol.versions > li").first().locator(".tag.st-late")).toBeVisible();
  // Handing in again after the due time is not allowed: the reason instead of the link.
  await expect(student.getByText("已过截止时间，不能再重新提交。")).toBeVisible();
  await checkPage(student);
  await student.goto("/assignments");
  await expect(student.locator(".done-list > li", { hasText: title }).locator(".tag.st-late")).toHaveText("迟交");
  await checkPage(student);
  await context.close();
});

test("the class page lists the class's assignments, links a new one and the gradebook for its teachers; a lesson links setting one from it", async ({ page }) => {
  await signIn(page, TEACHER);
  await expect(page).toHaveURL("/");
  await page.getByRole("link", { name: CLASS_NAME }).first().click();
  await expect(page.getByRole("heading", { name: CLASS_NAME, level: 1 })).toBeVisible();
  const classId = new URL(page.url()).pathname.split("/").pop()!;
  await expect(page.getByRole("link", { name: "布置作业" })).toHaveAttribute("href", `/assignments/new?class=${classId}`);
  await expect(page.getByRole("link", { name: "成绩册" })).toHaveAttribute("href", `/classes/${classId}/gradebook`);
  await page.getByRole("link", { name: "布置作业" }).click();
  await expect(page.getByRole("checkbox", { name: CLASS_NAME })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "五年级（2）班" })).not.toBeChecked();

  // A lesson's author sets an assignment from it: the lesson is chosen already.
  const lessonTitle = `认识时间 ${Date.now()}`;
  await page.goto("/lessons/new");
  await page.locator("#f-title").fill(lessonTitle);
  await writeBody(page, "钟面上有 12 个数。");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByRole("heading", { name: lessonTitle })).toBeVisible();
  const lessonId = new URL(page.url()).pathname.split("/").pop()!;
  await page.getByRole("link", { name: "用这节课布置作业" }).click();
  await expect(page).toHaveURL(`/assignments/new?lesson=${lessonId}`);
  await expect(page.locator("#f-lessonId")).toHaveValue(lessonId);

  // Saved as a draft, students do not see it; published from its page, it opens.
  const title = `看钟表 ${Date.now()}`;
  await page.locator("#f-title").fill(title);
  await writeBody(page, "画出 3 点和 9 点。");
  await page.getByRole("checkbox", { name: CLASS_NAME }).check();
  await page.locator("#f-dueAt").fill(beijing(24 * 60));
  await page.getByRole("button", { name: "存为草稿" }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await expect(page.locator(".tag.st-draft")).toHaveText("草稿");
  await expect(page.getByRole("link", { name: lessonTitle })).toBeVisible();
  await page.getByRole("button", { name: "现在发布" }).click();
  await expect(page.locator(".tag.st-open")).toHaveText("进行中");
});
