import { mkdirSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible, expectFitsWidth, pdf, signIn, writeBody } from "./support";

// Issue 19's story end to end, on the demo world. A 康定 teacher (kangding-pri.t3, Tibetan interface)
// offers a bilingual (zh/bo) lesson to the 甘孜 library; 甘孜's reviewer (kangding-jun.t2) returns it
// with a comment in Tibetan; the author sends a new version; it is admitted, marked 优质 and
// recommended to the province; the province's reviewer (wuhou-voc.t3) admits it; a 昭觉 teacher
// (zhaojue-jun.t3, Yi interface) finds it by a Chinese fragment and uses it in a lesson for 九年级（4）班;
// a pupil of that class (zhaojue-jun.s6) reads the lesson; 凉山's region admin sees the use on the
// dashboard. No other spec uses these people or the library. Screenshots at 360 px in bo, ii and zh-Hans.
const AUTHOR = "kangding-pri.t3";
const GARZE_REVIEWER = "kangding-jun.t2";
const PROVINCE_REVIEWER = "wuhou-voc.t3";
const ZHAOJUE_TEACHER = "zhaojue-jun.t3";
const ZHAOJUE_PUPIL = "zhaojue-jun.s6";
const REGION_ADMIN = "liangshan.edu";

const shots = `${process.env.E2E_OUTPUT_DIR ?? "test-results"}/screens-library`;

async function signedIn(browser: Browser, login: string): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, login);
  await expect(page).toHaveURL("/");
  return page;
}

