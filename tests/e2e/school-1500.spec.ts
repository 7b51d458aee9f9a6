import { expect, test } from "@playwright/test";
import { atPhoneWidth, expectAccessible, signIn } from "./support";

// Issue 15 #6, without JavaScript: the rollout page's consent list is searched and filtered by URL,
// and a class's returned paper forms are recorded in one checklist form that keeps its ticks and
// date when refused. 昭觉县民族中学 (Yi by default; the cookie picks Chinese for the assertions).
test("issue 15 #6: a school admin finds pupils and records paper consent for a class from a checklist, without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, "zhaojue-jun.admin");
  await context.addCookies([{ name: "lng", value: "zh-Hans", url: page.url() }]);

  await page.goto("/school/rollout");
  const list = page.locator("section", { has: page.getByRole("heading", { name: "学生与同意书" }) });
  // Only 七年级（1）班: the onboarding story imports other classes of this school.
  const ownClass = async () => {
    await list.getByLabel("班级", { exact: true }).selectOption({ label: "七年级（1）班" });
    await list.getByRole("button", { name: "查找" }).click();
  };
  await ownClass();
  await expect(list.locator(".range").first()).toHaveText("第 1–3 条，共 3 条");
  await list.getByLabel("同意书状态").selectOption("all");
  await list.getByRole("button", { name: "查找" }).click();
  await expect(page).toHaveURL(/consent=all/);
  await expect(list.getByLabel("同意书状态")).toHaveValue("all");

  const bulk = page.locator("section", { has: page.getByRole("heading", { name: "按班级登记纸质同意书" }) });
  await bulk.getByLabel("选择班级").selectOption({ label: "七年级（1）班" });
  await bulk.getByRole("button", { name: "列出这个班的学生" }).click();
  const boxes = bulk.getByRole("checkbox");
  await expect(boxes).toHaveCount(3);
  const checklistUrl = page.url();

  // Refused: a date in the future. The ticks, the date and the staff member come back.
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await bulk.getByLabel("签字日期").fill("2999-09-01");
  await bulk.getByRole("button", { name: "为勾选的学生登记“同意”" }).click();
  await expect(bulk.locator("#f-bulk-signedOn-error")).toHaveText("签字日期不能晚于今天。");
  await expect(bulk.getByLabel("签字日期")).toHaveValue("2999-09-01");
  await expect(boxes.nth(0)).toBeChecked();
  await expect(boxes.nth(1)).toBeChecked();
  await expect(boxes.nth(2)).not.toBeChecked();

  await bulk.getByLabel("签字日期").fill("2026-09-01");
  await bulk.getByRole("button", { name: "为勾选的学生登记“同意”" }).click();
  await expect(page.getByRole("status")).toHaveText("已为 2 名学生登记纸质同意书。");
  await ownClass();
  await expect(list.locator(".range").first()).toHaveText("第 1–1 条，共 1 条");
  await atPhoneWidth(page);
  await context.close();

  // axe needs scripts: the same pages, read with JavaScript on.
  const withScripts = await browser.newContext({ locale: "zh-CN" });
  const reader = await withScripts.newPage();
  await signIn(reader, "zhaojue-jun.admin");
  await withScripts.addCookies([{ name: "lng", value: "zh-Hans", url: reader.url() }]);
  await reader.goto(checklistUrl);
  await expect(reader.getByRole("checkbox")).toHaveCount(1);
  await expectAccessible(reader);
  await reader.goto("/school/rollout?consent=all");
  await expectAccessible(reader);
  await withScripts.close();
});
