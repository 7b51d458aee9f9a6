import { expect, test } from "@playwright/test";
import { atPhoneWidth, expectAccessible, pdf, signIn, writeBody } from "./support";

// wuhou-pri.t1 teaches 三年级（1）班 (wuhou-pri.s1 is in it, with guardian consent) and 五年级（2）班
// (wuhou-pri.s5 is in that one).
const TEACHER = "wuhou-pri.t1";
const CLASS_NAME = "三年级（1）班";




test("a teacher publishes a lesson with a file to a class; its student reads and downloads it; another class's student gets 404; announcements are posted and pinned", async ({ page, browser }) => {
  // One story across three people and a dozen page loads, each checked with axe and at 360 px.
  test.setTimeout(120_000);
  const title = `认识分数 ${Date.now()}`;
  await signIn(page, TEACHER);
  await expect(page).toHaveURL("/");
  await page.getByRole("link", { name: "我的备课" }).click();
  await page.getByRole("link", { name: "写新课" }).click();
  await expect(page.getByRole("heading", { name: "写新课" })).toBeVisible();
  await expectAccessible(page);
  await atPhoneWidth(page);

  // Bad input keeps what was typed and says why beside the field.
  await writeBody(page, "把一个苹果平均分成两份，每份是它的二分之一。");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByText("请填写课题。")).toBeVisible();

  await page.locator("#f-title").fill(title);
  await writeBody(page, "把一个苹果平均分成两份，每份是它的二分之一。");
  await page.locator("#f-files").setInputFiles({ name: "分数练习.pdf", mimeType: "application/pdf", buffer: pdf("fractions") });
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page).toHaveURL(/\/lessons\/(?!new$)[a-z0-9]+$/);
  const lessonUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByText("尚未发布到任何班级。")).toBeVisible();

  // A time that cannot be read is refused beside the field; then publish now to 三年级（1）班.
  await page.getByRole("checkbox", { name: CLASS_NAME }).check();
  await page.locator("#f-publishAt").evaluate((input: HTMLInputElement) => {
    input.type = "text";
    input.value = "明天早上";
  });
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await expect(page.getByText("请填写有效的时间，例如 2026-12-01 08:00。")).toBeVisible();
  await page.getByRole("checkbox", { name: CLASS_NAME }).check();
  await page.locator("#f-publishAt").fill("");
  await page.getByRole("button", { name: "发布", exact: true }).click();
  const publication = page.getByRole("link", { name: new RegExp(`^${CLASS_NAME}：.*起学生可见$`) });
  await expect(publication).toBeVisible();
  await expectAccessible(page);
  await atPhoneWidth(page);
  const classUrl = (await publication.getAttribute("href"))!;

  // The class space: the teacher posts two announcements and pins the first.
  await publication.click();
  await expect(page.getByRole("heading", { name: CLASS_NAME, level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await page.locator("#f-body").fill("周五春游，请带水壶。");
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await expect(page.getByText("周五春游，请带水壶。")).toBeVisible();
  await page.locator("#f-body").fill("下周一交作业本。");
  await page.getByRole("button", { name: "发布", exact: true }).click();
  const stream = page.locator("ul.stream > li");
  await expect(stream.first()).toContainText("下周一交作业本。");
  await stream.filter({ hasText: "周五春游，请带水壶。" }).getByRole("button", { name: "置顶" }).click();
  await expect(stream.first()).toContainText("周五春游，请带水壶。");
  await expect(stream.first()).toHaveClass(/pinned/);
  // An empty announcement is refused beside the field.
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await expect(page.getByText("请写下通知内容或附上文件。")).toBeVisible();
  await expectAccessible(page);
  await atPhoneWidth(page);

  // The home page links the class space.
  await page.goto("/");
  // (Home also links the class's new announcements, to #announcements.)
  await expect(page.locator(`a[href="${classUrl}"]`, { hasText: CLASS_NAME }).first()).toBeVisible();

  // A student of the class sees the lesson and the pinned announcement, and downloads the file.
  const studentContext = await browser.newContext();
  const student = await studentContext.newPage();
  await signIn(student, "wuhou-pri.s1");
  await expect(student).toHaveURL("/");
  await student.locator(`a[href="${classUrl}"]`, { hasText: CLASS_NAME }).first().click();
  await expect(student).toHaveURL(classUrl);
  await expect(student.locator("ul.stream > li").first()).toContainText("周五春游，请带水壶。");
  await expect(student.getByRole("button", { name: "置顶" })).toHaveCount(0);
  await expect(student.locator("#f-body")).toHaveCount(0);
  await expectAccessible(student);
  await atPhoneWidth(student);
  await student.getByRole("link", { name: title }).click();
  await expect(student.getByRole("heading", { name: title })).toBeVisible();
  await expect(student.getByRole("link", { name: "修改" })).toHaveCount(0);
  const fileLink = student.getByRole("link", { name: "分数练习.pdf" });
  const download = await student.request.get((await fileLink.getAttribute("href"))!);
  expect(download.status()).toBe(200);
  expect((await download.body()).toString("latin1")).toContain("fractions");
  await expectAccessible(student);
  await studentContext.close();

  // A student of another class: the class, the lesson and its file are "not found".
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signIn(other, "wuhou-pri.s5");
  await expect(other).toHaveURL("/");
  expect((await other.goto(classUrl))!.status()).toBe(404);
  expect((await other.goto(lessonUrl))!.status()).toBe(404);
  await page.goto(lessonUrl);
  const fileHref = (await page.getByRole("link", { name: "分数练习.pdf" }).getAttribute("href"))!;
  expect((await other.request.get(fileHref)).status()).toBe(404);
  await otherContext.close();
});
