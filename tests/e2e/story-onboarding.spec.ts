import { expect, test, type Browser, type Page } from "@playwright/test";
import { xuejiGbkCsv, xuejiPupils } from "../support/xueji-fixtures";
import { expectAccessible, signIn } from "./support";

// Issue 15, the first real day of a Yi-speaking school, end to end: 昭觉县民族中学's admin, in the
// school's Yi interface, uploads the 学籍系统 export as it comes (GBK CSV, a title row above the
// header, no role column, classes spelled "7年级(2)班" that the school does not have yet), creates the
// missing classes from the preview in one step, imports with parent codes, prints bilingual slips,
// records a class's returned paper consent in one form; a pupil activates with their slip and a
// parent joins with the code printed for them; the audit log reads as sentences in Yi and in Chinese.
// Its pupils and classes (七年级（2）班, 七年级（3）班) are its own: no other spec reads them.

const ADMIN = "zhaojue-jun.admin";
const PUPILS = 150;
const TITLE = "昭觉县民族中学学生名册（2026年9月导出）";
const YI = /[\uA000-\uA4CF]/;

async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN" });
  return context.newPage();
}

test("issue 15: a Yi school's admin onboards 150 pupils from a 学籍 export; a pupil and a parent start from their slips; the log reads as sentences", async ({ browser }) => {
  test.setTimeout(180_000);
  const pupils = xuejiPupils(PUPILS, [[7, 2], [7, 3]], { nameOffset: 12_000, birthYear: 2014 });
  const admin = await freshPage(browser);
  await signIn(admin, ADMIN);
  await expect(admin).toHaveURL("/");
  const adminName = (await admin.locator(".site-header .name").textContent())!.trim();

  // 1. The export as it is, in the school's Yi interface.
  await admin.goto("/school/roster");
  await expect(admin.locator("html")).toHaveAttribute("lang", "ii");
  await admin.locator("#f-roster").setInputFiles({ name: "学籍导出.csv", mimeType: "text/csv", buffer: Buffer.from(xuejiGbkCsv(pupils, { title: TITLE })) });
  await admin.locator("form:has(#f-roster) button[type=submit]").click();
  await expect(admin).toHaveURL(/\/school\/roster\/[^/?]+$/);
  const previewUrl = admin.url();
  await expect(admin.locator("main")).toContainText("7年级(2)班");
  await expect(admin.locator("main")).toContainText("7年级(3)班");
  await expect(admin.locator("main h1").first()).toHaveText(YI);
  await admin.setViewportSize({ width: 360, height: 800 });
  await admin.screenshot({ path: test.info().outputPath("preview-ii-360.png"), fullPage: true, clip: { x: 0, y: 0, width: 360, height: 1500 } });
  await admin.setViewportSize({ width: 1280, height: 800 });

  // 2. The two missing classes, created in one step from the preview, in the school's spelling.
  await admin.locator("button[name=intent][value=createClasses]").click();
  await expect(admin).toHaveURL(/\?created=2$/);
  await expect(admin.locator("button[name=intent][value=createClasses]")).toHaveCount(0);
  // A pupil roster: parent codes are offered and ticked.
  await expect(admin.locator("#f-guardianCodes")).toBeChecked();
  await expectAccessible(admin);
  await admin.locator("button[name=intent][value=import]").click();
  await expect(admin).toHaveURL(previewUrl);

  // 3. Slips in Yi and Chinese, read again from the server, a hundred to a page.
  const slips = admin.locator(".slip");
  await expect(slips).toHaveCount(100);
  const first = slips.first();
  await expect(first.locator('.slip-line[lang="ii"]').first()).toHaveText(YI);
  await expect(first.locator('.slip-line[lang="zh-Hans"]').first()).toBeVisible();
  const pupil = {
    login: (await first.locator(".slip-login").textContent())!.trim(),
    code: (await first.locator(".slip-code").textContent())!.trim(),
    name: (await first.locator(".slip-name").textContent())!.trim(),
  };
  expect(pupil.login).toMatch(/^zhaojue-jun\./);
  expect(pupils.map((p) => p.name)).toContain(pupil.name);

  // The parents' slips of the same import, eight to an A4 page.
  await admin.goto(`${previewUrl}?print=parents&layout=8`);
  const linkSlips = admin.locator(".link-slip");
  await expect(linkSlips.first()).toBeVisible();
  await expect(admin.locator("ol.link-slips.layout-eight").first()).toBeVisible();
  await expect(linkSlips.first().locator('.slip-line[lang="ii"]').first()).toHaveText(YI);
  await expect(linkSlips.first().locator('.slip-line[lang="zh-Hans"]').first()).toBeVisible();
  await admin.screenshot({ path: test.info().outputPath("parent-slips-ii-1280.png") });
  const child = (await linkSlips.first().locator(".link-slip-name").textContent())!.trim();
  const linkCode = (await linkSlips.first().locator(".link-slip-code").textContent())!.trim();
  expect(pupils.map((p) => p.name)).toContain(child);

  // 4. Paper consent for 七年级（2）班 in one form: the returned forms ticked, one date.
  await admin.goto("/school/rollout");
  const classId = await admin.locator("#f-bulkClass option", { hasText: "七年级（2）班" }).getAttribute("value");
  await admin.goto(`/school/rollout?bulkClass=${classId}`);
  const boxes = admin.locator("#bulk-consent input[type=checkbox][name=students]");
  await expect(boxes).toHaveCount(PUPILS / 2);
  for (const box of await boxes.all()) await box.check();
  await admin.locator("#f-bulk-signedOn").fill("2026-09-01");
  await admin.locator("#bulk-consent button[type=submit]").click();
  await expect(admin).toHaveURL(/done=bulk&n=75/);
  await expect(admin.getByRole("status").first()).toHaveText(YI);

  // 5. The pupil activates with their slip.
  const pupilPage = await freshPage(browser);
  await pupilPage.goto("/activate");
  await pupilPage.locator("#f-loginName").fill(pupil.login);
  await pupilPage.locator("#f-code").fill(pupil.code);
  await pupilPage.locator("#f-realName").fill(pupil.name);
  await pupilPage.locator("#f-password").fill("ꆈꌠ 昭觉 2026 sky");
  await pupilPage.locator("#f-confirm").fill("ꆈꌠ 昭觉 2026 sky");
  await pupilPage.locator("form button.primary").click();
  await expect(pupilPage).toHaveURL(/\/\?welcome=1$/);
  await expect(pupilPage.locator(".site-header .name")).toHaveText(pupil.name);

  // 6. A parent joins with the code printed for them.
  const parentName = "吉克建国";
  const parent = await freshPage(browser);
  await parent.goto("/parent/join");
  await parent.locator("#f-code").fill(linkCode);
  await parent.locator("#f-realName").fill(parentName);
  await parent.locator("#f-phone").fill("13912340001");
  await parent.locator("#f-password").fill("阿妈 lives in 昭觉");
  await parent.locator("#f-confirm").fill("阿妈 lives in 昭觉");
  await parent.locator("form button.primary").click();
  await expect(parent).toHaveURL(/\/parent\/join\?added=/);
  await expect(parent.locator(".linked-children")).toContainText(child);

  // 7. The audit log reads as sentences: in Yi first, then in Chinese; batches are one entry each.
  await admin.goto("/audit");
  const sentences = admin.locator("p.audit-sentence");
  await expect(sentences.first()).toBeVisible();
  for (const text of (await sentences.allTextContents()).slice(0, 6)) {
    expect(text).toMatch(YI);
    expect(text).not.toMatch(/\{\{|\{"|\[object|undefined|sentences\.|actions\./);
  }
  await admin.context().addCookies([{ name: "lng", value: "zh-Hans", url: admin.url() }]);
  await admin.reload();
  await admin.screenshot({ path: test.info().outputPath("audit-zh-1280.png") });
  const zh = await sentences.allTextContents();
  expect(zh).toContain(`${adminName}从花名册新建了 2 个班级：七年级（2）班；七年级（3）班`);
  expect(zh).toContain(`${adminName}为 昭觉县民族中学 导入了花名册：共 ${PUPILS} 行，新建 ${PUPILS} 人，更新 0 人`);
  expect(zh.some((s) => s.startsWith(`${adminName}在导入花名册时预发了 `) && s.endsWith(" 个家长绑定码"))).toBe(true);
  expect(zh).toContain(`${adminName}为七年级（2）班的 75 名学生登记了纸质同意书（签字日期 2026-09-01，经手：${adminName}）`);
  expect(zh).toContain(`${pupil.name}激活了自己的账户`);
  expect(zh).toContain(`${parentName}用绑定码关联了孩子 ${child}`);
  await expectAccessible(admin);
});
