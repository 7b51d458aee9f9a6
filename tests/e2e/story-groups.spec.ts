import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible, pdf, signIn, writeBody } from "./support";

// Issue 7's story end to end, on the demo world. wuhou-jun.t1 (武侯区第一初级中学, 成都) makes a
// platform-wide research group; zhaojue-jun.t1 (昭觉县民族中学, whose school reads Yi) finds it by a
// Chinese fragment, asks to join, is approved and posts a lesson plan; the first teacher replies and
// copies the file into a lesson. Then a study group of 九年级 students of both schools (over 14)
// completes a group task. No other spec uses these five people.
const CHENGDU_TEACHER = "wuhou-jun.t1";
const ZHAOJUE_TEACHER = "zhaojue-jun.t1";
const CHENGDU_STUDENT = "wuhou-jun.s7";
const ZHAOJUE_STUDENT = "zhaojue-jun.s5";

async function signedIn(browser: Browser, login: string): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, login);
  await expect(page).toHaveURL("/");
  return page;
}

/** A Beijing-time value for a datetime-local input, `days` from now. */
function beijingIn(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}

test("a research group across 成都 and 昭觉: found by a Chinese fragment in Yi, approved, a lesson plan shared, replied to and copied into a lesson", async ({ browser }) => {
  test.setTimeout(180_000);
  const stamp = String(Date.now()).slice(-6);
  const groupName = `初中数学跨区域教研组 ${stamp}`;

  // 1. The 成都 teacher makes the group: research, the whole platform, by approval.
  const chengdu = await signedIn(browser, CHENGDU_TEACHER);
  await chengdu.getByRole("link", { name: "小组" }).click();
  await expect(chengdu).toHaveURL("/groups");
  await chengdu.getByRole("link", { name: "新建小组" }).click();
  await chengdu.locator("#f-name").fill(groupName);
  await chengdu.locator("#f-subject").fill("数学");
  await chengdu.locator("#f-description").fill("成都和凉山的初中数学老师一起备课、评课。");
  await chengdu.locator("#f-kind").selectOption("research");
  await chengdu.locator("#f-reach").selectOption("platform");
  await chengdu.locator("#f-joinPolicy").selectOption("approval");
  await chengdu.getByRole("button", { name: "创建小组" }).click();
  await expect(chengdu).toHaveURL(/\/groups\/[A-Za-z0-9_-]+$/);
  const groupPath = new URL(chengdu.url()).pathname;
  await expect(chengdu.getByRole("heading", { level: 1, name: groupName })).toBeVisible();

  // 2. The 昭觉 teacher reads the app in Yi (their school's language) and finds the group by "跨区域教研".
  const zhaojue = await signedIn(browser, ZHAOJUE_TEACHER);
  await expect(zhaojue.locator("html")).toHaveAttribute("lang", "ii");
  await zhaojue.goto("/groups");
  await zhaojue.locator("input[name=q]").fill("跨区域教研");
  await zhaojue.locator("form.group-search button[type=submit]").click();
  await expect(zhaojue).toHaveURL(/[?&]q=/);
  const card = zhaojue.getByRole("link", { name: groupName });
  await expect(card).toBeVisible();
  await expectAccessible(zhaojue);
  await card.click();
  await expect(zhaojue).toHaveURL(groupPath);

  // Before joining, the discussion is for members only; they ask, with a note.
  await zhaojue.locator("#f-note").fill("ꆏꉢ 昭觉县民族中学的数学老师，想一起备《一元二次方程》。");
  await zhaojue.locator("button[name=intent][value=join]").click();
  await expect(zhaojue.locator("button[name=intent][value=cancel]")).toBeVisible();

  // 3. The owner approves the request on the members page (told by a notice first).
  await chengdu.goto("/notifications");
  await chengdu.locator(".notification-list a", { hasText: groupName }).first().click();
  await expect(chengdu).toHaveURL(groupPath);
  await chengdu.goto(`${groupPath}/members`);
  const request = chengdu.locator("li", { hasText: "想一起备《一元二次方程》" });
  await expect(request).toContainText("昭觉县民族中学");
  await request.locator("button[name=intent][value=approve]").click();
  await expect(chengdu.locator(".group-members, main")).toContainText("昭觉县民族中学");

  // 4. Approved, the 昭觉 teacher starts a thread with a lesson-plan file (in Yi).
  await zhaojue.goto(groupPath);
  await expect(zhaojue.locator("button[name=confirm][value=leave]")).toBeVisible();
  await zhaojue.goto(`${groupPath}/threads/new`);
  const threadTitle = `《一元二次方程》教学设计 ${stamp}`;
  await zhaojue.locator("#f-title").fill(threadTitle);
  await writeBody(zhaojue, "请各位老师看看这份教学设计，特别是配方法的引入。");
  await zhaojue.locator("#f-files").setInputFiles({ name: "一元二次方程-教学设计.pdf", mimeType: "application/pdf", buffer: pdf("quadratic lesson plan") });
  await zhaojue.locator("form button.primary").last().click();
  await expect(zhaojue).toHaveURL(new RegExp(`${groupPath}/threads/(?!new$)[A-Za-z0-9_-]+$`));
  const threadPath = new URL(zhaojue.url()).pathname;
  await expect(zhaojue.getByRole("link", { name: "一元二次方程-教学设计.pdf" }).first()).toBeVisible();

  // 5. The first teacher replies, mentioning the 昭觉 teacher, and copies the file into a new lesson.
  const zhaojueName = (await zhaojue.locator(".site-header .who .name").textContent())!.trim();
  await chengdu.goto(threadPath);
  await chengdu.locator("#f-body").fill(`@${zhaojueName} 配方法可以先用面积模型引入，我下周在我们班试一试。`);
  await chengdu.locator(".reply-form button.primary").click();
  await expect(chengdu.getByText("配方法可以先用面积模型引入")).toBeVisible();
  await chengdu.getByRole("link", { name: "把“一元二次方程-教学设计.pdf”复制到我的备课" }).click();
  await expect(chengdu).toHaveURL(new RegExp(`${groupPath}/copy-to-lesson\\?file=`));
  await expectAccessible(chengdu);
  await chengdu.locator("input[name=lessonId][value=new]").check();
  await chengdu.locator("form button.primary").last().click();
  await expect(chengdu).toHaveURL(/\/lessons\/[A-Za-z0-9_-]+\/edit$/);
  await expect(chengdu.locator("#f-title")).toHaveValue("一元二次方程-教学设计");
  await expect(chengdu.getByText("一元二次方程-教学设计.pdf").first()).toBeVisible();

  // The 昭觉 teacher is told of the mention.
  await zhaojue.goto("/notifications");
  const mention = zhaojue.locator(".notification-list a", { hasText: threadTitle }).first();
  await expect(mention).toBeVisible();
  await expectAccessible(zhaojue);
  await mention.click();
  await expect(zhaojue).toHaveURL(threadPath);

  await chengdu.context().close();
  await zhaojue.context().close();
});

