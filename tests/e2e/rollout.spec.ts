import { expect, test } from "@playwright/test";
import { generatedRoster, rosterXlsx } from "./roster-fixtures";
import { expectAccessible, signIn } from "./support";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// The whole rollout story for one school: closed, a roster, slips, a teacher activates, the phase opens
// the teacher's space, and a feature switched off for the school leaves it.
test("a school opens step by step: roster, slips, activation, phase, space and a flag", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const setPhase = async (phase: number) => {
    await page.goto("/school/rollout");
    await page.getByLabel(new RegExp(`阶段 ${phase}`)).check();
    await page.getByRole("button", { name: "保存阶段" }).click();
    await expect(page.getByRole("status")).toHaveText("开通阶段已保存。");
  };

  await signIn(page, "wuhou-jun.admin");
  await setPhase(0);

  await page.goto("/school/roster");
  const roster = await rosterXlsx(generatedRoster(20, ["七年级（3）班", "九年级（1）班"], { firstNumber: 5000, nameOffset: 5000, birthYear: 2011 }));
  await page.locator("#f-roster").setInputFiles({ name: "第一初级中学.xlsx", mimeType: XLSX, buffer: roster });
  await page.getByRole("button", { name: "上传并核对" }).click();
  await page.getByRole("button", { name: "导入" }).click();
  await expect(page.locator(".slip")).toHaveCount(20);
  const slip = page.locator(".slip").filter({ hasText: "wuhou-jun.t" }).first();
  const loginName = (await slip.locator(".slip-login").textContent())!.trim();
  const code = (await slip.locator(".slip-code").textContent())!.trim();
  const realName = (await slip.locator(".slip-name").textContent())!.trim();

  const teacherContext = await browser.newContext({ locale: "zh-CN" });
  const teacher = await teacherContext.newPage();
  await teacher.goto("/activate");
  await teacher.locator("#f-loginName").fill(loginName);
  await teacher.locator("#f-code").fill(code);
  await teacher.locator("#f-realName").fill(realName);
  await teacher.locator("#f-password").fill("山城的第一堂课 2026");
  await teacher.locator("#f-confirm").fill("山城的第一堂课 2026");
  await teacher.locator("form button.primary").click();
  await expect(teacher).toHaveURL(/\/\?welcome=1$/);
  await expect(teacher.locator(".space-status")).toContainText("尚未开通");
  await teacher.getByRole("link", { name: "我的空间" }).click();
  await expect(teacher.getByRole("heading", { level: 1, name: realName })).toBeVisible();
  await expect(teacher.locator(".alert")).toContainText("你的空间尚未开通");
  const spaceUrl = teacher.url();

  // Phase 1: teachers first.
  await setPhase(1);
  await teacher.goto(spaceUrl);
  await expect(teacher.locator(".notice")).toContainText("你的空间已开通");
  const blog = teacher.locator(".capabilities li", { hasText: "博客" });
  await expect(blog).toContainText("已开放");
  await expectAccessible(teacher);

  // The school switches the blog off: the space no longer offers it.
  await page.goto("/school/flags");
  const card = page.locator("#flag-blog");
  await card.getByLabel("状态").selectOption("off");
  await card.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toHaveText("已保存。");
  await teacher.goto(spaceUrl);
  await expect(teacher.locator(".capabilities li", { hasText: "博客" })).toContainText("尚未开放");
  // …and the blog's own routes, writing and reading alike, answer with the translated "not yet open" page.
  const handle = new URL(spaceUrl).pathname.split("/")[2];
  for (const path of ["/posts/new", `/u/${handle}/blog`]) {
    const response = await teacher.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(teacher.getByRole("heading", { level: 1 })).toHaveText("这项功能还没有开通");
    await expect(teacher.locator("main")).toContainText("“博客”还没有向你的学校开放");
    // The refusal is a plain page: no editor script comes with it, even where the page would have one.
    await expect(teacher.locator("script")).toHaveCount(0);
  }

  // Back to where the demo had the school.
  await page.locator("#flag-blog").getByRole("button", { name: /取消/ }).first().click();
  await expect(page.getByRole("status")).toBeVisible();
  await setPhase(3);
  await teacherContext.close();
});
