import { expect, test } from "@playwright/test";
import { atPhoneWidth, expectAccessible, signIn } from "./support";

// wuhou-voc.p1 (a parent no other spec signs in as): the notice settings, without JavaScript.
test("a parent chooses which notices go into the daily digest; the choice is kept (no JavaScript)", async ({ browser }) => {
  const context = await browser.newContext({ locale: "zh-CN", javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, "wuhou-voc.p1");
  await page.goto("/notifications");
  await page.getByRole("link", { name: "通知设置" }).click();
  await expect(page).toHaveURL("/notifications/settings");
  await expect(page.getByRole("heading", { level: 1, name: "通知设置" })).toBeVisible();
  const missing = page.locator('input[name="digest.child_missing"]');
  await expect(missing).not.toBeChecked();
  await missing.check();
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("已保存通知设置。")).toBeVisible();
  await expect(page.locator('input[name="digest.child_missing"]')).toBeChecked();
  await expect(page.locator('input[name="digest.child_grade_returned"]')).not.toBeChecked();
  await context.close();

  // The same page with JavaScript (axe needs it): accessible, fits a phone.
  const js = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await signIn(js, "wuhou-voc.p1");
  await js.goto("/notifications/settings");
  await expect(js.locator('input[name="digest.child_missing"]')).toBeChecked();
  await expectAccessible(js);
  await atPhoneWidth(js);
  await js.setViewportSize({ width: 360, height: 740 });
  await js.screenshot({ path: test.info().outputPath("notice-settings-zh-360.png"), fullPage: true });
  await js.goto("/notifications");
  await expectAccessible(js);
  await js.screenshot({ path: test.info().outputPath("notices-zh-360.png"), fullPage: true });
  await js.context().close();
});