/** At a phone's width: fits, passes axe, and is photographed for a person to read. */
async function phoneShot(page: Page, name: string) {
  await page.setViewportSize({ width: 360, height: 740 });
  await expectFitsWidth(page);
  await expectAccessible(page);
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/${name}-${await page.locator("html").getAttribute("lang")}-360.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** The "used" figure's total row on the coverage dashboard: resources used / resources in reach. */
async function usedTotal(page: Page): Promise<number> {
  await page.goto("/region/library");
  const total = page.locator("section[aria-labelledby=figure-used] table").first().locator("tr").last().locator("td.num").first();
  return Number((await total.textContent())!.replace(/[^\d]/g, ""));
}

async function decide(page: Page, decision: "admit" | "return", comment = "") {
  if (decision === "admit") for (const box of await page.locator("input[name=checklist]").all()) await box.check();
  await page.locator("select[name=decision]").first().selectOption(decision);
  if (comment) await page.locator("textarea[name=comment]").first().fill(comment);
  await page.locator("button[name=intent][value=decide]").first().click();
  await expect(page).toHaveURL(/\?done=decided$/);
}

test("a bilingual 康定 lesson goes through the 甘孜 and province libraries and reaches a 昭觉 class", async ({ browser }) => {
  test.setTimeout(240_000);
  const stamp = String(Date.now()).slice(-6);
  const title = `藏汉双语 认识几分之一 ཆ་ཤས་ངོ་སྤྲོད། ${stamp}`;

  const admin = await signedIn(browser, REGION_ADMIN);
  const usedBefore = await usedTotal(admin);

  // 1. The 康定 teacher writes the lesson (with a file), then offers it to the 甘孜 library.
  const author = await signedIn(browser, AUTHOR);
  await expect(author.locator("html")).toHaveAttribute("lang", "bo");
  await author.goto("/lessons/new");
  await author.locator("#f-title").fill(title);
  await writeBody(author, "用折纸认识二分之一、四分之一。 ཤོག་བུ་བལྟབ་ནས་ཕྱེད་ཀ་ངོ་སྤྲོད།");
  await author.locator("#f-files").setInputFiles({ name: "认识几分之一-学习单.pdf", mimeType: "application/pdf", buffer: pdf("fractions worksheet") });
  await author.locator("form.lesson-form button.primary").click();
  await expect(author).toHaveURL(/\/lessons\/[A-Za-z0-9_-]+$/);
  await author.locator('a[href^="/library/new?lesson="]').click();
  await expect(author.locator("#f-title")).toHaveValue(title);
  await expect(author.getByText("认识几分之一-学习单.pdf")).toBeVisible();
  await author.locator("select[name=kind]").selectOption("lesson_plan");
  await author.locator("select[name=stage]").selectOption("primary");
  await author.locator("select[name=schoolYear]").selectOption("3");
  await author.locator("select[name=subject]").selectOption("math");
  await author.locator("select[name=edition]").selectOption("pep");
  await author.locator("select[name=unitBook]").selectOption("a");
  await author.locator("select[name=unitNumber]").selectOption("8");
  await author.locator("select[name=language]").selectOption("zh-bo");
  await expect(author.locator("select[name=licence]")).toHaveValue("platform_adapt");
  // The libraries on the teacher's path, nearest first: 康定市, 甘孜州, 四川省.
  await author.locator("input[name=regionId]").nth(1).check();
  await author.locator("form.library-form button.primary").click();
  await expect(author).toHaveURL(/\/library\/[A-Za-z0-9_-]+\?done=offered$/);
  const resourcePath = new URL(author.url()).pathname;

  // 2. 甘孜's reviewer finds it in the queue and returns it, with a comment in Tibetan.
  const garze = await signedIn(browser, GARZE_REVIEWER);
  await garze.goto("/library/review");
  await garze.getByRole("link", { name: title }).click();
  await expect(garze.getByRole("link", { name: "认识几分之一-学习单.pdf" })).toBeVisible();
  const comment = "བོད་ཡིག་གི་ཐ་སྙད་ཁ་ཤས་ནོར་འདུག ཡང་བསྐྱར་ཞིབ་བཤེར་གནང་རོགས།";
  await decide(garze, "return", comment);

  // 3. The author reads the comment and sends version 2 (the file comes along).
  await author.goto(resourcePath);
  await expect(author.getByText(comment)).toBeVisible();
  await phoneShot(author, "resource-returned");
  await author.locator(`a[href="${resourcePath}/revise"]`).click();
  await expect(author.locator("#f-title")).toHaveValue(title);
  await writeBody(author, " ཐ་སྙད་བཅོས་ཟིན།");
  await author.locator("textarea[name=note]").fill("已按意见修改藏文术语。");
  await author.locator("form.library-form button.primary").click();
  await expect(author).toHaveURL(/\?done=revised$/);

  // 4. Admitted, marked 优质 and recommended to the province.
  await garze.goto("/library/review");
  await garze.getByRole("link", { name: title }).click();
  await decide(garze, "admit");
  await garze.locator("button[name=intent][value=quality]").click();
  await expect(garze).toHaveURL(/\?done=decided$/);
  await garze.locator("button[name=intent][value=recommend]").click();
  await expect(garze).toHaveURL(/\?done=decided$/);

  // 5. The province's reviewer admits it (in Chinese).
  const province = await signedIn(browser, PROVINCE_REVIEWER);
  await province.goto("/library/review");
  await expect(province.locator("main")).toContainText("甘孜藏族自治州");
  await province.getByRole("link", { name: title }).click();
  await phoneShot(province, "resource-review");
  await decide(province, "admit");

  // 6. The 昭觉 teacher, reading Yi, finds it by a Chinese fragment and uses it in a lesson for their class.
  const zhaojue = await signedIn(browser, ZHAOJUE_TEACHER);
  await expect(zhaojue.locator("html")).toHaveAttribute("lang", "ii");
  await zhaojue.goto("/library");
  await zhaojue.locator("#f-q").fill("认识几分之一");
  await zhaojue.locator("form.library-search button[type=submit]").click();
  await expect(zhaojue).toHaveURL(/[?&]q=/);
  const found = zhaojue.getByRole("link", { name: title });
  await expect(found).toBeVisible();
  await phoneShot(zhaojue, "library-search");
  await found.click();
  await expect(zhaojue.locator("h1 .badge")).toBeVisible();
  await zhaojue.locator("label", { hasText: "九年级（4）班" }).locator("input[name=classIds]").check();
  await zhaojue.locator("button[name=intent][value=use]").click();
  await expect(zhaojue).toHaveURL(/\/lessons\/[A-Za-z0-9_-]+\?done=published$/);
  const lessonPath = new URL(zhaojue.url()).pathname;
  await expect(zhaojue.locator(".source-line")).toContainText(title);
  await expect(zhaojue.getByRole("link", { name: "认识几分之一-学习单.pdf" })).toBeVisible();

  // 7. A pupil of 九年级（4）班 reads the lesson and opens its file (the teacher's own copy).
  const pupil = await signedIn(browser, ZHAOJUE_PUPIL);
  await pupil.goto(lessonPath);
  await expect(pupil.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(pupil.locator(".source-line")).toContainText(title);
  const file = await pupil.request.get((await pupil.getByRole("link", { name: "认识几分之一-学习单.pdf" }).getAttribute("href"))!);
  expect(file.status()).toBe(200);
  // The pupil never browses the library, nor reads the resource itself.
  expect((await pupil.request.get("/library")).status()).toBe(403);
  expect((await pupil.request.get(resourcePath)).status()).toBe(404);

  // 8. 凉山's region admin sees the use on the plan's dashboard.
  expect(await usedTotal(admin)).toBe(usedBefore + 1);
  await expect(admin.locator("section[aria-labelledby=figure-used] svg").first()).toBeVisible();
  await phoneShot(admin, "coverage");

  // The author sees where it was used: a school, never a pupil.
  await author.goto(resourcePath);
  await expect(author.locator("main")).toContainText("昭觉县民族中学");

  for (const page of [admin, author, garze, province, zhaojue, pupil]) await page.context().close();
});