test("a study group of students of two schools completes a group task, and the result reaches a portfolio", async ({ browser }) => {
  test.setTimeout(180_000);
  const stamp = String(Date.now()).slice(-6);
  const groupName = `九年级数学建模小组 ${stamp}`;

  const teacher = await signedIn(browser, CHENGDU_TEACHER);
  await teacher.goto("/groups/new");
  await teacher.locator("#f-name").fill(groupName);
  await teacher.locator("#f-subject").fill("数学");
  await teacher.locator("#f-kind").selectOption("study");
  await teacher.locator("#f-reach").selectOption("platform");
  await teacher.locator("#f-joinPolicy").selectOption("open");
  await teacher.getByRole("button", { name: "创建小组" }).click();
  await expect(teacher).toHaveURL(/\/groups\/[A-Za-z0-9_-]+$/);
  const groupPath = new URL(teacher.url()).pathname;

  // Students of 武侯 and 昭觉 (both 九年级, over 14) join.
  const chengdu = await signedIn(browser, CHENGDU_STUDENT);
  const zhaojue = await signedIn(browser, ZHAOJUE_STUDENT);
  for (const student of [chengdu, zhaojue]) {
    await student.goto("/groups");
    await student.locator("input[name=q]").fill("数学建模");
    await student.locator("form.group-search button[type=submit]").click();
    await student.getByRole("link", { name: groupName }).click();
    await student.locator("button[name=intent][value=join]").click();
    await expect(student.locator("button[name=confirm][value=leave]")).toBeVisible();
  }
  await teacher.goto(`${groupPath}/members`);
  await expect(teacher.locator("main")).toContainText("昭觉县民族中学");
  await expect(teacher.locator("main")).toContainText("武侯区第一初级中学");

  // The teacher sets a task due in two days.
  await teacher.goto(`${groupPath}/tasks/new`);
  await teacher.locator("#f-title").fill("测量校园旗杆的高度");
  await writeBody(teacher, "用相似三角形测量旗杆高度：两校各测一次，比较结果，写出方法和误差分析。");
  await teacher.locator("#f-dueAt").fill(beijingIn(2));
  await teacher.locator("form.task-form button.primary").click();
  await expect(teacher.getByRole("heading", { level: 2, name: "测量校园旗杆的高度" })).toBeVisible();
  const taskPath = new URL(teacher.url()).pathname;

  // They work on it in the task's thread: the 昭觉 student posts their measurement.
  await zhaojue.goto(taskPath);
  const threadHref = await zhaojue.locator(`a[href^="${groupPath}/threads/"]`).first().getAttribute("href");
  await zhaojue.goto(threadHref!);
  await zhaojue.locator("#f-body").fill("我们测得影长 6.2 米，标杆 1 米影长 0.5 米，旗杆约 12.4 米。");
  await zhaojue.locator(".reply-form button.primary").click();
  await expect(zhaojue.getByText("旗杆约 12.4 米")).toBeVisible();

  // The 成都 student hands in the group's result with a file, for everyone.
  await chengdu.goto(threadHref!);
  await expect(chengdu.getByText("旗杆约 12.4 米")).toBeVisible();
  await chengdu.goto(taskPath);
  await chengdu.locator("#f-body").fill("两校结果：武侯 11.8 米，昭觉 12.4 米。误差来自影子边缘的判断。");
  await chengdu.locator("#f-files").setInputFiles({ name: "旗杆测量报告.pdf", mimeType: "application/pdf", buffer: pdf("flagpole report") });
  await chengdu.locator("form.hand-in-form button.primary").click();
  await expect(chengdu.locator(".group-result")).toContainText("两校结果");

  // Every member sees it; the teacher's list shows the task handed in.
  await zhaojue.goto(taskPath);
  await expect(zhaojue.locator(".group-result")).toContainText("两校结果");
  await expect(zhaojue.getByRole("link", { name: "旗杆测量报告.pdf" })).toBeVisible();
  await teacher.goto(`${groupPath}/tasks`);
  await expect(teacher.locator(".task-list")).toContainText("已提交");

  // The 成都 student's portfolio shows the group's result (their school has portfolios open).
  await chengdu.goto(taskPath);
  await chengdu.getByRole("button", { name: "加入我的成长档案" }).click();
  await expect(chengdu).toHaveURL(/\/portfolio\/[A-Za-z0-9_-]+$/);
  await expect(chengdu.getByRole("heading", { level: 1, name: "测量校园旗杆的高度" })).toBeVisible();
  await expect(chengdu.getByText(groupName)).toBeVisible();
  await expect(chengdu.getByRole("link", { name: "旗杆测量报告.pdf" })).toBeVisible();

  for (const page of [teacher, chengdu, zhaojue]) await page.context().close();
});
