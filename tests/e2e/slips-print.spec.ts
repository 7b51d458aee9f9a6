import { expect, test } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { expectAccessible, signIn } from "./support";

// Issue 15 #5: slips a Yi school prints — Yi and Chinese on one slip, a print button, a page per class,
// and eight slips to an A4 page in the printed PDF.
test("issue 15 #5: a Yi school prints bilingual slips, eight to an A4 page, each class from a new page", async ({ page }, info) => {
  await signIn(page, "zhaojue-pri.admin");
  await page.goto("/school/slips");
  await page.locator("#t-waiting").check();
  await page.locator("#f-layout").check();
  await page.locator(".slips-form").first().locator("button[type=submit]").click();
  const slips = page.locator(".slip");
  await expect(slips.first()).toBeVisible();
  // One slip, two languages: the code's label in Yi, then in Chinese.
  const codeLabel = slips.first().locator("dt").filter({ has: page.locator('.slip-line[lang="zh-Hans"]', { hasText: "激活码" }) });
  await expect(codeLabel.locator('.slip-line[lang="ii"]')).toHaveText(/[\uA000-\uA4CF]/);
  // The print button is there with JavaScript (a script under the page's CSP nonce reveals it).
  await expect(page.locator("[data-print-slips]")).toBeVisible();
  await expectAccessible(page);

  const perClass = await page.locator("ol.slip-class").evaluateAll((lists) => lists.map((l) => l.querySelectorAll(":scope > .slip").length));
  const expectedPages = perClass.reduce((sum, n) => sum + Math.ceil(n / 8), 0);
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
  writeFileSync(info.outputPath("slips-8-per-page.pdf"), pdf);
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.screenshot({ path: info.outputPath("slips-8-per-page.png"), fullPage: false });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages).toBe(expectedPages);
});
