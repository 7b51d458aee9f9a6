import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { expectAccessible, expectFitsWidth, signIn } from "./support";

// Each test signs in (argon2) and runs axe on several long pages: more than the default 30 s on a busy machine.
test.describe.configure({ timeout: 60_000 });

test("the province admin sees all nine schools, in the tree and on the adoption page", async ({ page }) => {
  await signIn(page, "sichuan.edu");
  await page.goto("/region/schools");
  await expect(page.getByRole("heading", { name: "学校与区域", level: 1 })).toBeVisible();
  await expect(page.locator(".school-list > li")).toHaveCount(9);
  await expectAccessible(page);

  await page.goto("/region/adoption");
  await expect(page.getByRole("img", { name: "按学校" })).toBeVisible();
  const schoolRows = page.getByRole("table", { name: "按学校" }).locator("tbody tr");
  await expect(schoolRows).toHaveCount(9);
  await expect(page.getByRole("table", { name: "按下级区域" }).locator("tbody tr")).toHaveCount(3);
  await expectAccessible(page);
});

test("a prefecture admin creates a county and a school in it, caps the county, and downloads adoption", async ({ page }) => {
  await signIn(page, "liangshan.edu");
  await page.goto("/region/schools");
  // Their own prefecture is shown but not manageable; 昭觉县 below it is.
  await expect(page.locator(".school-list > li")).toHaveCount(3);

  await page.locator("#cr-parentId").selectOption({ label: "凉山彝族自治州" });
  await page.locator("#cr-name").fill("美姑县");
  await page.getByRole("button", { name: "新建下级区域" }).click();
  await expect(page.getByRole("status")).toHaveText("已新建区域“美姑县”。");

  // The same name again: a translated message beside the field, what was typed kept.
  await page.locator("#cr-parentId").selectOption({ label: "凉山彝族自治州" });
  await page.locator("#cr-name").fill("美姑县");
  await page.getByRole("button", { name: "新建下级区域" }).click();
  await expect(page.locator("#cr-name-error")).toHaveText("同一上级下已有名为“美姑县”的区域。");
  await expect(page.locator("#cr-name")).toHaveValue("美姑县");

  await page.locator("#cs-regionId").selectOption({ label: "— 美姑县" });
  await page.getByLabel("学校名称").fill("美姑县民族小学");
  await page.locator("#cs-stage").selectOption("primary");
  await page.locator("#cs-defaultLocale").selectOption("ii");
  await page.getByLabel("民族地区").check();
  await page.getByLabel("登录名前缀").fill("Meigu Pri!");
  await page.getByRole("button", { name: "新建学校" }).click();
  await expect(page.locator("#f-loginPrefix-error")).toHaveText("前缀须为 2–24 个小写字母、数字或连字符。");
  await expect(page.getByLabel("学校名称")).toHaveValue("美姑县民族小学");
  await expect(page.getByLabel("民族地区")).toBeChecked();
  await expectAccessible(page);

  await page.getByLabel("登录名前缀").fill("meigu-pri");
  await page.getByRole("button", { name: "新建学校" }).click();
  await expect(page.getByRole("status")).toHaveText("已新建学校“美姑县民族小学”。");

  // The county's ceiling: phases above the prefecture's own ceiling (2) are not offered.
  const county = page.locator(".region", { has: page.getByRole("heading", { name: /美姑县/ }) });
  await expect(county.getByRole("link", { name: "美姑县民族小学" })).toBeVisible();
  await county.locator("summary").click();
  const ceiling = county.getByLabel("阶段上限");
  await expect(ceiling.locator("option")).toHaveText(["不设上限", "未开通", "教师开通", "教师和学生开通"]);
  await ceiling.selectOption("1");
  await county.getByRole("button", { name: "设定上限" }).click();
  await expect(page.getByRole("status")).toHaveText("“美姑县”的上限已更新。");
  await expect(page.locator(".region", { has: page.getByRole("heading", { name: /美姑县/ }) }).locator("p.meta").first()).toContainText("本级上限：教师开通");

  // Issue 15 #7: a ceiling for the new school alone, above which its admin cannot go.
  await county.getByRole("link", { name: "美姑县民族小学" }).click();
  await page.getByLabel("本校上限").selectOption("1");
  await page.getByRole("button", { name: "设定本校上限" }).click();
  await expect(page.getByRole("status")).toHaveText("本校上限已更新。");
  await expect(page.locator(".facts")).toContainText("本校上限：1");
  await expectAccessible(page);

  await page.goto("/region/adoption");
  await expect(page.getByRole("img", { name: "按学校" })).toBeVisible();
  const newSchool = page.getByRole("table", { name: "按学校" }).getByRole("row", { name: /美姑县民族小学/ });
  await expect(newSchool).toContainText("未开通");
  await expect(page.getByRole("table", { name: "按下级区域" }).getByRole("row", { name: /美姑县/ })).toBeVisible();
  await expectAccessible(page);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "下载 CSV（可用 Excel 打开）" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^凉山彝族自治州-使用情况-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const [header, ...rows] = csv.slice(1).trim().split(/\r?\n/);
  expect(header).toMatch(/^区域,学校,学段,阶段,实际阶段,教师·已开户,/);
  expect(rows).toHaveLength(4);
  expect(rows.find((r) => r.includes("美姑县民族小学"))).toBe("美姑县,美姑县民族小学,小学,0,0,0,0,0,0,0,0,0,0,0,0,0,0");
  expect(rows.find((r) => r.includes("昭觉县城北小学"))).toMatch(/^昭觉县,昭觉县城北小学,小学,1,1,3,3,\d+,8,6,\d+,4,4,\d+,15,13,\d+$/); // active-in-7-days depends on who signed in earlier
});

test("a school admin sees their own school's adoption on a phone; a teacher is refused the region pages", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, "wuhou-pri.admin");
  await page.goto("/school/adoption");
  await expect(page.getByRole("heading", { name: "本校使用情况 · 武侯区实验小学" })).toBeVisible();
  await expect(page.getByRole("img", { name: "按身份" })).toBeVisible();
  await expect(page.getByRole("table", { name: "按身份" }).getByRole("row", { name: /教师/ })).toContainText("3");
  await expectFitsWidth(page);
  await expectAccessible(page);
  const response = await page.request.get("/school/adoption.csv");
  expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="adoption-[\d-]+\.csv"; filename\*=UTF-8''%E6%AD%A6/);
  const regionPage = await page.request.get("/region/adoption");
  expect(regionPage.status()).toBe(403);
  await context.close();

  const teacher = await browser.newContext({ locale: "zh-CN" });
  const teacherPage = await teacher.newPage();
  await signIn(teacherPage, "wuhou-pri.t2");
  const refused = await teacherPage.goto("/region/schools");
  expect(refused?.status()).toBe(403);
  await expect(teacherPage.getByRole("heading", { name: "无权访问" })).toBeVisible();
  expect((await teacherPage.request.get("/school/adoption")).status()).toBe(403);
  await teacher.close();
});
